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
 * Textract reports non-driver identity cards as `DRIVER LICENSE FRONT` (its ID types are
 * PASSPORT and DRIVER LICENSE FRONT/BACK), so TD1 cards get that type here too: callers
 * then behave the same against the emulation and the service.
 */
export const ID_TYPES = { TD1: 'DRIVER LICENSE FRONT', TD3: 'PASSPORT' } as const;

interface Value {
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

function dateValue(
  mrz: MrzField | undefined,
  printed: PrintedField | undefined,
  kind: MrzDateKind,
  today: Date,
  mrzConfidence: number,
): Value | null {
  const fromMrz = mrz ? expandMrzDate(mrz.value, kind, today) : null;
  const readings = printed ? parsePrintedDate(printed.text) : [];
  if (mrz && fromMrz) {
    const agrees = readings.includes(fromMrz);
    // Text is what is printed, as Textract returns it; the MRZ digits stand in for it.
    const text = agrees && printed ? printed.text : mrz.value;
    if (mrz.checked) {
      const confidence = agrees
        ? CONFIDENCE.checkedAndAgreed
        : printed
          ? CONFIDENCE.checkedButPrintedDiffers
          : CONFIDENCE.checked;
      return { text, confidence, date: fromMrz };
    }
    if (agrees) return { text, confidence: CONFIDENCE.failedCheckButPrintedAgrees, date: fromMrz };
  }
  const confirmed = readings.find(
    (iso) => mrz?.checkDigit && icaoCheckDigit(iso.slice(2).replaceAll('-', '')) === mrz.checkDigit,
  );
  if (printed && confirmed && !mrz?.checked) {
    return { text: printed.text, confidence: CONFIDENCE.printedPassesCheckDigit, date: confirmed };
  }
  const [first] = readings;
  if (printed && first) {
    return { text: printed.text, confidence: singleSource(printed.confidence), date: first };
  }
  if (mrz && fromMrz) {
    const confidence = singleSource(mrzConfidence) * CONFIDENCE.failedCheck;
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
  mrz: MrzField | undefined,
  printed: PrintedField | undefined,
  mrzConfidence: number,
): Value | null {
  const mrzText = mrz?.value ?? '';
  const compact = printed ? simplify(printed.text).replace(/ /g, '') : '';
  if (printed && compact === mrzText) {
    const confidence = mrz?.checked
      ? CONFIDENCE.checkedAndAgreed
      : CONFIDENCE.failedCheckButPrintedAgrees;
    return { text: printed.text, confidence };
  }
  if (mrz?.checked && mrzText) {
    const resolved = resolveCheckBlindPairs(mrzText, compact);
    if (resolved) return { text: resolved, confidence: CONFIDENCE.checkBlind, mrzFix: resolved };
    const confidence = printed ? CONFIDENCE.checkedButPrintedDiffers : CONFIDENCE.checked;
    return { text: mrzText, confidence };
  }
  if (printed && passesMrzCheck(compact, mrz)) {
    return { text: printed.text, confidence: CONFIDENCE.printedPassesCheckDigit, mrzFix: compact };
  }
  if (printed) return { text: printed.text, confidence: singleSource(printed.confidence) };
  if (mrzText) {
    return { text: mrzText, confidence: singleSource(mrzConfidence) * CONFIDENCE.failedCheck };
  }
  return null;
}

/**
 * Names, which no check digit protects. The MRZ reading is the more reliable OCR, the
 * printed one keeps the diacritics and hyphens the MRZ cannot carry.
 */
function nameValue(
  mrz: MrzField | undefined,
  printed: PrintedField | undefined,
  mrzConfidence: number,
): Value | null {
  const mrzText = mrz?.value.trim() ?? '';
  if (printed && sameName(printed.text, mrzText)) {
    return { text: printed.text, confidence: CONFIDENCE.checkedAndAgreed };
  }
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
}

/** Merges the MRZ and the printed fields into AnalyzeID's field list. */
export function identityDocumentFields(
  { mrz, printed }: DocumentEvidence,
  today: Date,
): IdentityDocumentField[] {
  const mrzConfidence = mrz?.confidence ?? 0;
  const [firstName, middleName] = splitGivenNames(
    nameValue(mrz?.firstName, printed.givenNames, mrzConfidence),
  );
  const documentNumber = documentNumberValue(
    mrz?.documentNumber,
    printed.documentNumber,
    mrzConfidence,
  );
  const values: Partial<Record<FieldType, Value | null>> = {
    FIRST_NAME: firstName,
    MIDDLE_NAME: middleName,
    LAST_NAME: nameValue(mrz?.lastName, printed.surname, mrzConfidence),
    DOCUMENT_NUMBER: documentNumber,
    DATE_OF_BIRTH: dateValue(mrz?.birthDate, printed.dateOfBirth, 'birth', today, mrzConfidence),
    EXPIRATION_DATE: dateValue(
      mrz?.expirationDate,
      printed.expiryDate,
      'expiry',
      today,
      mrzConfidence,
    ),
    DATE_OF_ISSUE: dateValue(undefined, printed.dateOfIssue, 'issue', today, mrzConfidence),
    ID_TYPE: mrz
      ? { text: ID_TYPES[mrz.format], confidence: mrz.valid ? CONFIDENCE.checked : mrzConfidence }
      : null,
    MRZ_CODE: mrz ? { text: mrzCode(mrz, documentNumber), confidence: mrzConfidence } : null,
  };
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
