import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AnalyzeIDDetections, AnalyzeIDResponse } from '@aws-sdk/client-textract';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateIdDocument,
  type IdDocumentOptions,
} from '../../../local/sample-data/id-document.js';
import { generateUsLicence } from '../../../local/sample-data/us-licence.js';
import { IdDocumentReader } from '../../../local/textract/id-document-reader.js';
import { FIELD_TYPES } from '../../../local/textract/identity-fields.js';

const require = createRequire(import.meta.url);
const today = new Date('2026-11-21T00:00:00Z');

let reader: IdDocumentReader;

beforeAll(async () => {
  reader = await IdDocumentReader.start({ now: () => today });
});

afterAll(async () => {
  await reader?.close();
});

function fieldsOf(response: AnalyzeIDResponse): Record<string, AnalyzeIDDetections | undefined> {
  const [document] = response.IdentityDocuments ?? [];
  return Object.fromEntries(
    (document?.IdentityDocumentFields ?? []).map((field) => [
      field.Type?.Text,
      field.ValueDetection,
    ]),
  );
}

interface Expected {
  firstName: string;
  lastName: RegExp;
  documentNumber: string;
  dateOfBirth: string;
  expiry: string;
  idType: string;
}

const CASES: [string, IdDocumentOptions, Expected][] = [
  [
    'TD1 France, JPEG',
    { country: 'FRA', surname: 'Martin', givenNames: 'Claire', face: 'sample3-middle' },
    {
      firstName: 'CLAIRE',
      lastName: /^MARTIN$/,
      documentNumber: 'T22000129',
      dateOfBirth: '1990-04-12',
      expiry: '2034-06-30',
      idType: 'DRIVER LICENSE FRONT',
    },
  ],
  [
    'TD1 Germany with an umlaut, PNG',
    {
      country: 'D',
      surname: 'Schröder',
      givenNames: 'Anna',
      dateOfBirth: '1985-09-17',
      expiryDate: '2033-02-28',
      documentNumber: 'L01X00T47',
      face: 'sample6-fourth',
      output: 'png',
    },
    {
      firstName: 'ANNA',
      // The printed spelling when the page reading keeps the umlaut, else the MRZ's.
      lastName: /^SCHR(Ö|OE)DER$/,
      documentNumber: 'L01X00T47',
      dateOfBirth: '1985-09-17',
      expiry: '2033-02-28',
      idType: 'DRIVER LICENSE FRONT',
    },
  ],
  [
    'TD3 United Kingdom passport, JPEG',
    {
      format: 'TD3',
      country: 'GBR',
      surname: "O'Neill",
      givenNames: 'Siobhan',
      sex: 'F',
      dateOfBirth: '2001-01-31',
      expiryDate: '2031-01-31',
      documentNumber: '533401372',
      face: 'sample3-right',
    },
    {
      firstName: 'SIOBHAN',
      lastName: /^O'?NEILL$/,
      documentNumber: '533401372',
      dateOfBirth: '2001-01-31',
      expiry: '2031-01-31',
      idType: 'PASSPORT',
    },
  ],
  [
    'TD3 Italy passport without a portrait, PNG',
    {
      format: 'TD3',
      country: 'ITA',
      surname: 'Rossi',
      givenNames: 'Giulia',
      dateOfBirth: '1993-06-05',
      expiryDate: '2029-12-01',
      documentNumber: 'YA1234567',
      face: null,
      output: 'png',
    },
    {
      firstName: 'GIULIA',
      lastName: /^ROSSI$/,
      documentNumber: 'YA1234567',
      dateOfBirth: '1993-06-05',
      expiry: '2029-12-01',
      idType: 'PASSPORT',
    },
  ],
];

describe('IdDocumentReader.analyzeId', () => {
  it.each(CASES)('reads %s', async (_, options, expected) => {
    const { image } = await generateIdDocument(options);
    const response = await reader.analyzeId(image);
    const fields = fieldsOf(response);
    expect(response.DocumentMetadata).toEqual({ Pages: 1 });
    expect(Object.keys(fields)).toEqual([...FIELD_TYPES]);
    expect(fields.FIRST_NAME?.Text).toBe(expected.firstName);
    expect(fields.LAST_NAME?.Text).toMatch(expected.lastName);
    expect(fields.DOCUMENT_NUMBER?.Text).toBe(expected.documentNumber);
    expect(fields.DATE_OF_BIRTH?.NormalizedValue).toEqual({
      Value: `${expected.dateOfBirth}T00:00:00`,
      ValueType: 'DATE',
    });
    expect(fields.EXPIRATION_DATE?.NormalizedValue?.Value).toBe(`${expected.expiry}T00:00:00`);
    expect(fields.ID_TYPE?.Text).toBe(expected.idType);
    expect(fields.MRZ_CODE?.Text).toContain(expected.documentNumber);
    // Read twice (MRZ with check digits, printed fields): near-certain.
    for (const type of ['DOCUMENT_NUMBER', 'DATE_OF_BIRTH', 'EXPIRATION_DATE']) {
      expect(fields[type]?.Confidence).toBeGreaterThanOrEqual(90);
    }
  });

  it('normalizes an expired card’s expiry into the past', async () => {
    const { image } = await generateIdDocument({
      country: 'NLD',
      surname: 'de Vries',
      givenNames: 'Sanne',
      dateOfBirth: '1979-11-03',
      expiryDate: '2021-03-14',
      documentNumber: 'NX4R71B09',
      face: 'sample1-left',
    });
    const fields = fieldsOf(await reader.analyzeId(image));
    expect(fields.EXPIRATION_DATE).toMatchObject({
      Text: '14.03.2021',
      NormalizedValue: { Value: '2021-03-14T00:00:00', ValueType: 'DATE' },
    });
    expect(fields.LAST_NAME?.Text).toBe('DE VRIES');
  });

  it('reads a card photographed tilted and smaller on a background', async () => {
    const { image } = await generateIdDocument({
      country: 'BEL',
      surname: 'Peeters',
      givenNames: 'Lotte',
      dateOfBirth: '1996-07-22',
      expiryDate: '2032-10-05',
      documentNumber: 'B45K02918',
      face: 'sample5-top',
    });
    const tilted = await sharp(image)
      .rotate(-3, { background: '#3b4a5a' })
      .resize({ width: 900 })
      .toBuffer();
    const photo = await sharp({
      create: { width: 1400, height: 1000, channels: 3, background: '#3b4a5a' },
    })
      .composite([{ input: tilted, left: 220, top: 200 }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const fields = fieldsOf(await reader.analyzeId(photo));
    expect(fields.LAST_NAME?.Text).toBe('PEETERS');
    expect(fields.FIRST_NAME?.Text).toBe('LOTTE');
    expect(fields.DOCUMENT_NUMBER?.Text).toBe('B45K02918');
    expect(fields.DATE_OF_BIRTH?.NormalizedValue?.Value).toBe('1996-07-22T00:00:00');
    expect(fields.EXPIRATION_DATE?.NormalizedValue?.Value).toBe('2032-10-05T00:00:00');
  });

  it('reads a generated TD2 card', async () => {
    const { image, spec } = await generateIdDocument({
      format: 'TD2',
      country: 'ESP',
      surname: 'Garcia',
      givenNames: 'Lucia Maria',
      documentNumber: 'CA4512078',
      dateOfBirth: '1985-03-09',
      expiryDate: '2030-11-17',
    });
    const fields = fieldsOf(await reader.analyzeId(image));
    expect(fields.DOCUMENT_NUMBER?.Text).toBe(spec.documentNumber);
    expect(fields.DATE_OF_BIRTH?.NormalizedValue?.Value).toBe('1985-03-09T00:00:00');
    expect(fields.EXPIRATION_DATE?.NormalizedValue?.Value).toBe('2030-11-17T00:00:00');
    expect([fields.FIRST_NAME?.Text, fields.MIDDLE_NAME?.Text]).toEqual(['LUCIA', 'MARIA']);
    expect(fields.ID_TYPE?.Text).toBe('DRIVER LICENSE FRONT');
  });

  it('reads a passport photographed upside down (no EXIF to say so) by its turned MRZ', async () => {
    const { image, spec } = await generateIdDocument({
      format: 'TD3',
      documentNumber: 'PX7310284',
    });
    const upsideDown = await sharp(image).rotate(180).jpeg().toBuffer();
    const fields = fieldsOf(await reader.analyzeId(upsideDown));
    expect(fields.DOCUMENT_NUMBER?.Text).toBe(spec.documentNumber);
    expect(fields.ID_TYPE?.Text).toBe('PASSPORT');
  });

  it('reads a US licence back from its AAMVA PDF417, and its front by the AAMVA labels', async () => {
    const licence = await generateUsLicence({ familyName: 'NGUYEN', licenceNumber: 'A1234567' });
    const back = fieldsOf(await reader.analyzeId(licence.back));
    expect(back).toMatchObject({
      LAST_NAME: { Text: 'NGUYEN', Confidence: 99 },
      DOCUMENT_NUMBER: { Text: 'A1234567' },
      DATE_OF_BIRTH: { Text: '07/04/1988', NormalizedValue: { Value: '1988-07-04T00:00:00' } },
    });
    const front = fieldsOf(await reader.analyzeId(licence.front));
    expect(front.ID_TYPE?.Text).toBe('DRIVER LICENSE FRONT');
    expect(front.FIRST_NAME?.Text).toBe('JORDAN');
    expect(front.DATE_OF_BIRTH?.NormalizedValue?.Value).toBe('1988-07-04T00:00:00');
    // OCR alone, no check digit: never at the profile's 80.
    expect(front.FIRST_NAME?.Confidence).toBeLessThan(80);
  });

  it('returns every field empty for a photo that is no document', async () => {
    const photo = await readFile(require.resolve('@vladmandic/face-api/demo/sample2.jpg'));
    const response = await reader.analyzeId(photo);
    const fields = Object.values(fieldsOf(response));
    expect(fields).toHaveLength(FIELD_TYPES.length);
    expect(fields.every((value) => value?.Text === '')).toBe(true);
  });

  it('rejects bytes that are no image with a Textract error, then keeps working', async () => {
    await expect(reader.analyzeId(Buffer.from('GIF89a not a JPEG'))).rejects.toMatchObject({
      name: 'UnsupportedDocumentException',
    });
    await expect(reader.analyzeId(new Uint8Array())).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const { image } = await generateIdDocument({ surname: 'Martin', givenNames: 'Claire' });
    expect(fieldsOf(await reader.analyzeId(image)).LAST_NAME?.Text).toBe('MARTIN');
  });
});
