import type { AnalyzeIDDetections, IdentityDocumentField } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import {
  licenceFrontFields,
  looksLikeLicenceFront,
} from '../../../local/textract/licence-front.js';
import type { OcrLine } from '../../../local/textract/ocr-types.js';

const box = { x0: 0, y0: 0, x1: 100, y1: 20 };
const line = (text: string, confidence = 90): OcrLine => ({
  text,
  confidence,
  bbox: box,
  baseline: box,
  words: [],
});
const today = new Date('2026-11-21T00:00:00Z');

function byType(fields: IdentityDocumentField[]): Record<string, AnalyzeIDDetections | undefined> {
  return Object.fromEntries(fields.map((f) => [f.Type?.Text, f.ValueDetection]));
}

describe('licenceFrontFields', () => {
  it('reads the AAMVA-numbered fields, every one below the profile threshold', () => {
    const fields = byType(
      licenceFrontFields(
        [
          line('VA DRIVER LICENSE'),
          line('4dDLN T64235789'),
          line('a 1 SAMPLE'),
          line('2 JORDAN LEE'),
          line('3 DOB 07/04/1988'),
          line('4b EXP 07/04/2031'),
          line('4a ISS 07/01/2023'),
        ],
        today,
      ),
    );
    expect(fields.LAST_NAME?.Text).toBe('SAMPLE');
    expect([fields.FIRST_NAME?.Text, fields.MIDDLE_NAME?.Text]).toEqual(['JORDAN', 'LEE']);
    expect(fields.DOCUMENT_NUMBER?.Text).toBe('T64235789');
    expect(fields.DATE_OF_BIRTH?.NormalizedValue?.Value).toBe('1988-07-04T00:00:00');
    expect(fields.EXPIRATION_DATE?.NormalizedValue?.Value).toBe('2031-07-04T00:00:00');
    expect(fields.DATE_OF_ISSUE?.NormalizedValue?.Value).toBe('2023-07-01T00:00:00');
    expect(fields.ID_TYPE?.Text).toBe('DRIVER LICENSE FRONT');
    for (const value of Object.values(fields)) expect(value?.Confidence ?? 0).toBeLessThan(80);
  });

  it('takes the earliest adult date for the birth and the latest for the expiry without labels', () => {
    const fields = byType(
      licenceFrontFields(
        [line('DRIVER LICENSE'), line('pos 08/31/1977'), line('xx 08/31/2014'), line('08/31/2009')],
        today,
      ),
    );
    expect(fields.DATE_OF_BIRTH?.NormalizedValue?.Value).toBe('1977-08-31T00:00:00');
    expect(fields.EXPIRATION_DATE?.NormalizedValue?.Value).toBe('2014-08-31T00:00:00');
  });

  it('knows a licence front by its words', () => {
    expect(looksLikeLicenceFront([line("PENNSYLVANIA DRIVER'S LICENSE")])).toBe(true);
    expect(looksLikeLicenceFront([line('PASSPORT'), line('Surname')])).toBe(false);
  });
});
