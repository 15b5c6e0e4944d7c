import {
  AnalyzeIDCommand,
  type AnalyzeIDCommandInput,
  TextractClient,
} from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentService } from '../../../functions/adapters/textract.js';
import { dataFolders } from '../../../local/aws/config.js';
import { ObjectStore } from '../../../local/aws/object-store.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { textractService } from '../../../local/aws/textract-service.js';
import { generateIdDocument } from '../../../local/sample-data/id-document.js';
import { generateUsLicence } from '../../../local/sample-data/us-licence.js';
import { IdDocumentReader } from '../../../local/textract/id-document-reader.js';
import { clientOptions, tempDataFolder, testConfig } from './helpers.js';

let data: Awaited<ReturnType<typeof tempDataFolder>>;
let config: ReturnType<typeof testConfig>;
let reader: IdDocumentReader;
let objects: ObjectStore;
let server: AwsServer;
let client: TextractClient;
let card: Buffer;

beforeAll(async () => {
  data = await tempDataFolder();
  config = testConfig(data.folder);
  reader = await IdDocumentReader.start({ now: () => new Date('2026-11-21T00:00:00Z') });
  objects = await ObjectStore.open({
    folder: dataFolders(config).s3,
    buckets: [config.bucketName],
  });
  server = await createAwsServer({ services: [textractService({ reader, objects })] });
  client = new TextractClient(clientOptions(server.url));
  ({ image: card } = await generateIdDocument({
    country: 'FRA',
    surname: 'Martin',
    givenNames: 'Claire',
    dateOfBirth: '1990-04-12',
    documentNumber: 'T22000129',
    face: 'sample3-middle',
  }));
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await reader?.close();
  await data?.remove();
});

const analyze = (input: AnalyzeIDCommandInput) => client.send(new AnalyzeIDCommand(input));
const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: Error) => error.name,
  );

describe('AnalyzeID', () => {
  it('reads a generated ID card stored in S3, as the functions ask for it', async () => {
    await objects.put(config.bucketName, 'cases/c1/id/1', card, 'image/jpeg');
    const reading = await new DocumentService(client).analyzeId({
      bucket: config.bucketName,
      key: 'cases/c1/id/1',
    });
    expect(reading.facts.fields.FIRST_NAME?.text).toBe('CLAIRE');
    expect(reading.facts.fields.DOCUMENT_NUMBER?.text).toBe('T22000129');
    expect(reading.facts.fields.DATE_OF_BIRTH?.date).toBe('1990-04-12');
    expect(reading.facts.mrz).toEqual({ present: true, consistent: true, disagreements: [] });
  });

  it('reads two pages given as bytes, one identity document each', async () => {
    const response = await analyze({ DocumentPages: [{ Bytes: card }, { Bytes: card }] });
    expect(response.DocumentMetadata?.Pages).toBe(2);
    expect(response.IdentityDocuments?.map((document) => document.DocumentIndex)).toEqual([1, 2]);
    expect(response.AnalyzeIDModelVersion).toBeTruthy();
  });

  it('reads a US licence front and back as two pages, the back from its PDF417', async () => {
    const licence = await generateUsLicence({ familyName: 'RIVERA', firstName: 'SAM' });
    const response = await analyze({
      DocumentPages: [{ Bytes: licence.front }, { Bytes: licence.back }],
    });
    expect(response.IdentityDocuments?.map((document) => document.DocumentIndex)).toEqual([1, 2]);
    const back = Object.fromEntries(
      (response.IdentityDocuments?.[1]?.IdentityDocumentFields ?? []).map((field) => [
        field.Type?.Text,
        field.ValueDetection?.Text,
      ]),
    );
    expect(back).toMatchObject({
      LAST_NAME: 'RIVERA',
      FIRST_NAME: 'SAM',
      DOCUMENT_NUMBER: licence.spec.licenceNumber,
      DATE_OF_BIRTH: '07/04/1988',
      ID_TYPE: 'UNKNOWN',
    });
  });

  it.each([
    ['no pages', () => ({ DocumentPages: [] }), 'InvalidParameterException'],
    [
      'three pages',
      () => ({ DocumentPages: [{ Bytes: card }, { Bytes: card }, { Bytes: card }] }),
      'InvalidParameterException',
    ],
    [
      'a page with neither Bytes nor S3Object',
      () => ({ DocumentPages: [{}] }),
      'InvalidParameterException',
    ],
    [
      'a missing S3 object',
      () => ({ DocumentPages: [{ S3Object: { Bucket: config.bucketName, Name: 'nope' } }] }),
      'InvalidS3ObjectException',
    ],
    [
      'a traversal key',
      () => ({ DocumentPages: [{ S3Object: { Bucket: config.bucketName, Name: '../../x' } }] }),
      'InvalidS3ObjectException',
    ],
    [
      'non-image bytes',
      () => ({ DocumentPages: [{ Bytes: Buffer.from('%PDF-1.7 not an image') }] }),
      'UnsupportedDocumentException',
    ],
    [
      'bytes over 10 MB',
      () => ({ DocumentPages: [{ Bytes: Buffer.alloc(10 * 1024 * 1024 + 1) }] }),
      'DocumentTooLargeException',
    ],
  ] as const)('refuses %s', async (_label, input, name) => {
    expect(await errorName(analyze(input() as AnalyzeIDCommandInput))).toBe(name);
  });
});
