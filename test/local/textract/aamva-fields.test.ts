import type { IdentityDocumentField } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
// Payloads come from the sample-data writer, which shares no code with the parser.
import { aamvaPayload, resolveLicenceSpec } from '../../../local/sample-data/us-licence.js';
import { aamvaFields, isAamva } from '../../../local/textract/aamva-fields.js';

function byType(fields: IdentityDocumentField[]) {
  return Object.fromEntries(fields.map((f) => [f.Type?.Text, f.ValueDetection]));
}

describe('aamvaFields', () => {
  it.each([
    resolveLicenceSpec(),
    resolveLicenceSpec({
      state: 'TX',
      familyName: "O'BRIEN-SMITH",
      firstName: 'ANA',
      middleName: 'MARIA JOSE',
      dateOfBirth: '1950-02-28',
      expiryDate: '2029-12-31',
      licenceNumber: '38884194',
      postalCode: '78701',
    }),
    resolveLicenceSpec({ state: 'NY', dateOfBirth: '2008-02-29', licenceNumber: '123456789' }),
  ])('reads names, dates, number and address as Textract returns them ($state)', (spec) => {
    const fields = byType(aamvaFields(aamvaPayload(spec)));
    const us = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
    expect(fields.LAST_NAME?.Text).toBe(spec.familyName);
    expect(fields.FIRST_NAME?.Text).toBe(spec.firstName);
    expect(fields.MIDDLE_NAME?.Text).toBe(spec.middleName);
    expect(fields.DOCUMENT_NUMBER?.Text).toBe(spec.licenceNumber);
    expect(fields.DATE_OF_BIRTH).toMatchObject({
      Text: us(spec.dateOfBirth),
      NormalizedValue: { Value: `${spec.dateOfBirth}T00:00:00`, ValueType: 'DATE' },
    });
    expect(fields.EXPIRATION_DATE?.NormalizedValue?.Value).toBe(`${spec.expiryDate}T00:00:00`);
    expect(fields.STATE_IN_ADDRESS?.Text).toBe(spec.state);
    expect(fields.ZIP_CODE_IN_ADDRESS?.Text).toBe(spec.postalCode.slice(0, 5));
    expect(fields.ID_TYPE?.Text).toBe('UNKNOWN');
    expect(fields.FIRST_NAME?.Confidence).toBeGreaterThanOrEqual(80);
  });

  it('leaves a version 01 date it cannot place (CCYYMMDD) empty rather than wrong', () => {
    const v01 =
      '@\n\x1e\rANSI 6360000101DL00290061DLDAQA-123\nDAAROE,RICHARD\nDBA20300101\nDBB19800115\r';
    const fields = byType(aamvaFields(v01));
    expect(fields.DATE_OF_BIRTH).toEqual({ Text: '', Confidence: 0 });
  });
});

describe('isAamva', () => {
  it.each([
    ['an AAMVA header', '@\n\x1e\rANSI 636000100001DL', true],
    ['a header whose separators were lost', '@ANSI 636015030002DL', true],
    ['another barcode', 'https://example.com/ticket/42', false],
    ['an empty text', '', false],
  ])('%s -> %s', (_label, text, expected) => {
    expect(isAamva(text)).toBe(expected);
  });
});
