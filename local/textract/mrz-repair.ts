/**
 * OCR repair of a machine-readable zone by the standard's own constraints: a numeric
 * position holds a digit and an alphabetic one a letter (O read in a date is a 0), and
 * where a position may hold either, the check digits, the composite included, choose
 * among the look-alike readings.
 */
import type { CharClass, CheckSpec, LayoutSpec } from './mrz-layouts.js';

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

/** Letters OCR confuses with a digit, and back. */
const LETTER_TO_DIGIT: Record<string, string> = {
  O: '0',
  Q: '0',
  D: '0',
  I: '1',
  Z: '2',
  S: '5',
  B: '8',
  G: '6',
};
const DIGIT_TO_LETTER: Record<string, string> = {
  '0': 'O',
  '1': 'I',
  '2': 'Z',
  '5': 'S',
  '8': 'B',
  '6': 'G',
};
const DIGIT_LOOKALIKES: Record<string, string[]> = {};
for (const [letter, digit] of Object.entries(LETTER_TO_DIGIT)) {
  DIGIT_LOOKALIKES[digit] = [...(DIGIT_LOOKALIKES[digit] ?? []), letter];
}

function fixedChar(char: string, chars: CharClass): string {
  if (chars === 'numeric') return LETTER_TO_DIGIT[char] ?? char;
  if (chars === 'alpha') return DIGIT_TO_LETTER[char] ?? char;
  return char;
}

/** The readings a character at a letter-or-digit position may stand for, as read first. */
function lookalikes(char: string): string[] {
  const digit = LETTER_TO_DIGIT[char];
  if (digit) return [char, digit];
  return [char, ...(DIGIT_LOOKALIKES[char] ?? [])];
}

type Grid = string[][];
type Position = readonly [line: number, pos: number];

function checkPasses(grid: Grid, check: CheckSpec): boolean {
  const text = check.over
    .map((field) => (grid[field.line] ?? []).slice(field.start, field.end).join(''))
    .join('');
  const digit = grid[check.at.line]?.[check.at.pos] ?? '';
  // An empty optional field may carry a filler for its check digit.
  if (digit === '<') return /^<*$/.test(text);
  return icaoCheckDigit(text) === digit;
}

/** One alphanumeric field the check digits can repair: its positions and own check. */
interface RepairableField {
  positions: Position[];
  check: CheckSpec;
}

interface Assignment {
  values: string[];
  changes: number;
}

/** At most this many look-alike swaps in one field. */
const MAX_REPAIRS = 3;
/** Caps the look-alike search: 2^10 readings of one field. */
const MAX_ASSIGNMENTS = 1024;

/**
 * How often a reading switches between letters and digits: numbers are made of runs (a
 * letter prefix, then digits), so among equal repairs the one with fewer switches wins.
 */
function transitions(values: string[]): number {
  const kinds = values.filter((v) => v !== '<').map((v) => /\d/.test(v));
  return kinds.filter((kind, i) => i > 0 && kind !== kinds[i - 1]).length;
}

/** Every reading of the field's look-alikes that passes its own check digit, fewest changes first. */
function passingAssignments(grid: Grid, field: RepairableField): Assignment[] {
  const options = field.positions.map(([line, pos]) => lookalikes(grid[line]?.[pos] ?? '<'));
  const total = options.reduce((product, list) => product * list.length, 1);
  if (total > MAX_ASSIGNMENTS) return [];
  // The field's check covers exactly its positions, so each reading is checked on its own text.
  const digit = grid[field.check.at.line]?.[field.check.at.pos] ?? '';
  const passing: Assignment[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const values = options.map((list) => {
      const value = list[rest % list.length] as string;
      rest = Math.floor(rest / list.length);
      return value;
    });
    const text = values.join('');
    const passes = digit === '<' ? /^<*$/.test(text) : icaoCheckDigit(text) === digit;
    if (passes) {
      const changes = values.filter((value, i) => value !== options[i]?.[0]).length;
      passing.push({ values, changes });
    }
  }
  return passing.sort(
    (a, b) => a.changes - b.changes || transitions(a.values) - transitions(b.values),
  );
}

function write(grid: Grid, positions: Position[], values: string[]): Grid {
  const copy = grid.map((row) => [...row]);
  for (const [i, [line, pos]] of positions.entries()) {
    const row = copy[line];
    if (row) row[pos] = values[i] as string;
  }
  return copy;
}

function positionsOf(line: number, start: number, end: number): Position[] {
  return Array.from({ length: end - start }, (_, i): Position => [line, start + i]);
}

/**
 * The document number's positions: nine characters, or, where its check digit position
 * holds a filler, continued in the optional data up to its first filler, whose last
 * character is then the check digit (ICAO 9303 part 5, note j).
 */
export function documentNumberSpan(
  grid: Grid,
  layout: LayoutSpec,
): { positions: Position[]; checkAt: Position } {
  const { documentNumber: number, numberOverflow: overflow } = layout.fields;
  const at = layout.checks.documentNumber.at;
  const positions = positionsOf(number.line, number.start, number.end);
  if (!overflow || grid[at.line]?.[at.pos] !== '<')
    return { positions, checkAt: [at.line, at.pos] };
  const row = grid[overflow.line] ?? [];
  let end = overflow.start;
  while (end < overflow.end && row[end] !== '<') end++;
  if (end - overflow.start < 2) return { positions, checkAt: [at.line, at.pos] };
  return {
    positions: [...positions, ...positionsOf(overflow.line, overflow.start, end - 1)],
    checkAt: [overflow.line, end - 1],
  };
}

export interface RepairedZone {
  lines: string[];
  /** Names of the checks that fail after repair. */
  failed: string[];
  /** Whether the document number was changed at a letter-or-digit position to pass its check. */
  numberRepaired: boolean;
  /** Other readings of the document number that pass its check digit too. */
  numberAlternatives: string[];
}

/** A check over explicit positions (the long document number), as a CheckSpec. */
function checkOverPositions(positions: Position[], at: Position): CheckSpec {
  return {
    over: positions.map(([line, pos]) => ({ line, start: pos, end: pos + 1, chars: 'alnum' })),
    at: { line: at[0], pos: at[1] },
  };
}

/** Repairs one candidate zone (lines already of the layout's size) under a layout. */
export function repairZone(lines: readonly string[], layout: LayoutSpec): RepairedZone {
  let grid: Grid = lines.map((line, l) =>
    [...line].map((char, i) => fixedChar(char, layout.classes[l]?.[i] ?? 'alnum')),
  );
  const span = documentNumberSpan(grid, layout);
  const number: RepairableField = {
    positions: span.positions,
    check: checkOverPositions(span.positions, span.checkAt),
  };
  const personalCheck = layout.checks.personalNumber;
  const personal: RepairableField | null = personalCheck
    ? {
        positions: positionsOf(1, 28, 42),
        check: personalCheck,
      }
    : null;
  // The composite cannot choose among readings of one field that pass its own check: the
  // field opens the composite's text with the same weights, so its sum moves alike. The
  // fewest changes win; the others are kept for the printed number to decide.
  const numberOptions = passingAssignments(grid, number).filter(
    (option) => option.changes <= MAX_REPAIRS,
  );
  const [bestNumber] = numberOptions;
  if (bestNumber) grid = write(grid, number.positions, bestNumber.values);
  const [bestPersonal] = personal ? passingAssignments(grid, personal) : [];
  if (personal && bestPersonal) grid = write(grid, personal.positions, bestPersonal.values);
  const numberAlternatives = numberOptions.slice(1).map((option) => option.values.join(''));
  const checks: [string, CheckSpec | null][] = [
    ['documentNumber', number.check],
    ['birthDate', layout.checks.birthDate],
    ['expirationDate', layout.checks.expirationDate],
    ['personalNumber', personalCheck],
    ['composite', layout.checks.composite],
  ];
  return {
    lines: grid.map((row) => row.join('')),
    failed: checks
      .filter(([, check]) => check !== null && !checkPasses(grid, check))
      .map(([name]) => name),
    numberRepaired: (bestNumber?.changes ?? 0) > 0,
    numberAlternatives,
  };
}
