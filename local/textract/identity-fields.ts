import type { IdentityDocumentField } from '@aws-sdk/client-textract';
import { expandIcaoLetters } from '../icao-names.js';
import {
  expandMrzDate,
  type IsoDate,
  type MrzDateKind,
  normalizedDate,
  parsePrintedDate,
} from './dates.js';
import { icaoCheckDigit, type MrzField, type MrzReading, replaceField } from './mrz-zone.js';
import type { PrintedField, PrintedFields } from './printed-fields.js';

/** Every field type AnalyzeID returns, in its order; absent ones carry empty text. */
export const FIELD_TYPES = [
  'FIRST_NAME',
  'LAST_NAME',
  'MIDDLE_NAME',
  'SUFFIX',
  'CITY_IN_ADDRESS',
  'ZIP_CODE_IN_ADDRESS',
  'STATE_IN_ADDRESS',
  'STATE_NAME',
  'DOCUMENT_NUMBER',
  'EXPIRATION_DATE',
  'DATE_OF_BIRTH',
  'DATE_OF_ISSUE',
  'ID_TYPE',
  'ENDORSEMENTS',
  'VETERAN',
  'RESTRICTIONS',
  'CLASS',
  'ADDRESS',
  'COUNTY',
  'PLACE_OF_BIRTH',
  'MRZ_CODE',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Textract's ID types are PASSPORT and DRIVER LICENSE FRONT/BACK. It reports non-driver
 * identity cards as `DRIVER LICENSE FRONT`, so every MRZ document that is not a passport
 * (ID cards, residence permits, TD2 documents, visas) gets that type here too: callers then
 * behave the same against the emulation and the service.
 */
export function idTypeOf(mrz: MrzReading): 'PASSPORT' | 'DRIVER LICENSE FRONT' {
  return mrz.format === 'TD3' && mrz.documentCode.startsWith('P')
    ? 'PASSPORT'
    : 'DRIVER LICENSE FRONT';
}

export interface Value {
  text: string;
  confidence: number;
  date?: IsoDate;
  /** The MRZ misread this field and the printed text, confirmed by its check digit, fixes it. */
  mrzFix?: string;
}

/*
 * Confidence policy. An MRZ field whose check digit verifies is right with high
 * probability (a check digit catches every single-character error), and agreement with
 * the independently read printed text makes it near-certain. Disagreement or a single
 * source lowers the score; a failed check digit says the MRZ value is wrong, so the
 * printed text wins then. Names have no check digit: their score rests on agreement
 * between the two readings, or else on one reading's OCR confidence.
 */
const CONFIDENCE = {
  checkedAndAgreed: 99,
  checked: 95,
  checkedButPrintedDiffers: 90,
  /**
   * Both readings agree but the check digit fails: a shared misread (O for 0) or a
   * misread check digit, and nothing tells which.
   */
  failedCheckButPrintedAgrees: 60,
  /** The MRZ misread the field but its check digit confirms the printed reading. */
  printedPassesCheckDigit: 90,
  /**
   * The MRZ number passes its check digit only after look-alikes were swapped, and nothing
   * printed confirms it: other swaps may pass as well.
   */
  repairedUnconfirmed: 70,
  /** A printed date that parses but disagrees with the MRZ's checked one. */
  printedDisagrees: 60,
  /** A field passes its own check digit but another check of the zone fails: a misread zone. */
  checkedInFailingZone: 75,
  /** An MRZ name whose every word is printed on the page. */
  nameOnPage: 95,
  /** The MRZ passes its check digit, but the printed text differs in a check-blind pair. */
  checkBlind: 75,
  /** Multiplier for a value from one OCR source with nothing to confirm it. */
  singleSource: 0.8,
  /** Ceiling for such a value. */
  singleSourceMax: 80,
  /** Multiplier for an MRZ value whose check digit failed, with nothing better to offer. */
  failedCheck: 0.5,
} as const;

function singleSource(ocrConfidence: number): number {
  return Math.min(CONFIDENCE.singleSourceMax, ocrConfidence * CONFIDENCE.singleSource);
}

function simplify(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toUpperCase()
      // ICAO drops apostrophes (O'NEILL -> ONEILL) and turns other separators into fillers.
      .replace(/['’]/g, '')
      .replace(/[^A-Z0-9]+/g, ' ')
      .trim()
  );
}

/** Whether a printed name and its MRZ form are the same name, under either transliteration. */
function sameName(printed: string, mrz: string): boolean {
  const expanded = expandIcaoLetters(printed);
  const target = simplify(mrz);
  return target !== '' && (simplify(printed) === target || simplify(expanded) === target);
}

/** What the MRZ as a whole says about the date fields it carries. */
interface ZoneContext {
  /** Every check digit of the zone passes: a field that passes alone is then trusted. */
  valid: boolean;
  /** 0-100 */
  confidence: number;
  /** A birth date cannot follow the document's expiry (it settles 1912 against 2012). */
  notAfter?: IsoDate;
}

function previousCentury(iso: IsoDate): IsoDate {
  return `${Number(iso.slice(0, 4)) - 100}${iso.slice(4)}`;
}

function dateValue(
  mrz: MrzField | undefined,
  printed: PrintedField | undefined,
  kind: MrzDateKind,
  today: Date,
  zone: ZoneContext,
): Value | null {
  const readings = printed ? parsePrintedDate(printed.text) : [];
  let expanded = mrz ? expandMrzDate(mrz.value, kind, today) : null;
  if (expanded && zone.notAfter && expanded > zone.notAfter) expanded = previousCentury(expanded);
  // The MRZ drops the century; a printed four-digit year with the same YYMMDD settles it.
  const fromMrz = readings.find((iso) => iso.slice(2) === expanded?.slice(2)) ?? expanded;
  const [first] = readings;
  if (mrz && fromMrz) {
    const agrees = readings.includes(fromMrz);
    if (agrees && printed) {
      const confidence = mrz.checked
        ? CONFIDENCE.checkedAndAgreed
        : CONFIDENCE.failedCheckButPrintedAgrees;
      return { text: printed.text, confidence, date: fromMrz };
    }
    if (mrz.checked && printed && first) {
      // Printed and MRZ dates disagree: the print is what Textract returns, with a
      // confidence below any profile's threshold, and MRZ_CODE shows the disagreement.
      return { text: printed.text, confidence: CONFIDENCE.printedDisagrees, date: first };
    }
    if (mrz.checked) {
      const confidence = zone.valid ? CONFIDENCE.checked : CONFIDENCE.checkedInFailingZone;
      return { text: mrz.value, confidence, date: fromMrz };
    }
  }
  const confirmed = readings.find(
    (iso) => mrz?.checkDigit && icaoCheckDigit(iso.slice(2).replaceAll('-', '')) === mrz.checkDigit,
  );
  if (printed && confirmed && !mrz?.checked) {
    return { text: printed.text, confidence: CONFIDENCE.printedPassesCheckDigit, date: confirmed };
  }
  if (printed && first) {
    return { text: printed.text, confidence: singleSource(printed.confidence), date: first };
  }
  if (mrz && fromMrz) {
    const confidence = singleSource(zone.confidence) * CONFIDENCE.failedCheck;
    return { text: mrz.value, confidence, date: fromMrz };
  }
  return null;
}

/** Whether a printed document number yields the check digit the MRZ carries. */
function passesMrzCheck(compact: string, mrz: MrzField | undefined): boolean {
  return (
    Boolean(compact && mrz?.checkDigit) &&
    icaoCheckDigit(compact.padEnd(9, '<')) === mrz?.checkDigit
  );
}

/** Look-alikes with equal check values (G = 16, S = 28): no check digit tells them apart. */
const CHECK_BLIND_PAIRS = new Set(['G6', '6G', 'S8', '8S']);

/**
 * The MRZ value with the printed reading's characters wherever the two differ by a
 * check-blind pair: the proportional printed face separates those better than the
 * monospaced MRZ. Null when there is no such difference.
 */
function resolveCheckBlindPairs(mrz: string, printed: string): string | null {
  if (mrz.length !== printed.length) return null;
  const chars = [...mrz].map((char, i) =>
    CHECK_BLIND_PAIRS.has(char + printed[i]) ? (printed[i] as string) : char,
  );
  const resolved = chars.join('');
  return resolved === mrz ? null : resolved;
}

/** The document number: the check digit decides between the MRZ and the printed text. */
function documentNumberValue(
  mrz: MrzReading | null,
  printed: PrintedField | undefined,
): Value | null {
  const field = mrz?.documentNumber;
  const mrzText = field?.value ?? '';
  const compact = printed ? simplify(printed.text).replace(/ /g, '') : '';
  if (printed && compact === mrzText) {
    const confidence = field?.checked
      ? CONFIDENCE.checkedAndAgreed
      : CONFIDENCE.failedCheckButPrintedAgrees;
    return { text: printed.text, confidence };
  }
  const resolved = field?.checked ? resolveCheckBlindPairs(mrzText, compact) : null;
  if (resolved) return { text: resolved, confidence: CONFIDENCE.checkBlind, mrzFix: resolved };
  // A printed number the check digit accepts beats a look-alike repair of the MRZ.
  const printedPasses =
    mrz?.documentNumberAlternatives.includes(compact) ||
    ((!field?.checked || mrz?.documentNumberRepaired) && passesMrzCheck(compact, field));
  if (printed && printedPasses) {
    return { text: printed.text, confidence: CONFIDENCE.printedPassesCheckDigit, mrzFix: compact };
  }
  if (field?.checked && mrzText) {
    const confidence = mrz?.documentNumberRepaired
      ? CONFIDENCE.repairedUnconfirmed
      : !mrz?.valid
        ? CONFIDENCE.checkedInFailingZone
        : printed
          ? CONFIDENCE.checkedButPrintedDiffers
          : CONFIDENCE.checked;
    return { text: mrzText, confidence };
  }
  if (printed) return { text: printed.text, confidence: singleSource(printed.confidence) };
  if (mrzText) {
    const confidence = singleSource(mrz?.confidence ?? 0) * CONFIDENCE.failedCheck;
    return { text: mrzText, confidence };
  }
  return null;
}

/** Letters the MRZ's OCR engine takes for others in names (M read as H most of all). */
const NAME_LOOKALIKES = new Set([
  'HM',
  'MH',
  'NH',
  'HN',
  'OQ',
  'QO',
  'OD',
  'DO',
  'VW',
  'WV',
  'IL',
  'LI',
]);

/**
 * Words that can confirm a name: not the MRZ itself as the page reading saw it (one long
 * word, fillers read as L or K), nor a single letter.
 */
function isNameWord(word: string): boolean {
  return word.length >= 2 && word.length <= 24 && !word.includes('<') && !/(.)\1{3}/.test(word);
}

/** Every form a printed word takes in an MRZ: accents dropped, or ICAO's expansions. */
function mrzFormsOf(words: readonly string[]): Set<string> {
  const forms = new Set<string>();
  for (const word of words.filter(isNameWord)) {
    for (const form of [simplify(word), simplify(expandIcaoLetters(word))]) {
      for (const part of form.split(' ')) if (part) forms.add(part);
    }
  }
  return forms;
}

function differsByLookalikes(mrz: string, printed: string): boolean {
  if (mrz.length !== printed.length) return false;
  return [...mrz].every((char, i) => char === printed[i] || NAME_LOOKALIKES.has(char + printed[i]));
}

/**
 * The MRZ name checked word by word against the words printed anywhere on the page: each
 * must be printed as is or with the engine's look-alikes, which the print then corrects.
 * Null unless every word is confirmed.
 */
function confirmedOnPage(
  mrzName: string,
  pageForms: Set<string>,
  pageWords: readonly string[],
): string | null {
  const words = mrzName.split(' ').filter(Boolean);
  if (words.length === 0) return null;
  // A hyphenated name (MARI-LIIS) is one name the MRZ writes as two.
  const whole =
    words.length > 1 && pageWords.find((word) => word.includes('-') && simplify(word) === mrzName);
  if (whole) return whole.toUpperCase();
  const confirmed = words.map((word) => {
    if (pageForms.has(word)) return word;
    const matches = [...pageForms].filter((form) => differsByLookalikes(word, form));
    return matches.length === 1 ? (matches[0] as string) : null;
  });
  return confirmed.every((word) => word !== null) ? confirmed.join(' ') : null;
}

/**
 * Names, which no check digit protects. The MRZ reading is the more reliable OCR, the
 * printed one keeps the diacritics and hyphens the MRZ cannot carry; a name printed on the
 * page confirms (and corrects) the MRZ's.
 */
function nameValue(
  mrz: MrzField | undefined,
  printed: PrintedField | undefined,
  pageForms: Set<string>,
  pageWords: readonly string[],
  mrzConfidence: number,
): Value | null {
  const mrzText = mrz?.value.trim() ?? '';
  if (printed && sameName(printed.text, mrzText)) {
    return { text: printed.text, confidence: CONFIDENCE.checkedAndAgreed };
  }
  const onPage = confirmedOnPage(mrzText, pageForms, pageWords);
  if (onPage) return { text: onPage, confidence: CONFIDENCE.nameOnPage };
  if (mrzText) return { text: mrzText, confidence: singleSource(mrzConfidence) };
  if (printed) return { text: printed.text, confidence: singleSource(printed.confidence) };
  return null;
}

/**
 * Splits given names the way AnalyzeID does: the first into FIRST_NAME, the rest into
 * MIDDLE_NAME.
 */
function splitGivenNames(value: Value | null): [Value | null, Value | null] {
  if (!value) return [null, null];
  const [first, ...rest] = value.text.split(/\s+/);
  return [
    { ...value, text: first ?? '' },
    rest.length > 0 ? { ...value, text: rest.join(' ') } : null,
  ];
}

/** The MRZ as read, with a misread document number put right when the printed one fixes it. */
function mrzCode(mrz: MrzReading, documentNumber: Value | null): string {
  const lines = documentNumber?.mrzFix
    ? replaceField(mrz.lines, mrz.documentNumber, documentNumber.mrzFix)
    : mrz.lines;
  return lines.join('\n');
}

export interface DocumentEvidence {
  mrz: MrzReading | null;
  printed: PrintedFields;
  /** Every word the page reading found, captions and values alike. */
  pageWords?: readonly string[];
}

/** Merges the MRZ and the printed fields into AnalyzeID's field list. */
export function identityDocumentFields(
  { mrz, printed, pageWords = [] }: DocumentEvidence,
  today: Date,
): IdentityDocumentField[] {
  const mrzConfidence = mrz?.confidence ?? 0;
  const pageForms = mrzFormsOf(pageWords);
  const zone: ZoneContext = { valid: mrz?.valid ?? false, confidence: mrzConfidence };
  const expiration = dateValue(mrz?.expirationDate, printed.expiryDate, 'expiry', today, zone);
  const [firstName, middleName] = splitGivenNames(
    nameValue(mrz?.firstName, printed.givenNames, pageForms, pageWords, mrzConfidence),
  );
  const documentNumber = documentNumberValue(mrz, printed.documentNumber);
  const values: Partial<Record<FieldType, Value | null>> = {
    FIRST_NAME: firstName,
    MIDDLE_NAME: middleName,
    LAST_NAME: nameValue(mrz?.lastName, printed.surname, pageForms, pageWords, mrzConfidence),
    DOCUMENT_NUMBER: documentNumber,
    DATE_OF_BIRTH: dateValue(mrz?.birthDate, printed.dateOfBirth, 'birth', today, {
      ...zone,
      ...(expiration?.date && { notAfter: expiration.date }),
    }),
    EXPIRATION_DATE: expiration,
    DATE_OF_ISSUE: dateValue(undefined, printed.dateOfIssue, 'issue', today, zone),
    ID_TYPE: mrz
      ? { text: idTypeOf(mrz), confidence: mrz.valid ? CONFIDENCE.checked : mrzConfidence }
      : null,
    MRZ_CODE: mrz ? { text: mrzCode(mrz, documentNumber), confidence: mrzConfidence } : null,
  };
  return renderFields(values);
}

/** AnalyzeID's field list from the values found, every type present, absent ones empty. */
export function renderFields(
  values: Partial<Record<FieldType, Value | null>>,
): IdentityDocumentField[] {
  return FIELD_TYPES.map((type) => {
    const value = values[type];
    return {
      Type: { Text: type, Confidence: 100 },
      ValueDetection: value
        ? {
            Text: value.text,
            Confidence: round(value.confidence),
            ...(value.date && {
              NormalizedValue: { Value: normalizedDate(value.date), ValueType: 'DATE' as const },
            }),
          }
        : // Nothing found: Textract's shape for an absent field, with no confidence claimed.
          { Text: '', Confidence: 0 },
    };
  });
}

function round(confidence: number): number {
  return Math.round(confidence * 100) / 100;
}
