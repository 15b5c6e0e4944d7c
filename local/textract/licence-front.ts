import type { IdentityDocumentField } from '@aws-sdk/client-textract';
import type { IsoDate } from './dates.js';
import { renderFields, type Value } from './identity-fields.js';
import type { OcrLine } from './ocr-types.js';

/**
 * The front of a US driver licence read by OCR alone, with the AAMVA card design's field
 * numbers and labels: 1 family name, 2 given names, 3 DOB, 4a issue, 4b expiry, 4d number
 * (or LN/FN, DL/LIC#). No check digit confirms anything here, so every value keeps the
 * single-reading score (at most 64): readable for a reviewer, never above a profile's 80.
 */

/** What marks a page as a licence front. */
const LICENCE_WORDS = /\b(DRIVER|DRIVER'?S|LICEN[CS]E|DLN|OPERATOR)\b/i;

/** Share of the OCR confidence kept for one unconfirmed reading, as for printed fields. */
const SINGLE_READING = 0.8;
const MAX_SINGLE_READING = 80;

const US_DATE = /\b(\d{2})[/-](\d{2})[/-](\d{4})\b/g;

interface Found {
  text: string;
  confidence: number;
  date?: IsoDate;
}

function isoOf(month: string, day: string, year: string): IsoDate | null {
  const iso = `${year}-${month}-${day}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

function single(found: Found | null): Value | null {
  if (!found || found.text === '') return null;
  const confidence = Math.min(MAX_SINGLE_READING, found.confidence) * SINGLE_READING;
  return { text: found.text, confidence, ...(found.date && { date: found.date }) };
}

/** The first match of a labelled value over the lines, with the line's confidence. */
function labelled(lines: OcrLine[], pattern: RegExp): Found | null {
  for (const line of lines) {
    const match = pattern.exec(line.text);
    const value = match?.[1]?.trim();
    if (value) return { text: value, confidence: line.confidence };
  }
  return null;
}

interface DatedLine {
  iso: IsoDate;
  text: string;
  confidence: number;
  label: string;
}

function datesOf(lines: OcrLine[]): DatedLine[] {
  return lines.flatMap((line) =>
    [...line.text.matchAll(US_DATE)].flatMap((match) => {
      const iso = isoOf(match[1] as string, match[2] as string, match[3] as string);
      const before = line.text.slice(Math.max(0, (match.index ?? 0) - 12), match.index);
      return iso ? [{ iso, text: match[0], confidence: line.confidence, label: before }] : [];
    }),
  );
}

function dated(entry: DatedLine | undefined): Found | null {
  return entry ? { text: entry.text, confidence: entry.confidence, date: entry.iso } : null;
}

/**
 * Dates by their labels; failing one, the licence's own order: the birth date is the
 * earliest date printed, the expiry the latest.
 */
function licenceDates(lines: OcrLine[], today: Date) {
  const dates = datesOf(lines);
  const adultBefore = `${today.getUTCFullYear() - 14}-12-31`;
  const byLabel = (label: RegExp) => dates.find((entry) => label.test(entry.label));
  const sorted = [...dates].sort((a, b) => a.iso.localeCompare(b.iso));
  const birth = byLabel(/DOB|BIRTH|\b3\b/i) ?? sorted.find((entry) => entry.iso <= adultBefore);
  const expiry = byLabel(/EXP|4b/i) ?? sorted.at(-1);
  const issue = byLabel(/ISS|4a/i);
  return { birth, expiry: expiry === birth ? undefined : expiry, issue };
}

/** Whether the page reads as a US licence front. */
export function looksLikeLicenceFront(lines: OcrLine[]): boolean {
  return lines.some((line) => LICENCE_WORDS.test(line.text));
}

/** AnalyzeID's fields from the OCR lines of a licence front. */
export function licenceFrontFields(lines: OcrLine[], today: Date): IdentityDocumentField[] {
  const family =
    // OCR often prefixes a stray mark or two to a numbered line.
    labelled(lines, /^\s*(?:\S{1,2}\s+)?(?:1|LN)\s*([A-Z][A-Z' -]+?)\s*$/) ??
    labelled(lines, /\bLN\s*([A-Z][A-Z'-]+)/);
  const given =
    labelled(lines, /^\s*(?:\S{1,2}\s+)?(?:2|FN)\s*([A-Z][A-Z' -]+?)\s*$/) ??
    labelled(lines, /\bFN\s*([A-Z][A-Z'-]+)/);
  const [first = '', ...middle] = (given?.text ?? '').split(/\s+/);
  const number = labelled(
    lines,
    /\b(?:4d\S*(?:\s*(?:DLN|NUMBER|LIC))?|DLN|DL\s*NO\.?|LIC(?:ENSE)?\s*(?:NO\.?|#)|DL|ID)[:#.\s]+([A-Z]?\d[A-Z0-9 -]{4,18}[A-Z0-9])\b/,
  );
  const { birth, expiry, issue } = licenceDates(lines, today);
  const idType = lines.find((line) => LICENCE_WORDS.test(line.text));
  return renderFields({
    LAST_NAME: single(family),
    FIRST_NAME: single(given ? { ...given, text: first } : null),
    MIDDLE_NAME: single(given && middle.length > 0 ? { ...given, text: middle.join(' ') } : null),
    DOCUMENT_NUMBER: single(number),
    DATE_OF_BIRTH: single(dated(birth)),
    EXPIRATION_DATE: single(dated(expiry)),
    DATE_OF_ISSUE: single(dated(issue)),
    ID_TYPE: single(
      idType ? { text: 'DRIVER LICENSE FRONT', confidence: idType.confidence } : null,
    ),
  });
}
