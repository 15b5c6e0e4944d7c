import { describe, expect, it } from 'vitest';
import {
  ageOn,
  isIsoDate,
  mrzAgrees,
  mrzDisagreements,
} from '../../../functions/domain/document.js';

describe('ageOn', () => {
  // biome-ignore format: one table row per line
  const rows: [birth: string, today: string, age: number][] = [
    ['2000-06-15', '2026-06-15', 26], // birthday today
    ['2000-06-15', '2026-06-14', 25], // birthday tomorrow
    ['2000-06-16', '2026-06-15', 25],
    ['2000-05-20', '2026-06-15', 26], // earlier month
    ['2000-07-01', '2026-06-15', 25], // later month
    ['2000-12-31', '2026-01-01', 25],
    ['2000-01-01', '2026-12-31', 26],
    ['2026-06-15', '2026-06-15', 0], // born today
    ['2008-02-29', '2026-02-28', 17], // leap-day birthday: not yet on 28 February
    ['2008-02-29', '2026-03-01', 18], // ... reached on 1 March in a common year
    ['2008-02-29', '2028-02-28', 19],
    ['2008-02-29', '2028-02-29', 20], // ... and on 29 February in a leap year
    ['2007-03-01', '2025-02-28', 17],
    ['2007-03-01', '2025-03-01', 18],
  ];
  it.each(rows)('born %s, on %s -> %i', (birth, today, age) => {
    expect(ageOn(birth, today)).toBe(age);
  });
});

describe('isIsoDate', () => {
  // biome-ignore format: one table row per line
  const rows: [value: string | undefined, valid: boolean][] = [
    ['2026-06-15', true],
    ['2026-02-28', true],
    ['2028-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400
    ['1999-12-31', true],
    ['2026-02-29', false], // not a leap year
    ['1900-02-29', false], // divisible by 100, not 400
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-01-32', false],
    ['2026-1-05', false],
    ['26-01-05', false],
    ['20260105', false],
    ['2026/01/05', false],
    ['05.01.2026', false],
    ['2026-01-05T00:00:00Z', false],
    [' 2026-01-05', false],
    ['2026-01-05\n', false],
    ['', false],
    [undefined, false],
  ];
  it.each(rows)('%j -> %s', (value, valid) => {
    expect(isIsoDate(value)).toBe(valid);
  });
});

describe('mrzAgrees', () => {
  // ICAO 9303 TD3 specimen: document number L898902C3, born 1974-08-12, expires 2012-04-15.
  const line1 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
  const line2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
  const td3 = `${line1}\n${line2}`;
  // TD1 identity card: number D23145890, born 1974-08-12.
  const td1 = [
    'I<UTOD231458907<<<<<<<<<<<<<<<',
    '7408122F1204159UTO<<<<<<<<<<<6',
    'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
  ].join('\n');

  // biome-ignore format: one table row per line
  const rows: [title: string, mrz: string, number: string | undefined, birth: string | undefined, agrees: boolean][] = [
    ['TD3, both agree', td3, 'L898902C3', '1974-08-12', true],
    ['TD1, both agree', td1, 'D23145890', '1974-08-12', true],
    ['lines joined without a break', line1 + line2, 'L898902C3', '1974-08-12', true],
    ['MRZ with spaces and CRLF', `${line1}\r\n ${line2.slice(0, 10)} ${line2.slice(10)} `, 'L898902C3', '1974-08-12', true],
    ['MRZ in lower case', td3.toLowerCase(), 'L898902C3', '1974-08-12', true],
    ['number in lower case', td3, 'l898902c3', '1974-08-12', true],
    ['number printed with spaces', td3, 'L898 902 C3', '1974-08-12', true],
    ['number printed with hyphens', td3, 'L898-902-C3', '1974-08-12', true],
    ['number with trailing fillers', td3, 'L898902C3<<', '1974-08-12', true],
    ['an MRZ in no ICAO layout', 'P<UTOX<<Y\nAB<12<<<<<<<9UTO7408122F', 'AB12', '1974-08-12', false],
    ['wrong number (last char)', td3, 'L898902C4', '1974-08-12', false],
    ['wrong number (transposed)', td3, 'L898920C3', '1974-08-12', false],
    ['empty number', td3, '', '1974-08-12', false],
    ['number of fillers only', td3, '<< ', '1974-08-12', false],
    ['no number', td3, undefined, '1974-08-12', false],
    ['wrong day of birth', td3, 'L898902C3', '1974-08-13', false],
    ['wrong year of birth', td3, 'L898902C3', '1975-08-12', false],
    ['day and month swapped', td3, 'L898902C3', '1974-12-08', false],
    ['no date of birth', td3, 'L898902C3', undefined, false],
    ['date of birth not ISO', td3, 'L898902C3', '12.08.1974', false],
    ['date of birth impossible', td3, 'L898902C3', '1974-02-30', false],
    ['empty MRZ', '', 'L898902C3', '1974-08-12', false],
  ];
  it.each(rows)('%s -> %s', (_title, mrz, number, birth, agrees) => {
    expect(mrzAgrees(mrz, number, birth)).toBe(agrees);
  });

  it('a printed date of birth equal to the MRZ expiry date does not agree', () => {
    // 120415 is the MRZ's expiry field: only the birth-date field may confirm a birth date.
    expect(mrzAgrees(td3, 'L898902C3', '2012-04-15')).toBe(false);
  });
});

describe('mrzDisagreements', () => {
  const TD3 =
    'P<AUSCITIZEN<<JANE<<<<<<<<<<<<<<<<<<<<<<<<<<\nPA09404433AUS8406077F1903212<17332717P<<<<68';
  const field = (text: string, date?: string) => ({ text, confidence: 60, ...(date && { date }) });

  it('names the printed fields the MRZ contradicts', () => {
    // The Australian specimen prints expiry 01 MAR 2024; its MRZ says 190321.
    const fields = {
      DOCUMENT_NUMBER: field('PA0940443'),
      DATE_OF_BIRTH: field('07 JUN 1984', '1984-06-07'),
      EXPIRATION_DATE: field('01 MAR 2024', '2024-03-01'),
    };
    expect(mrzDisagreements(TD3, fields)).toEqual(['EXPIRATION_DATE']);
  });

  it('finds nothing against agreeing fields, fields not read, or an MRZ in no layout', () => {
    const agreeing = {
      DOCUMENT_NUMBER: field('PA0940443'),
      EXPIRATION_DATE: field('21 MAR 2019', '2019-03-21'),
    };
    expect(mrzDisagreements(TD3, agreeing)).toEqual([]);
    expect(mrzDisagreements(TD3, {})).toEqual([]);
    expect(mrzDisagreements('P<AUS', { DOCUMENT_NUMBER: field('X') })).toEqual([]);
  });

  it('flags a different number and a different birth date', () => {
    const fields = {
      DOCUMENT_NUMBER: field('PA0940448'),
      DATE_OF_BIRTH: field('07 JUN 1964', '1964-06-07'),
    };
    expect(mrzDisagreements(TD3, fields)).toEqual(['DOCUMENT_NUMBER', 'DATE_OF_BIRTH']);
  });
});
