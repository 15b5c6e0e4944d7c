import type { IdentityDocumentField } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
// Test MRZs come from the sample-data writer, which shares no code with the reader.
import { buildMrz } from '../../../local/sample-data/mrz.js';
import {
  type DocumentEvidence,
  FIELD_TYPES,
  identityDocumentFields,
} from '../../../local/textract/identity-fields.js';
import { findMrz, type MrzReading } from '../../../local/textract/mrz-zone.js';

const today = new Date('2026-11-21T00:00:00Z');

function mrzOf(lines: string[], confidence = 85): MrzReading {
  const reading = findMrz([{ text: lines.join('\n'), confidence }]);
  if (!reading) throw new Error('test MRZ does not parse');
  return reading;
}

const TD1 = mrzOf([
  'IDD<<L01X00T471<<<<<<<<<<<<<<<',
  '8509174F3406304D<<<<<<<<<<<<<8',
  'SCHROEDER<<ANNA<LENA<<<<<<<<<<',
]);
// 4 read as A: no look-alike repair applies, so the check digit fails.
const TD1_BAD_NUMBER = mrzOf([
  'IDD<<L01X00TA71<<<<<<<<<<<<<<<',
  '8509174F3406304D<<<<<<<<<<<<<8',
  'SCHROEDER<<ANNA<LENA<<<<<<<<<<',
]);

const printed = {
  surname: { text: 'SCHRÖDER', confidence: 91 },
  givenNames: { text: 'ANNA LENA', confidence: 93 },
  documentNumber: { text: 'L01X00T47', confidence: 90 },
  dateOfBirth: { text: '17.09.1985', confidence: 95 },
  expiryDate: { text: '30.06.2034', confidence: 95 },
};

function byType(
  evidence: DocumentEvidence,
): Record<string, IdentityDocumentField['ValueDetection']> {
  return Object.fromEntries(
    identityDocumentFields(evidence, today).map((field) => [
      field.Type?.Text,
      field.ValueDetection,
    ]),
  );
}

describe('identityDocumentFields', () => {
  it('returns every AnalyzeID field type, in order, empty when nothing was read', () => {
    const fields = identityDocumentFields({ mrz: null, printed: {} }, today);
    expect(fields.map((field) => field.Type?.Text)).toEqual([...FIELD_TYPES]);
    expect(fields.every((field) => field.ValueDetection?.Text === '')).toBe(true);
    expect(fields).toHaveLength(21);
  });

  it('confirms MRZ values with the printed ones, keeping the printed spelling', () => {
    const fields = byType({ mrz: TD1, printed });
    expect(fields.LAST_NAME).toEqual({ Text: 'SCHRÖDER', Confidence: 99 });
    expect(fields.FIRST_NAME).toEqual({ Text: 'ANNA', Confidence: 99 });
    expect(fields.MIDDLE_NAME).toEqual({ Text: 'LENA', Confidence: 99 });
    expect(fields.DOCUMENT_NUMBER).toEqual({ Text: 'L01X00T47', Confidence: 99 });
    expect(fields.DATE_OF_BIRTH).toEqual({
      Text: '17.09.1985',
      Confidence: 99,
      NormalizedValue: { Value: '1985-09-17T00:00:00', ValueType: 'DATE' },
    });
    expect(fields.EXPIRATION_DATE?.NormalizedValue?.Value).toBe('2034-06-30T00:00:00');
    expect(fields.ID_TYPE).toEqual({ Text: 'DRIVER LICENSE FRONT', Confidence: 95 });
    expect(fields.MRZ_CODE?.Text).toBe(TD1.lines.join('\n'));
    expect(fields.ADDRESS).toEqual({ Text: '', Confidence: 0 });
  });

  it('uses the MRZ alone when no printed field was read, with less confidence', () => {
    const fields = byType({ mrz: TD1, printed: {} });
    expect(fields.DOCUMENT_NUMBER).toEqual({ Text: 'L01X00T47', Confidence: 95 });
    expect(fields.DATE_OF_BIRTH).toMatchObject({ Text: '850917', Confidence: 95 });
    expect(fields.LAST_NAME).toEqual({ Text: 'SCHROEDER', Confidence: 68 });
  });

  it('returns a printed date that disagrees with the checked MRZ below the threshold, as printed', () => {
    // A reviewer must see both: the print in the field, the MRZ in MRZ_CODE.
    const misprinted = { ...printed, dateOfBirth: { text: '17.09.1986', confidence: 95 } };
    const fields = byType({ mrz: TD1, printed: misprinted });
    expect(fields.DATE_OF_BIRTH).toMatchObject({
      Text: '17.09.1986',
      Confidence: 60,
      NormalizedValue: { Value: '1986-09-17T00:00:00' },
    });
    expect(fields.MRZ_CODE?.Text).toContain('850917');
  });

  it('takes the century of the birth date from the printed four-digit year', () => {
    const old = mrzOf(
      buildMrz({
        format: 'TD3',
        issuingState: 'CZE',
        nationality: 'CZE',
        surname: 'Specimen',
        givenNames: 'Vzor',
        documentNumber: '99006000',
        dateOfBirth: '1911-02-28',
        expiryDate: '2016-09-06',
        sex: 'F',
      }),
    );
    const withPrint = byType({
      mrz: old,
      printed: { dateOfBirth: { text: '28.02.1911', confidence: 90 } },
    });
    expect(withPrint.DATE_OF_BIRTH?.NormalizedValue?.Value).toBe('1911-02-28T00:00:00');
    expect(withPrint.DATE_OF_BIRTH?.Confidence).toBe(99);
  });

  it('puts a birth date without a printed year before the document expiry', () => {
    const old = mrzOf(
      buildMrz({
        format: 'TD3',
        issuingState: 'ISL',
        nationality: 'ISL',
        surname: 'Aevarsdottir',
        givenNames: 'Thuridur',
        documentNumber: 'A2040611',
        dateOfBirth: '1912-12-12',
        expiryDate: '2011-06-29',
        sex: 'F',
      }),
    );
    // Never in the future alone would say 2012: born after the passport expired.
    const fields = byType({ mrz: old, printed: {} });
    expect(fields.DATE_OF_BIRTH?.NormalizedValue?.Value).toBe('1912-12-12T00:00:00');
  });

  it('takes the printed value the MRZ check digit confirms when the MRZ was misread', () => {
    const fields = byType({ mrz: TD1_BAD_NUMBER, printed });
    expect(fields.DOCUMENT_NUMBER).toEqual({ Text: 'L01X00T47', Confidence: 90 });
    // MRZ_CODE carries the fix, so a consumer matching the number against it agrees.
    expect(fields.MRZ_CODE?.Text?.split('\n')[0]).toBe('IDD<<L01X00T471<<<<<<<<<<<<<<<');
  });

  it('takes the printed character where the MRZ differs by one no check digit sees (G/6)', () => {
    const misread = mrzOf(
      buildMrz({
        format: 'TD1',
        issuingState: 'ESP',
        nationality: 'ESP',
        surname: 'Nguyen',
        givenNames: 'Tom',
        documentNumber: 'XZGL7T587',
        dateOfBirth: '1992-08-11',
        expiryDate: '2039-08-27',
        sex: 'M',
      }),
    );
    expect(misread.documentNumber.checked).toBe(true);
    const fields = byType({
      mrz: misread,
      printed: { documentNumber: { text: 'XZ6L7T587', confidence: 90 } },
    });
    expect(fields.DOCUMENT_NUMBER).toEqual({ Text: 'XZ6L7T587', Confidence: 75 });
    expect(fields.MRZ_CODE?.Text).toContain('XZ6L7T587');
  });

  it('keeps a look-alike repair with nothing printed to confirm it below the profile threshold', () => {
    // The check digit accepts a swapped look-alike elsewhere in the misread number, so the
    // MRZ reads "valid"; only the print could tell, and there is none.
    const fields = byType({ mrz: TD1_BAD_NUMBER, printed: {} });
    expect(fields.DOCUMENT_NUMBER?.Confidence).toBeLessThan(80);
  });

  it('falls back to printed fields when there is no MRZ', () => {
    const fields = byType({ mrz: null, printed });
    expect(fields.DOCUMENT_NUMBER).toEqual({ Text: 'L01X00T47', Confidence: 72 });
    expect(fields.EXPIRATION_DATE).toMatchObject({ Text: '30.06.2034', Confidence: 76 });
    expect(fields.ID_TYPE?.Text).toBe('');
  });

  it('confirms MRZ names by the words printed on the page, correcting M read as H', () => {
    const misread = mrzOf([
      'P<D<<MUSTERHANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<',
      'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4',
    ]);
    const fields = byType({
      mrz: misread,
      printed: {},
      pageWords: ['Name/Surname', 'MUSTERMANN', 'Vornamen', 'ERIKA', 'P<D<<MUSTERHANN<<ERIKA<<<<'],
    });
    expect(fields.LAST_NAME).toEqual({ Text: 'MUSTERMANN', Confidence: 95 });
    expect(fields.FIRST_NAME).toEqual({ Text: 'ERIKA', Confidence: 95 });
  });

  it('keeps a hyphenated given name whole and splits other given names into MIDDLE_NAME', () => {
    const estonian = mrzOf([
      'P<ESTMAENNIK<<MARI<LIIS<<<<<<<<<<<<<<<<<<<<<',
      'KB00000003EST7501229F120522647501220010<<<02',
    ]);
    const hyphen = byType({ mrz: estonian, printed: {}, pageWords: ['MÄNNIK', 'MARI-LIIS'] });
    expect(hyphen.FIRST_NAME?.Text).toBe('MARI-LIIS');
    expect(hyphen.MIDDLE_NAME?.Text).toBe('');
    const two = byType({ mrz: estonian, printed: {}, pageWords: ['MARI', 'LIIS'] });
    expect([two.FIRST_NAME?.Text, two.MIDDLE_NAME?.Text]).toEqual(['MARI', 'LIIS']);
  });

  it('does not take the MRZ as the page reading saw it for a printed name', () => {
    const fields = byType({
      mrz: TD1,
      printed: {},
      pageWords: ['SCHROEDER<<ANNA<LENA<<<<', 'LLLLLLLL'],
    });
    expect(fields.LAST_NAME?.Confidence).toBeLessThan(80);
  });
});
