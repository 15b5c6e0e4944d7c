/**
 * Scoring of AnalyzeID answers against a calibration set's truth.json (see the documents
 * benchmark): which fields count, how a value is compared, and the tallies printed.
 */
import type { IdentityDocumentField } from '@aws-sdk/client-textract';

export const SCORED_FIELDS = [
  'FIRST_NAME',
  'MIDDLE_NAME',
  'LAST_NAME',
  'DATE_OF_BIRTH',
  'EXPIRATION_DATE',
  'DOCUMENT_NUMBER',
  'ID_TYPE',
] as const;
export type ScoredField = (typeof SCORED_FIELDS)[number];

const DATE_FIELDS = new Set<ScoredField>(['DATE_OF_BIRTH', 'EXPIRATION_DATE']);
/** The profile's threshold: a wrong value at or above it is a defect. */
export const CONFIDENT = 80;

/** One image's truth: a value (or null where the truth has none) and accepted alternatives. */
export interface TruthEntry {
  DOC_CLASS: string;
  [field: string]: unknown;
}

export type Outcome = 'exact' | 'wrong' | 'wrongConfident' | 'empty' | 'emptyExpected' | 'skip';

function canonical(text: string): string {
  return text.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** `MM/DD/YYYY` (truth) as ISO, to compare with the NormalizedValue. */
function isoOf(usDate: string): string {
  const [month, day, year] = usDate.split('/');
  return `${year}-${month}-${day}`;
}

/** The values that count as right for a field: the truth and its ACCEPT_ alternatives. */
export function acceptedValues(truth: TruthEntry, field: ScoredField): string[] | null {
  const value = truth[field];
  if (field === 'MIDDLE_NAME' && value === undefined) return [''];
  if (typeof value !== 'string') return null;
  const alternatives = truth[`ACCEPT_${field}`];
  const list = [value, ...(Array.isArray(alternatives) ? (alternatives as string[]) : [])];
  return DATE_FIELDS.has(field) ? list.map(isoOf) : list.map(canonical);
}

/** How one answered field compares with the truth. */
export function scoreField(
  truth: TruthEntry,
  field: ScoredField,
  answer: IdentityDocumentField | undefined,
): { outcome: Outcome; read: string; confidence: number } {
  const accepted = acceptedValues(truth, field);
  const detection = answer?.ValueDetection;
  const confidence = detection?.Confidence ?? 0;
  const text = canonical(detection?.Text ?? '');
  const read = DATE_FIELDS.has(field)
    ? (detection?.NormalizedValue?.Value?.slice(0, 10) ?? (text === '' ? '' : `?${text}`))
    : text;
  if (accepted === null) return { outcome: 'skip', read, confidence };
  if (accepted.includes(read)) {
    return { outcome: read === '' ? 'emptyExpected' : 'exact', read, confidence };
  }
  if (read === '') return { outcome: 'empty', read, confidence };
  return { outcome: confidence >= CONFIDENT ? 'wrongConfident' : 'wrong', read, confidence };
}

export interface Tally {
  scored: number;
  exact: number;
  wrongConfident: number;
  empty: number;
  /** Right values at or above the threshold. */
  exactConfident: number;
}

export function emptyTally(): Tally {
  return { scored: 0, exact: 0, wrongConfident: 0, empty: 0, exactConfident: 0 };
}

export function addOutcome(tally: Tally, outcome: Outcome, confidence: number): void {
  if (outcome === 'skip') return;
  tally.scored += 1;
  if (outcome === 'exact' || outcome === 'emptyExpected') {
    tally.exact += 1;
    if (outcome === 'emptyExpected' || confidence >= CONFIDENT) tally.exactConfident += 1;
  }
  if (outcome === 'wrongConfident') tally.wrongConfident += 1;
  if (outcome === 'empty') tally.empty += 1;
}

export function formatTally({ scored, exact, wrongConfident, empty, exactConfident }: Tally) {
  const share = (n: number) => (scored === 0 ? '  -  ' : `${((100 * n) / scored).toFixed(0)}%`);
  return [
    `${exact}/${scored} ${share(exact)}`.padEnd(12),
    `${exactConfident} ${share(exactConfident)}`.padEnd(10),
    `${wrongConfident}`.padEnd(8),
    `${empty}`.padEnd(6),
  ].join(' ');
}
