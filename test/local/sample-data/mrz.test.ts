import { parse } from 'mrz';
import { describe, expect, it } from 'vitest';
import {
  buildMrz,
  checkDigit,
  type MrzData,
  transliterate,
} from '../../../local/sample-data/mrz.js';

describe('checkDigit', () => {
  // Worked examples from the ICAO 9303 part 3/4 specimens.
  it.each([
    ['L898902C3', '6'],
    ['740812', '2'],
    ['120415', '9'],
    ['D23145890', '7'],
    ['<<<<<<<<<<<<<<', '0'],
  ])('%s -> %s', (field, digit) => {
    expect(checkDigit(field)).toBe(digit);
  });

  it('rejects characters outside the MRZ alphabet', () => {
    expect(() => checkDigit('AB-1')).toThrow(RangeError);
  });
});

describe('transliterate', () => {
  it.each([
    ["O'Neill", 'ONEILL'],
    ['Müller-Lüdenscheidt', 'MUELLER<LUEDENSCHEIDT'],
    ['van der Berg', 'VAN<DER<BERG'],
    ['José María', 'JOSE<MARIA'],
    ['Strauß', 'STRAUSS'],
  ])('%s -> %s', (name, expected) => {
    expect(transliterate(name)).toBe(expected);
  });
});

const base: MrzData = {
  format: 'TD1',
  issuingState: 'FRA',
  nationality: 'FRA',
  surname: 'Martin',
  givenNames: 'Claire Anne',
  documentNumber: 'T22000129',
  dateOfBirth: '1990-04-12',
  expiryDate: '2034-06-30',
  sex: 'F',
};

describe('buildMrz', () => {
  it.each<[string, Partial<MrzData>]>([
    ['TD1 France', {}],
    ['TD1 Germany (one-letter code)', { issuingState: 'D', nationality: 'D', sex: 'M' }],
    ['TD1 short document number', { documentNumber: 'AB12' }],
    ['TD3 Netherlands', { format: 'TD3', issuingState: 'NLD', nationality: 'NLD' }],
    ['TD3 long name, truncated', { format: 'TD3', surname: 'Wolfeschlegelsteinhausenbergerdorff' }],
    ['TD3 other nationality', { format: 'TD3', issuingState: 'GBR', nationality: 'IRL', sex: 'X' }],
    ['TD2 Sweden', { format: 'TD2', issuingState: 'SWE', nationality: 'SWE' }],
  ])('%s parses with every check digit valid', (_, overrides) => {
    const data = { ...base, ...overrides };
    const lines = buildMrz(data);
    const result = parse(lines);
    expect(lines.map((line) => line.length)).toEqual(
      { TD1: [30, 30, 30], TD2: [36, 36], TD3: [44, 44] }[data.format],
    );
    expect(result.valid).toBe(true);
    expect(result.format).toBe(data.format);
    expect(result.fields.documentNumber).toBe(data.documentNumber);
    expect(result.fields.birthDate).toBe(data.dateOfBirth.replaceAll('-', '').slice(2));
    expect(result.fields.expirationDate).toBe(data.expiryDate.replaceAll('-', '').slice(2));
    expect(result.fields.issuingState).toBe(data.issuingState);
  });

  it('writes the ICAO TD1 layout field by field', () => {
    expect(buildMrz(base)).toEqual([
      'IDFRAT220001293<<<<<<<<<<<<<<<',
      '9004126F3406304FRA<<<<<<<<<<<8',
      'MARTIN<<CLAIRE<ANNE<<<<<<<<<<<',
    ]);
  });

  it('rejects document numbers the layout cannot hold', () => {
    expect(() => buildMrz({ ...base, documentNumber: 'TOO-LONG-NUMBER' })).toThrow(RangeError);
  });
});
