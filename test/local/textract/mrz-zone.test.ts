import { describe, expect, it } from 'vitest';
import { findMrz, icaoCheckDigit, mrzCandidates } from '../../../local/textract/mrz-zone.js';

/** An OCR reading at a typical confidence. */
function ocr(text: string) {
  return { text, confidence: 85 };
}

const TD1 = [
  'IDFRAT220001293<<<<<<<<<<<<<<<',
  '9004126F3406304FRA<<<<<<<<<<<8',
  'MARTIN<<CLAIRE<<<<<<<<<<<<<<<<',
];
const TD3 = [
  'P<GBRONEILL<<SIOBHAN<<<<<<<<<<<<<<<<<<<<<<<<',
  '5334013720GBR0101310F3101311<<<<<<<<<<<<<<00',
];

describe('findMrz', () => {
  it('reads a clean TD1 zone among other text', () => {
    const reading = findMrz([ocr(`IDENTITY CARD\n${TD1.join('\n')}\n`)]);
    expect(reading).toMatchObject({
      format: 'TD1',
      valid: true,
      confidence: 85,
      documentNumber: { value: 'T22000129', checked: true },
      birthDate: { value: '900412', checked: true },
      expirationDate: { value: '340630', checked: true },
      lastName: { value: 'MARTIN' },
      firstName: { value: 'CLAIRE' },
    });
  });

  it('reads a TD3 zone with OCR spaces and a dropped trailing filler', () => {
    const [line1, line2] = TD3 as [string, string];
    const reading = findMrz([
      ocr(`${line1.slice(0, 40)}\n${line2.slice(0, 20)} ${line2.slice(20)}`),
    ]);
    expect(reading).toMatchObject({ format: 'TD3', valid: true, lines: TD3 });
  });

  it('autocorrects letters read in digit fields', () => {
    const misread = [TD1[0], '9OO4126F34O6304FRA<<<<<<<<<<<8', TD1[2]];
    expect(findMrz([ocr(misread.join('\n'))])).toMatchObject({
      valid: true,
      birthDate: { value: '900412', checked: true },
    });
  });

  it('repairs a look-alike in the document number by its check digit', () => {
    const misread = ['IDFRAT22000I293<<<<<<<<<<<<<<<', TD1[1], TD1[2]];
    expect(findMrz([ocr(misread.join('\n'))])).toMatchObject({
      valid: true,
      documentNumber: { value: 'T22000129', checked: true },
      documentNumberRepaired: true,
      lines: TD1,
    });
  });

  it('keeps the other look-alike readings the check digit accepts, fewest swaps first', () => {
    // O at weights 7 and 3 adds 24 x 10: two swaps the check digit cannot see.
    const misread = ['IDFRAT22OO0I293<<<<<<<<<<<<<<<', TD1[1], TD1[2]];
    const reading = findMrz([ocr(misread.join('\n'))]);
    expect(reading?.documentNumber.value).toBe('T22OO0129');
    expect(reading?.documentNumberAlternatives).toContain('T22000129');
  });

  it('reads digits and letters by position: O in a date is 0, 0 in a name is O', () => {
    const misread = [TD1[0], '9OO4126F34O6304FRA<<<<<<<<<<<8', 'MART1N<<CLA1RE<<<<<<<<<<<<<<<<'];
    expect(findMrz([ocr(misread.join('\n'))])).toMatchObject({
      valid: true,
      lastName: { value: 'MARTIN' },
      firstName: { value: 'CLAIRE' },
    });
  });

  it('flags a field whose check digit fails and keeps the digit read', () => {
    const misread = [TD1[0], '9004A26F3406304FRA<<<<<<<<<<<8', TD1[2]];
    const reading = findMrz([ocr(misread.join('\n'))]);
    expect(reading?.valid).toBe(false);
    expect(reading?.birthDate).toMatchObject({ checked: false, checkDigit: '6' });
    expect(reading?.documentNumber.checked).toBe(true);
  });

  it('prefers the text that reads more cleanly', () => {
    const broken = TD1.map((line) => line.replace(/\d/g, '8')).join('\n');
    expect(findMrz([ocr(broken), ocr(TD1.join('\n'))])?.valid).toBe(true);
  });

  it.each([
    ['no text', ''],
    ['prose', 'SURNAME MARTIN\nGIVEN NAMES CLAIRE'],
    [
      'MRZ-shaped noise',
      'A'.repeat(30).repeat(1).concat('\n', 'B'.repeat(30), '\n', 'C'.repeat(30)),
    ],
  ])('finds nothing in %s', (_, text) => {
    expect(findMrz([ocr(text)])).toBeNull();
  });
});

describe('findMrz: two-line layouts of ICAO 9303 (its own examples)', () => {
  it.each([
    [
      'TD2',
      ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'],
      'D23145890',
      '740812',
      '120415',
    ],
    [
      'MRV-A',
      [
        'V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
        'L8988901C4XXX4009078F96121096ZE184226B<<<<<<',
      ],
      'L8988901C',
      '400907',
      '961210',
    ],
    [
      'MRV-B',
      ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'],
      'L8988901C',
      '400907',
      '961210',
    ],
  ])('reads %s', (format, lines, number, birth, expiry) => {
    expect(findMrz([ocr(lines.join('\n'))])).toMatchObject({
      format,
      valid: true,
      documentNumber: { value: number, checked: true },
      birthDate: { value: birth, checked: true },
      expirationDate: { value: expiry, checked: true },
      lastName: { value: 'ERIKSSON' },
      firstName: { value: 'ANNA MARIA' },
    });
  });

  it('reads a TD3 zone whose OCR dropped fillers inside the line and added noise at its end', () => {
    const [line1, line2] = TD3 as [string, string];
    const noisy = `${line1.replace('<<<<<<', '<<<<')}\n${line2}M`;
    expect(findMrz([ocr(noisy)])).toMatchObject({ format: 'TD3', valid: true, lines: TD3 });
  });
});

describe('mrzCandidates', () => {
  it('keeps only line groups of a known layout', () => {
    const candidates = mrzCandidates(`${TD1.join('\n')}\nshort`);
    expect(candidates.map(({ layout, lines }) => [layout.name, lines])).toEqual([['TD1', TD1]]);
  });
});

it('computes ICAO check digits', () => {
  expect(icaoCheckDigit('L898902C3')).toBe('6');
  expect(icaoCheckDigit('L898902C<')).toBe(icaoCheckDigit('L898902C0'));
});
