import { type DocumentFieldName, documentFieldNames } from './profiles.js';

/** Fields kept on the case record: the policy's, and the middle names for the reviewer. */
export const recordedFieldNames = [...documentFieldNames, 'MIDDLE_NAME'] as const;
export type RecordedFieldName = (typeof recordedFieldNames)[number];

export interface DocumentField {
  readonly text: string;
  /** 0-100 */
  readonly confidence: number;
  /** ISO date (YYYY-MM-DD) for date fields when the reader normalised it. */
  readonly date?: string;
}

/** What the decision needs to know about the ID document: no image, no free text. */
export interface DocumentFacts {
  readonly fields: Partial<Record<RecordedFieldName, DocumentField>>;
  readonly mrz: {
    readonly present: boolean;
    /** Whether the printed number and date of birth appear in the MRZ; null without an MRZ. */
    readonly consistent: boolean | null;
    /**
     * The fields read whose value the MRZ contradicts (printed and machine-readable zone
     * disagree on the document itself: a reviewer's matter, not a new photo's).
     */
    readonly disagreements?: readonly DocumentFieldName[];
  };
}

/** Full years between an ISO birth date and an ISO day. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  return ty - by - (hadBirthday ? 0 : 1);
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string | undefined): value is string {
  if (value === undefined || !isoDate.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** Where the document number and the date of birth sit in each ICAO 9303 layout, lines joined. */
const mrzLayouts = [
  { name: 'TD1', length: 90, number: [5, 14], birth: [30, 36], expiry: [38, 44] },
  { name: 'TD2', length: 72, number: [36, 45], birth: [49, 55], expiry: [57, 63] },
  { name: 'TD3', length: 88, number: [44, 53], birth: [57, 63], expiry: [65, 71] },
] as const;

const yymmdd = (iso: string) => iso.slice(2).replaceAll('-', '');

/**
 * The fields whose value contradicts the machine-readable zone: a document number other
 * than the MRZ's, a date of birth or expiry other than its YYMMDD. Fields not read, and an
 * MRZ in no ICAO layout, contradict nothing.
 */
export function mrzDisagreements(
  mrzText: string,
  fields: Partial<Record<DocumentFieldName, DocumentField>>,
): DocumentFieldName[] {
  const mrz = mrzText.replace(/\s/g, '').toUpperCase();
  const layout = mrzLayouts.find((candidate) => candidate.length === mrz.length);
  if (!layout) return [];
  const disagreements: DocumentFieldName[] = [];
  const number = (fields.DOCUMENT_NUMBER?.text ?? '').replace(/[\s<-]/g, '').toUpperCase();
  const mrzNumber = mrz.slice(...layout.number).replace(/<+$/, '');
  // A number longer than nine characters continues in the optional data: its start counts.
  if (number && !(number === mrzNumber || (number.length > 9 && number.startsWith(mrzNumber)))) {
    disagreements.push('DOCUMENT_NUMBER');
  }
  const birth = fields.DATE_OF_BIRTH?.date;
  if (isIsoDate(birth) && yymmdd(birth) !== mrz.slice(...layout.birth)) {
    disagreements.push('DATE_OF_BIRTH');
  }
  const expiry = fields.EXPIRATION_DATE?.date;
  if (isIsoDate(expiry) && yymmdd(expiry) !== mrz.slice(...layout.expiry)) {
    disagreements.push('EXPIRATION_DATE');
  }
  return disagreements;
}

/**
 * Cross-checks the printed fields with the machine-readable zone: the printed document number
 * must be the MRZ's number field and the date of birth (YYMMDD) its birth-date field. An MRZ
 * in no ICAO layout cannot confirm anything.
 */
export function mrzAgrees(
  mrzText: string,
  documentNumber: string | undefined,
  birthDate: string | undefined,
): boolean {
  const mrz = mrzText.replace(/\s/g, '').toUpperCase();
  const layout = mrzLayouts.find((candidate) => candidate.length === mrz.length);
  if (!layout || !isIsoDate(birthDate)) return false;
  const printed = (documentNumber ?? '').replace(/[\s<-]/g, '').toUpperCase();
  const mrzNumber = mrz.slice(...layout.number).replace(/<+$/, '');
  const mrzBirth = mrz.slice(...layout.birth);
  return (
    printed.length > 0 &&
    mrzNumber === printed &&
    mrzBirth === birthDate.slice(2).replaceAll('-', '')
  );
}
