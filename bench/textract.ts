/**
 * Local AnalyzeID: cold start, then latency over generated ID cards and passports, with
 * how many of the checked fields came back right.
 */
import { performance } from 'node:perf_hooks';
import type { AnalyzeIDResponse } from '@aws-sdk/client-textract';
import { generateIdDocument, type IdDocumentOptions } from '../local/sample-data/id-document.js';
import { IdDocumentReader } from '../local/textract/id-document-reader.js';
import { summary } from './_stats.js';

const RUNS = 12;

const DOCUMENTS: IdDocumentOptions[] = [
  { country: 'FRA', surname: 'Martin', givenNames: 'Claire', face: 'sample3-middle' },
  {
    format: 'TD3',
    country: 'GBR',
    surname: 'Okafor',
    givenNames: 'David',
    sex: 'M',
    face: 'sample6-third',
    documentNumber: '533401372',
    expiryDate: '2031-01-31',
  },
  {
    country: 'D',
    surname: 'Schmidt',
    givenNames: 'Jonas',
    sex: 'M',
    face: null,
    documentNumber: 'L01X00T47',
    output: 'png',
  },
  {
    format: 'TD3',
    country: 'NLD',
    surname: 'Jansen',
    givenNames: 'Eva',
    face: 'sample1-left',
    documentNumber: 'NX4R71B09',
    dateOfBirth: '1979-11-03',
    expiryDate: '2021-03-14',
    output: 'png',
  },
];

/** How many of the expected values the response carries. */
function correctFields(response: AnalyzeIDResponse, expected: Record<string, string>): number {
  const fields = new Map(
    (response.IdentityDocuments?.[0]?.IdentityDocumentFields ?? []).map((field) => [
      field.Type?.Text,
      field.ValueDetection,
    ]),
  );
  return Object.entries(expected).filter(([type, value]) => {
    const detection = fields.get(type);
    // Dates compare on the normalized value, as consumers read them.
    const read = detection?.NormalizedValue?.Value?.slice(0, 10) ?? detection?.Text;
    return read === value;
  }).length;
}

export default async function run(): Promise<void> {
  let started = performance.now();
  const reader = await IdDocumentReader.start();
  console.log(
    `textract cold start (both OCR workers): ${(performance.now() - started).toFixed(0)} ms`,
  );
  try {
    const documents = await Promise.all(DOCUMENTS.map((options) => generateIdDocument(options)));
    const expected = documents.map(({ spec }) => ({
      LAST_NAME: spec.surname.toUpperCase(),
      FIRST_NAME: spec.givenNames.toUpperCase(),
      DOCUMENT_NUMBER: spec.documentNumber,
      DATE_OF_BIRTH: spec.dateOfBirth,
      EXPIRATION_DATE: spec.expiryDate,
    }));
    started = performance.now();
    await reader.analyzeId(documents[0]?.image ?? Buffer.alloc(0));
    console.log(`textract first AnalyzeID: ${(performance.now() - started).toFixed(0)} ms`);
    const latencies: number[] = [];
    let correct = 0;
    let checked = 0;
    for (let i = 0; i < RUNS; i++) {
      const index = i % documents.length;
      const document = documents[index];
      if (!document) continue;
      started = performance.now();
      const response = await reader.analyzeId(document.image);
      latencies.push(performance.now() - started);
      correct += correctFields(response, expected[index] ?? {});
      checked += Object.keys(expected[index] ?? {}).length;
    }
    console.log(`textract AnalyzeID warm: ${summary(latencies)}`);
    console.log(`textract fields read correctly: ${correct}/${checked}`);
  } finally {
    await reader.close();
  }
}
