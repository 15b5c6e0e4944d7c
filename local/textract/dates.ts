/** Calendar dates as ISO `YYYY-MM-DD`, the form Textract's NormalizedValue is built from. */
export type IsoDate = string;

function isoIfValid(year: number, month: number, day: number): IsoDate | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return null;
  if (date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

export type MrzDateKind = 'birth' | 'expiry' | 'issue';

/**
 * Expands an MRZ `YYMMDD` to a full date. The MRZ drops the century, so: a birth or issue
 * date is the latest candidate not in the future; an expiry is the candidate nearest to
 * today, which keeps it within +/- 50 years (expired cards stay in the past).
 */
export function expandMrzDate(yymmdd: string, kind: MrzDateKind, today: Date): IsoDate | null {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!match) return null;
  const [yy, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const currentYear = today.getUTCFullYear();
  const century = Math.floor(currentYear / 100) * 100;
  const candidates = [century - 100, century, century + 100]
    .map((base) => isoIfValid(base + yy, month, day))
    .filter((iso): iso is IsoDate => iso !== null);
  if (candidates.length === 0) return null;
  const todayIso = today.toISOString().slice(0, 10);
  if (kind === 'expiry') {
    const distance = (iso: IsoDate) => Math.abs(Date.parse(iso) - Date.parse(todayIso));
    return candidates.reduce((best, iso) => (distance(iso) < distance(best) ? iso : best));
  }
  const past = candidates.filter((iso) => iso <= todayIso);
  return past.at(-1) ?? null;
}

const MONTHS: Record<string, number> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

/**
 * Every reading of a printed date. Day-first and month-first orders are both returned
 * for `a/b/yyyy`, since US documents print month first and most others day first; the
 * caller settles the ambiguity against the MRZ.
 */
export function parsePrintedDate(text: string): IsoDate[] {
  const compact = text.toUpperCase().replace(/\s+/g, ' ').trim();
  const readings: (IsoDate | null)[] = [];
  let match = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(compact);
  if (match) readings.push(isoIfValid(Number(match[1]), Number(match[2]), Number(match[3])));
  match = /(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4})/.exec(compact);
  if (match) {
    const [a, b, year] = [Number(match[1]), Number(match[3]), Number(match[4])];
    if (match[2] === '/') readings.push(isoIfValid(year, a, b));
    readings.push(isoIfValid(year, b, a));
  }
  // Passports print bilingual months: 30 JUN/JUIN 2034.
  match = /(\d{1,2}) ?([A-Z]{3})[A-Z]*(?:\/[A-Z]+)? ?(\d{4})/.exec(compact);
  if (match) {
    const month = MONTHS[match[2] as string];
    if (month) readings.push(isoIfValid(Number(match[3]), month, Number(match[1])));
  }
  return [...new Set(readings.filter((iso): iso is IsoDate => iso !== null))];
}

/** Textract's NormalizedValue form: `YYYY-MM-DDT00:00:00`. */
export function normalizedDate(iso: IsoDate): string {
  return `${iso}T00:00:00`;
}
