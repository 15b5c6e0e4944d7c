import type { DocumentFieldName } from './profiles.js';

export interface DocumentField {
  readonly text: string;
  /** 0-100 */
  readonly confidence: number;
  /** ISO date (YYYY-MM-DD) for date fields when the reader normalised it. */
  readonly date?: string;
}

/** What the decision needs to know about the ID document: no image, no free text. */
export interface DocumentFacts {
  readonly fields: Partial<Record<DocumentFieldName, DocumentField>>;
  readonly mrz: {
    readonly present: boolean;
    /** Whether the printed number and date of birth appear in the MRZ; null without an MRZ. */
    readonly consistent: boolean | null;
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
  { name: 'TD1', length: 90, number: [5, 14], birth: [30, 36] },
  { name: 'TD2', length: 72, number: [36, 45], birth: [49, 55] },
  { name: 'TD3', length: 88, number: [44, 53], birth: [57, 63] },
] as const;

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
