/**
 * ICAO 9303 machine-readable-zone layouts as position tables: where each field sits, what
 * characters it may hold, and which check digits cover it. Documents: TD1 (3x30, ID
 * cards), TD2 (2x36), TD3 (2x44, passports), and the visas MRV-A (2x44) and MRV-B (2x36),
 * which carry no composite check digit.
 */

/** What a position may hold: OCR repairs go by it (O read in a date is a 0). */
export type CharClass = 'alpha' | 'numeric' | 'alnum';

export interface FieldSpec {
  line: number;
  start: number;
  /** Exclusive. */
  end: number;
  chars: CharClass;
}

export interface CheckSpec {
  /** The fields the check digit covers, in order. */
  over: readonly FieldSpec[];
  at: { line: number; pos: number };
}

export type MrzLayoutName = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';

export interface LayoutSpec {
  name: MrzLayoutName;
  lineLength: number;
  lineCount: number;
  /** First character of the document code: V for visas; P, I, A, C for the others. */
  visa: boolean;
  fields: {
    documentCode: FieldSpec;
    names: FieldSpec;
    documentNumber: FieldSpec;
    birthDate: FieldSpec;
    sex: FieldSpec;
    expirationDate: FieldSpec;
    /** Optional data where a long document number continues (TD1, TD2). */
    numberOverflow: FieldSpec | null;
  };
  checks: {
    documentNumber: CheckSpec;
    birthDate: CheckSpec;
    expirationDate: CheckSpec;
    personalNumber: CheckSpec | null;
    composite: CheckSpec | null;
  };
  /** Every position's character class, line by line. */
  classes: CharClass[][];
}

const f = (line: number, start: number, end: number, chars: CharClass): FieldSpec => ({
  line,
  start,
  end,
  chars,
});
const digit = (line: number, pos: number): FieldSpec => f(line, pos, pos + 1, 'numeric');

function classesOf(lineCount: number, lineLength: number, fields: FieldSpec[]): CharClass[][] {
  const classes = Array.from({ length: lineCount }, () =>
    Array.from({ length: lineLength }, (): CharClass => 'alnum'),
  );
  for (const field of fields) {
    for (let i = field.start; i < field.end; i++) {
      const row = classes[field.line];
      if (row) row[i] = field.chars;
    }
  }
  return classes;
}

/** The second line of TD2, TD3 and both visas: number, nationality, dates, sex. */
function twoLineLayout(name: MrzLayoutName, lineLength: 36 | 44, visa: boolean): LayoutSpec {
  const number = f(1, 0, 9, 'alnum');
  const birth = f(1, 13, 19, 'numeric');
  const expiry = f(1, 21, 27, 'numeric');
  const optionalEnd = lineLength === 44 && !visa ? 42 : visa ? lineLength : lineLength - 1;
  const optional = f(1, 28, optionalEnd, 'alnum');
  const checks = {
    documentNumber: { over: [number], at: { line: 1, pos: 9 } },
    birthDate: { over: [birth], at: { line: 1, pos: 19 } },
    expirationDate: { over: [expiry], at: { line: 1, pos: 27 } },
    personalNumber:
      lineLength === 44 && !visa ? { over: [optional], at: { line: 1, pos: 42 } } : null,
    composite: visa
      ? null
      : {
          over: [f(1, 0, 10, 'alnum'), f(1, 13, 20, 'numeric'), f(1, 21, lineLength - 1, 'alnum')],
          at: { line: 1, pos: lineLength - 1 },
        },
  };
  const fields = {
    documentCode: f(0, 0, 2, 'alpha'),
    names: f(0, 5, lineLength, 'alpha'),
    documentNumber: number,
    birthDate: birth,
    sex: f(1, 20, 21, 'alpha'),
    expirationDate: expiry,
    numberOverflow: lineLength === 36 && !visa ? optional : null,
  };
  const typed = [
    fields.documentCode,
    f(0, 2, 5, 'alpha'),
    fields.names,
    f(1, 10, 13, 'alpha'),
    birth,
    expiry,
    ...[9, 19, 27].map((pos) => digit(1, pos)),
    ...(checks.personalNumber ? [digit(1, 42)] : []),
    ...(checks.composite ? [digit(1, lineLength - 1)] : []),
  ];
  return {
    name,
    lineLength,
    lineCount: 2,
    visa,
    fields,
    checks,
    classes: classesOf(2, lineLength, typed),
  };
}

function td1(): LayoutSpec {
  const number = f(0, 5, 14, 'alnum');
  const birth = f(1, 0, 6, 'numeric');
  const expiry = f(1, 8, 14, 'numeric');
  const fields = {
    documentCode: f(0, 0, 2, 'alpha'),
    names: f(2, 0, 30, 'alpha'),
    documentNumber: number,
    birthDate: birth,
    sex: f(1, 7, 8, 'alpha'),
    expirationDate: expiry,
    numberOverflow: f(0, 15, 30, 'alnum'),
  };
  const typed = [
    fields.documentCode,
    f(0, 2, 5, 'alpha'),
    birth,
    expiry,
    f(1, 15, 18, 'alpha'),
    fields.names,
    digit(1, 6),
    digit(1, 14),
    digit(1, 29),
  ];
  return {
    name: 'TD1',
    lineLength: 30,
    lineCount: 3,
    visa: false,
    fields,
    checks: {
      documentNumber: { over: [number], at: { line: 0, pos: 14 } },
      birthDate: { over: [birth], at: { line: 1, pos: 6 } },
      expirationDate: { over: [expiry], at: { line: 1, pos: 14 } },
      personalNumber: null,
      composite: {
        over: [
          f(0, 5, 30, 'alnum'),
          f(1, 0, 7, 'numeric'),
          f(1, 8, 15, 'numeric'),
          f(1, 18, 29, 'alnum'),
        ],
        at: { line: 1, pos: 29 },
      },
    },
    classes: classesOf(3, 30, typed),
  };
}

export const LAYOUTS: readonly LayoutSpec[] = [
  twoLineLayout('TD3', 44, false),
  twoLineLayout('MRV-A', 44, true),
  td1(),
  twoLineLayout('TD2', 36, false),
  twoLineLayout('MRV-B', 36, true),
];

export function textOf(lines: readonly string[], field: FieldSpec): string {
  return (lines[field.line] ?? '').slice(field.start, field.end);
}
