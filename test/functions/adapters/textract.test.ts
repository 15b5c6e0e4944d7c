import {
  AnalyzeIDCommand,
  BadDocumentException,
  DocumentTooLargeException,
  type IdentityDocumentField,
  InvalidS3ObjectException,
  ProvisionedThroughputExceededException,
  TextractClient,
  UnsupportedDocumentException,
} from '@aws-sdk/client-textract';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DocumentService, documentReadingOf } from '../../../functions/adapters/textract.js';
import {
  DocumentUnreadableError,
  IdImageInvalidError,
  IdImageMissingError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../functions/domain/errors.js';
import { awsError, expectRejection, titled } from './sdk-errors.js';

const textract = mockClient(TextractClient);
const service = new DocumentService(new TextractClient({ region: 'eu-west-1' }));
const metadata = { $metadata: {} };
const request = { bucket: 'kyc-images', key: 'cases/c/id/1' };

function field(
  type: string,
  text: string,
  confidence = 98.5,
  isoDate?: string,
): IdentityDocumentField {
  return {
    Type: { Text: type },
    ValueDetection: {
      Text: text,
      Confidence: confidence,
      ...(isoDate ? { NormalizedValue: { Value: isoDate, ValueType: 'DATE' } } : {}),
    },
  };
}

const MRZ =
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';

const passport = [
  field('FIRST_NAME', ' ANNA MARIA '),
  field('LAST_NAME', 'ERIKSSON', 99.2),
  field('MIDDLE_NAME', 'MARIA'),
  field('ADDRESS', '1 Main Street'),
  field('DATE_OF_BIRTH', '12 AUG 1974', 97, '1974-08-12T00:00:00'),
  field('DOCUMENT_NUMBER', 'L898902C3'),
  field('EXPIRATION_DATE', '15 APR 2012', 96, '2012-04-15T00:00:00'),
  field('DATE_OF_ISSUE', '16 APR 2022', 96, '2022-04-16T00:00:00'),
  field('ID_TYPE', 'PASSPORT'),
  field('MRZ_CODE', MRZ),
];

describe('documentReadingOf: printed and MRZ cross-check', () => {
  const withExpiry = (printed: string, iso: string) =>
    passport.map((f) =>
      f.Type?.Text === 'EXPIRATION_DATE' ? field('EXPIRATION_DATE', printed, 60, iso) : f,
    );

  it('names a printed field the MRZ contradicts and keeps the middle names', () => {
    // The MRZ's expiry is 120415.
    const reading = documentReadingOf(withExpiry('15 APR 2032', '2032-04-15T00:00:00'));
    expect(reading.facts.mrz).toMatchObject({ present: true, disagreements: ['EXPIRATION_DATE'] });
    expect(reading.facts.fields.MIDDLE_NAME).toEqual({ text: 'MARIA', confidence: 98.5 });
  });

  it('finds no disagreement when the printed fields are the MRZ values', () => {
    const reading = documentReadingOf(withExpiry('15 APR 2012', '2012-04-15T00:00:00'));
    expect(reading.facts.mrz.disagreements).toEqual([]);
  });
});

beforeEach(() => {
  textract.reset();
});

describe('DocumentService.analyzeId', () => {
  it('analyzes the one stored page of the ID image', async () => {
    textract
      .on(AnalyzeIDCommand)
      .resolves({ IdentityDocuments: [{ DocumentIndex: 1, IdentityDocumentFields: passport }] });

    await service.analyzeId(request);

    expect(textract.commandCalls(AnalyzeIDCommand).map((c) => c.args[0].input)).toStrictEqual([
      { DocumentPages: [{ S3Object: { Bucket: 'kyc-images', Name: 'cases/c/id/1' } }] },
    ]);
  });

  it('keeps the policy fields, normalised dates as ISO days, the ID type and an MRZ check', async () => {
    textract
      .on(AnalyzeIDCommand)
      .resolves({ IdentityDocuments: [{ DocumentIndex: 1, IdentityDocumentFields: passport }] });

    await expect(service.analyzeId(request)).resolves.toStrictEqual({
      facts: {
        fields: {
          FIRST_NAME: { text: 'ANNA MARIA', confidence: 98.5 },
          LAST_NAME: { text: 'ERIKSSON', confidence: 99.2 },
          DATE_OF_BIRTH: { text: '12 AUG 1974', confidence: 97, date: '1974-08-12' },
          DOCUMENT_NUMBER: { text: 'L898902C3', confidence: 98.5 },
          EXPIRATION_DATE: { text: '15 APR 2012', confidence: 96, date: '2012-04-15' },
          MIDDLE_NAME: { text: 'MARIA', confidence: 98.5 },
        },
        mrz: { present: true, consistent: true, disagreements: [] },
      },
      idType: 'PASSPORT',
      fieldsRead: 6,
    });
  });

  const licenceFront = [
    field('FIRST_NAME', 'JANE', 72),
    field('LAST_NAME', 'DOE', 75),
    field('DATE_OF_BIRTH', '01/02/1990', 70, '1990-01-02T00:00:00'),
    field('DOCUMENT_NUMBER', 'D1234567', 60),
    field('ID_TYPE', 'DRIVER LICENSE FRONT', 90),
  ];
  const licenceBack = [
    field('FIRST_NAME', 'JANE', 99),
    field('LAST_NAME', 'DOE', 99),
    field('DATE_OF_BIRTH', '01/02/1990', 99, '1990-01-02T00:00:00'),
    field('DOCUMENT_NUMBER', 'D1234568', 99),
    field('EXPIRATION_DATE', '', 0),
    field('ID_TYPE', 'UNKNOWN', 99),
  ];

  /** AnalyzeID's answer to two pages: one identity document each. */
  const answerBothPages = () =>
    textract.on(AnalyzeIDCommand).resolves({
      IdentityDocuments: [
        { DocumentIndex: 1, IdentityDocumentFields: licenceFront },
        { DocumentIndex: 2, IdentityDocumentFields: licenceBack },
      ],
    });

  it('sends the front then the back as the two pages of one AnalyzeID call', async () => {
    answerBothPages();

    await service.analyzeId({ ...request, backKey: 'cases/c/evidence/id-1-back' });

    expect(textract.commandCalls(AnalyzeIDCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        DocumentPages: [
          { S3Object: { Bucket: 'kyc-images', Name: 'cases/c/id/1' } },
          { S3Object: { Bucket: 'kyc-images', Name: 'cases/c/evidence/id-1-back' } },
        ],
      },
    ]);
  });

  it('takes each field from the page that read it best, the ID type from the front', async () => {
    answerBothPages();

    const reading = await service.analyzeId({ ...request, backKey: 'cases/c/id/1-back' });

    expect(reading.idType).toBe('DRIVER LICENSE FRONT');
    expect(reading.facts.fields).toStrictEqual({
      FIRST_NAME: { text: 'JANE', confidence: 99 },
      LAST_NAME: { text: 'DOE', confidence: 99 },
      DATE_OF_BIRTH: { text: '01/02/1990', confidence: 99, date: '1990-01-02' },
      DOCUMENT_NUMBER: { text: 'D1234568', confidence: 99 },
    });
  });

  it('throws DocumentUnreadableError when no identity document was found', async () => {
    textract.on(AnalyzeIDCommand).resolves({ IdentityDocuments: [] });
    const error = await expectRejection(service.analyzeId(request), DocumentUnreadableError);
    expect(error.message).toMatch(/No identity document/);
  });

  // biome-ignore format: one table row per line
  const errors: [string, Error, abstract new (...args: never[]) => Error][] = [
    ['UnsupportedDocumentException', new UnsupportedDocumentException({ message: 'x', ...metadata }), DocumentUnreadableError],
    ['BadDocumentException', new BadDocumentException({ message: 'x', ...metadata }), DocumentUnreadableError],
    ['DocumentTooLargeException', new DocumentTooLargeException({ message: 'x', ...metadata }), IdImageInvalidError],
    ['InvalidS3ObjectException', new InvalidS3ObjectException({ message: 'x', ...metadata }), IdImageMissingError],
    ['ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException({ message: 'x', ...metadata }), ServiceThrottledError],
    ['HTTP 500', awsError('InternalServerError', 500), ServiceUnavailableError],
  ];
  it.each(titled(errors))('%s', async (_name, error, expected) => {
    textract.on(AnalyzeIDCommand).rejects(error);
    await expectRejection(service.analyzeId(request), expected);
  });

  it('rethrows an unknown error unchanged', async () => {
    const error = awsError('AccessDeniedException', 403);
    textract.on(AnalyzeIDCommand).rejects(error);
    await expect(service.analyzeId(request)).rejects.toBe(error);
  });
});

describe('documentReadingOf', () => {
  it('drops fields read as blank and has no date without a normalised value', () => {
    const reading = documentReadingOf([
      field('FIRST_NAME', '   '),
      field('LAST_NAME', 'DOE'),
      field('DATE_OF_BIRTH', '01/02/1990'),
    ]);
    expect(reading.facts.fields).toStrictEqual({
      LAST_NAME: { text: 'DOE', confidence: 98.5 },
      DATE_OF_BIRTH: { text: '01/02/1990', confidence: 98.5 },
    });
    expect(reading.fieldsRead).toBe(2);
    expect(reading.idType).toBe('');
  });

  it('has no MRZ verdict when there is no MRZ', () => {
    expect(documentReadingOf([field('DOCUMENT_NUMBER', 'X1')]).facts.mrz).toStrictEqual({
      present: false,
      consistent: null,
      disagreements: [],
    });
  });

  // biome-ignore format: one table row per line
  const mrzRows: [string, string, string | undefined, boolean, string[]][] = [
    ['number and date of birth in the MRZ', 'L898902C3', '1974-08-12T00:00:00', true, []],
    ['another document number', 'L898902C4', '1974-08-12T00:00:00', false, ['DOCUMENT_NUMBER']],
    ['another date of birth', 'L898902C3', '1975-08-12T00:00:00', false, ['DATE_OF_BIRTH']],
    ['no normalised date of birth', 'L898902C3', undefined, false, []],
  ];
  it.each(mrzRows)(
    'MRZ consistency: %s -> %s',
    (_label, number, dob, consistent, disagreements) => {
      const reading = documentReadingOf([
        field('DOCUMENT_NUMBER', number),
        field('DATE_OF_BIRTH', '12 AUG 1974', 97, dob),
        field('MRZ_CODE', MRZ),
      ]);
      expect(reading.facts.mrz).toStrictEqual({ present: true, consistent, disagreements });
    },
  );
});
