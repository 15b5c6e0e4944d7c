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

/**
 * Cross-checks the printed fields with the machine-readable zone: the document number
 * and the date of birth (YYMMDD) must both appear in it.
 */
export function mrzAgrees(
  mrzText: string,
  documentNumber: string | undefined,
  birthDate: string | undefined,
): boolean {
  const mrz = mrzText.replace(/[\s<]/g, '').toUpperCase();
  const number = (documentNumber ?? '').replace(/[\s<-]/g, '').toUpperCase();
  const numberOk = number.length > 0 && mrz.includes(number);
  const dobOk =
    birthDate !== undefined &&
    isIsoDate(birthDate) &&
    mrz.includes(birthDate.slice(2).replaceAll('-', ''));
  return numberOk && dobOk;
}
