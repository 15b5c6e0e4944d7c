import { describe, expect, it } from 'vitest';
import { expandMrzDate, normalizedDate, parsePrintedDate } from '../../../local/textract/dates.js';

const today = new Date('2026-11-21T12:00:00Z');

describe('expandMrzDate', () => {
  it.each([
    ['900412', 'birth', '1990-04-12'],
    ['010131', 'birth', '2001-01-31'],
    ['261121', 'birth', '2026-11-21'],
    ['261122', 'birth', '1926-11-22'],
    ['340630', 'expiry', '2034-06-30'],
    ['210314', 'expiry', '2021-03-14'],
    ['760101', 'expiry', '2076-01-01'],
    ['770101', 'expiry', '1977-01-01'],
    ['240229', 'expiry', '2024-02-29'],
  ] as const)('%s as %s -> %s', (yymmdd, kind, expected) => {
    expect(expandMrzDate(yymmdd, kind, today)).toBe(expected);
  });

  it.each(['991332', '230229', '12AB56', ''])('rejects %j', (yymmdd) => {
    expect(expandMrzDate(yymmdd, 'birth', today)).toBeNull();
  });
});

describe('parsePrintedDate', () => {
  it.each([
    ['12.04.1990', ['1990-04-12']],
    ['12 APR 1990', ['1990-04-12']],
    ['30 JUN/JUIN 2034', ['2034-06-30']],
    ['1990-04-12', ['1990-04-12']],
    ['03/11/1979', ['1979-03-11', '1979-11-03']],
    ['31/01/2031', ['2031-01-31']],
    ['no date', []],
  ])('%j -> %j', (text, expected) => {
    expect(parsePrintedDate(text)).toEqual(expected);
  });
});

it('normalizes as Textract does', () => {
  expect(normalizedDate('2031-01-31')).toBe('2031-01-31T00:00:00');
});
