import { LAYOUTS, type LayoutSpec, type MrzLayoutName, textOf } from './mrz-layouts.js';
import { documentNumberSpan, icaoCheckDigit, repairZone } from './mrz-repair.js';

export { icaoCheckDigit };
export type MrzLayout = MrzLayoutName;

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
  /** The document code (P, PV, ID, IR, V, ...), fillers dropped. */
  documentCode: string;
  lines: string[];
  lastName: MrzField;
  firstName: MrzField;
  documentNumber: MrzField;
  /** Other readings of the document number its check digit accepts: only the print can decide. */
  documentNumberAlternatives: string[];
  /** The document number passes its check only after a look-alike repair (a guess). */
  documentNumberRepaired: boolean;
  birthDate: MrzField;
  expirationDate: MrzField;
  /** Every check digit on the zone verified. */
  valid: boolean;
  /** How many check digits fail after repair: 0 for a clean read. */
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

function cleanLine(line: string): string {
  // OCR reads a run of fillers as guillemets now and then.
  return line
    .toUpperCase()
    .replace(/«/g, '<<')
    .replace(/[^A-Z0-9<]/g, '');
}

/**
 * The ways an OCR line may fit the layout's length. OCR drops or adds characters mostly in
 * filler runs, or adds noise at an end; each variant is a guess the check digits judge.
 */
function fittings(line: string, length: number): string[] {
  if (line.length === length) return [line];
  const variants: string[] = [];
  const runs = [...line.matchAll(/<{2,}/g)].sort((a, b) => b[0].length - a[0].length);
  const longest = runs[0];
  const delta = length - line.length;
  if (longest?.index !== undefined && longest[0].length + delta >= 1) {
    const at = longest.index;
    const run = '<'.repeat(longest[0].length + delta);
    variants.push(line.slice(0, at) + run + line.slice(at + longest[0].length));
  }
  if (delta > 0 && line.endsWith('<')) variants.push(line.padEnd(length, '<'));
  if (delta < 0) variants.push(line.slice(0, length), line.slice(-length));
  return [...new Set(variants)];
}

/** All runs of consecutive lines that could be an MRZ, in each layout they could fit. */
export function mrzCandidates(text: string): { layout: LayoutSpec; lines: string[] }[] {
  const lines = text.split('\n').map(cleanLine);
  const candidates: { layout: LayoutSpec; lines: string[] }[] = [];
  for (const layout of LAYOUTS) {
    const { lineLength, lineCount } = layout;
    for (let start = 0; start + lineCount <= lines.length; start++) {
      const group = lines.slice(start, start + lineCount);
      if (!group.every((line) => Math.abs(line.length - lineLength) <= 4)) continue;
      // Visas start with V; the other documents with P, I, A or C.
      if ((group[0]?.startsWith('V') ?? false) !== layout.visa) continue;
      let combos: string[][] = [[]];
      for (const line of group) {
        const options = fittings(line, lineLength);
        combos = combos.flatMap((combo) => options.map((option) => [...combo, option]));
      }
      for (const combo of combos) candidates.push({ layout, lines: combo });
    }
  }
  return candidates;
}

/** Names: primary and secondary identifiers split by `<<`, the filler run that ends them cut off. */
function names(text: string): { last: string; given: string } {
  // OCR turns a filler or two of the trailing run into letters: the name ends at `<<<`.
  const end = text.indexOf('<<<');
  const [last = '', ...given] = (end === -1 ? text : text.slice(0, end)).split('<<');
  const words = (part: string) => part.replace(/</g, ' ').trim();
  return { last: words(last), given: words(given.join(' ')) };
}

function field(
  lines: string[],
  spec: { line: number; start: number; end: number },
  checked: boolean,
  checkDigit: string | null,
  value = textOf(lines, { ...spec, chars: 'alnum' }),
): MrzField {
  return { value, checked, checkDigit, span: spec };
}

/** Parses one candidate under its layout, repairing look-alikes; null if it is not an MRZ. */
export function readMrz(
  candidate: { layout: LayoutSpec; lines: string[] },
  confidence: number,
): MrzReading | null {
  const { layout } = candidate;
  const repaired = repairZone(candidate.lines, layout);
  const { lines, failed } = repaired;
  const ok = (name: string) => !failed.includes(name);
  // Text that merely has the MRZ's shape (a row of a table, noise) passes no check digit.
  if (!ok('documentNumber') && !ok('birthDate') && !ok('expirationDate')) return null;
  const grid = lines.map((line) => [...line]);
  const span = documentNumberSpan(grid, layout);
  const number = span.positions.map(([line, pos]) => lines[line]?.[pos] ?? '').join('');
  const [first] = span.positions;
  const { fields } = layout;
  const nameText = textOf(lines, fields.names);
  const { last, given } = names(nameText);
  const lastSpan = { ...fields.names, end: fields.names.start + last.length };
  return {
    format: layout.name,
    documentCode: textOf(lines, fields.documentCode).replace(/</g, ''),
    lines,
    lastName: field(lines, lastSpan, false, null, last),
    firstName: field(lines, fields.names, false, null, given),
    documentNumber: field(
      lines,
      first ? { line: first[0], start: first[1], end: first[1] + 9 } : fields.documentNumber,
      ok('documentNumber'),
      lines[span.checkAt[0]]?.[span.checkAt[1]] ?? null,
      number.replace(/<+$/, ''),
    ),
    documentNumberAlternatives: repaired.numberAlternatives.map((alt) => alt.replace(/<+$/, '')),
    documentNumberRepaired: repaired.numberRepaired,
    birthDate: field(
      lines,
      fields.birthDate,
      ok('birthDate'),
      checkDigitAt(lines, layout, 'birthDate'),
    ),
    expirationDate: field(
      lines,
      fields.expirationDate,
      ok('expirationDate'),
      checkDigitAt(lines, layout, 'expirationDate'),
    ),
    valid: failed.length === 0,
    invalidFields: failed.length,
    confidence,
  };
}

function checkDigitAt(
  lines: string[],
  layout: LayoutSpec,
  name: 'birthDate' | 'expirationDate',
): string | null {
  const { at } = layout.checks[name];
  return lines[at.line]?.[at.pos] ?? null;
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
