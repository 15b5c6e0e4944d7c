import { type Details, type FieldName, parse } from 'mrz';

/** The MRZ layouts of ID cards (TD1) and passport data pages (TD3). */
const LAYOUTS = [
  { format: 'TD3', length: 44, count: 2 },
  { format: 'TD1', length: 30, count: 3 },
] as const;

export type MrzLayout = (typeof LAYOUTS)[number]['format'];

export interface MrzField {
  value: string;
  /** The field and, where it has one, its check digit verified. */
  checked: boolean;
  /** The check digit as read, to test other readings of the field against. */
  checkDigit: string | null;
  /** Where the field sits in the MRZ lines (end exclusive). */
  span: { line: number; start: number; end: number } | null;
}

export interface MrzReading {
  format: MrzLayout;
  lines: string[];
  lastName: MrzField;
  firstName: MrzField;
  documentNumber: MrzField;
  birthDate: MrzField;
  expirationDate: MrzField;
  /** Every check digit on the zone verified. */
  valid: boolean;
  /** How many fields the parser rejected (bad check digit or character): 0 for a clean read. */
  invalidFields: number;
  /** OCR confidence of the text it was read from, 0-100. */
  confidence: number;
}

/** One OCR reading that may contain the MRZ. */
export interface MrzSource {
  text: string;
  /** 0-100 */
  confidence: number;
}

const WEIGHTS = [7, 3, 1];

/**
 * ICAO 9303 check digit (weights 7-3-1; A-Z = 10-35; '<' = 0). The sample-data generator
 * has its own copy on purpose: test documents must not share code with their reader.
 */
export function icaoCheckDigit(field: string): string {
  let sum = 0;
  for (const [i, char] of [...field.toUpperCase()].entries()) {
    const value = /\d/.test(char) ? Number(char) : /[A-Z]/.test(char) ? char.charCodeAt(0) - 55 : 0;
    sum += value * (WEIGHTS[i % 3] as number);
  }
  return String(sum % 10);
}

function cleanLine(line: string): string {
  return line.toUpperCase().replace(/[^A-Z0-9<]/g, '');
}

/**
 * Fits an OCR line to the layout's length. The only losses worth repairing are in the
 * filler run at the end of a line (`<<<<` is where OCR drops or adds characters); a line
 * that differs elsewhere is returned as is and will fail the length check.
 */
function fitLength(line: string, length: number): string {
  if (line.length < length && line.endsWith('<')) return line.padEnd(length, '<');
  if (line.length > length && /<+$/.test(line.slice(length))) return line.slice(0, length);
  return line;
}

/** All runs of consecutive lines that could be an MRZ, best-fitting layout first. */
export function mrzCandidates(text: string): string[][] {
  const lines = text.split('\n').map(cleanLine);
  const candidates: string[][] = [];
  for (const { length, count } of LAYOUTS) {
    for (let start = 0; start + count <= lines.length; start++) {
      const group = lines.slice(start, start + count);
      // A tolerance of a few characters for the filler repair above.
      if (group.every((line) => Math.abs(line.length - length) <= 4)) {
        const fitted = group.map((line) => fitLength(line, length));
        if (fitted.every((line) => line.length === length)) candidates.push(fitted);
      }
    }
  }
  return candidates;
}

function field(details: Details[], name: FieldName, checkDigit?: FieldName): MrzField {
  const detail = details.find((d) => d.field === name);
  const check = checkDigit ? details.find((d) => d.field === checkDigit) : undefined;
  return {
    value: detail?.value ?? '',
    checked: Boolean(detail?.valid) && (checkDigit === undefined || Boolean(check?.valid)),
    checkDigit: check?.value ?? null,
    span: detail ? { line: detail.line, start: detail.start, end: detail.end } : null,
  };
}

/** The lines with the parser's corrections (O read for 0 in a date, ...) written in. */
function applyAutocorrections(lines: string[], details: Details[]): string[] {
  const chars = lines.map((line) => [...line]);
  for (const { line, column, corrected } of details.flatMap((d) => d.autocorrect)) {
    const row = chars[line];
    if (row) row[column] = corrected;
  }
  return chars.map((row) => row.join(''));
}

/** The lines with one field's text replaced, padded with fillers to the field's width. */
export function replaceField(lines: string[], field: MrzField, value: string): string[] {
  const { span } = field;
  if (!span) return lines;
  return lines.map((line, index) =>
    index === span.line
      ? line.slice(0, span.start) + value.padEnd(span.end - span.start, '<') + line.slice(span.end)
      : line,
  );
}

/** Parses one candidate with the `mrz` package's autocorrection; null if not an MRZ. */
export function readMrz(lines: string[], confidence: number): MrzReading | null {
  let result: ReturnType<typeof parse>;
  try {
    result = parse(lines, { autocorrect: true });
  } catch {
    return null;
  }
  if (result.format !== 'TD1' && result.format !== 'TD3') return null;
  const { details } = result;
  const documentNumber = field(details, 'documentNumber', 'documentNumberCheckDigit');
  const birthDate = field(details, 'birthDate', 'birthDateCheckDigit');
  const expirationDate = field(details, 'expirationDate', 'expirationDateCheckDigit');
  // Text that merely has the MRZ's shape (a row of a table, noise) passes no check digit.
  if (!documentNumber.checked && !birthDate.checked && !expirationDate.checked) return null;
  return {
    format: result.format,
    lines: applyAutocorrections(lines, details),
    lastName: field(details, 'lastName'),
    firstName: field(details, 'firstName'),
    documentNumber,
    birthDate,
    expirationDate,
    valid: result.valid,
    invalidFields: details.filter((d) => !d.valid).length,
    confidence,
  };
}

/** The best-reading MRZ among the candidates in the OCR readings, or null. */
export function findMrz(sources: MrzSource[]): MrzReading | null {
  let best: MrzReading | null = null;
  for (const { text, confidence } of sources) {
    for (const candidate of mrzCandidates(text)) {
      const reading = readMrz(candidate, confidence);
      if (reading && (best === null || reading.invalidFields < best.invalidFields)) best = reading;
      if (best?.valid) return best;
    }
  }
  return best;
}
