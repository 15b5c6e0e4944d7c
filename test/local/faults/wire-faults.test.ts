/**
 * Injected faults and overload answers as the real SDK clients see them, and as the functions'
 * error translation turns them into the workflow's error names.
 */
import { CompareFacesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AnalyzeIDCommand, TextractClient } from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateAwsError } from '../../../functions/adapters/aws-errors.js';
import type { AwsJsonService } from '../../../local/aws/json-service.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { FaultInjector } from '../../../local/faults/index.js';
import { clientOptions } from '../aws/helpers.js';

/** DetectFaces calls being served, each answered when the test says so. */
const holding: (() => void)[] = [];
const services: AwsJsonService[] = [
  {
    targetPrefix: 'RekognitionService',
    jsonVersion: '1.1',
    operations: {
      CompareFaces: async () => ({ FaceMatches: [], UnmatchedFaces: [] }),
      DetectFaces: () => new Promise((resolve) => holding.push(() => resolve({ FaceDetails: [] }))),
    },
  },
  { targetPrefix: 'Textract', jsonVersion: '1.1', operations: { AnalyzeID: async () => ({}) } },
];
const faults = new FaultInjector({ serviceTimeoutMs: 50 });
let server: AwsServer;

beforeAll(async () => {
  server = await createAwsServer({
    services,
    faults,
    admission: { maxInFlight: 1, maxQueued: 1, retryAfterSeconds: 3 },
    s3: async (request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': 2 });
      response.end(request.method === 'HEAD' ? undefined : Buffer.from([0xff, 0xd8]));
    },
  });
});

afterAll(async () => {
  await server?.close();
});

const compareFaces = () =>
  new RekognitionClient(clientOptions(server.url)).send(
    new CompareFacesCommand({
      SourceImage: { Bytes: new Uint8Array([1]) },
      TargetImage: { Bytes: new Uint8Array([2]) },
    }),
  );
const analyzeId = () =>
  new TextractClient(clientOptions(server.url)).send(
    new AnalyzeIDCommand({ DocumentPages: [{ Bytes: new Uint8Array([1]) }] }),
  );
const s3 = () => new S3Client({ ...clientOptions(server.url), forcePathStyle: true });

interface Seen {
  name: string;
  status: number | undefined;
  translated: string;
}

async function failureOf(call: () => Promise<unknown>): Promise<Seen> {
  const error = (await call().then(
    () => {
      throw new Error('the call succeeded');
    },
    (failure: unknown) => failure,
  )) as { name: string; $metadata?: { httpStatusCode?: number } };
  let translated = '';
  try {
    translateAwsError(error);
  } catch (mapped) {
    translated = (mapped as Error).name;
  }
  return { name: error.name, status: error.$metadata?.httpStatusCode, translated };
}

describe('service faults, as the SDK and the functions see them', () => {
  it('serves every call while no rule is set', async () => {
    await expect(compareFaces()).resolves.toMatchObject({ FaceMatches: [] });
    await expect(analyzeId()).resolves.toBeDefined();
  });

  it.each([
    ['rekognition:throttle=1', compareFaces, 'ThrottlingException', 500, 'ServiceThrottledError'],
    [
      'rekognition.CompareFaces:throughput=1',
      compareFaces,
      'ProvisionedThroughputExceededException',
      400,
      'ServiceThrottledError',
    ],
    ['textract:unavailable=1', analyzeId, 'ServiceUnavailable', 503, 'ServiceUnavailableError'],
    ['textract:internal=1', analyzeId, 'InternalServerError', 500, 'ServiceUnavailableError'],
  ] as const)('%s', async (rules, call, name, status, translated) => {
    faults.set(rules);
    expect(await failureOf(call)).toEqual({ name, status, translated });
    faults.clear();
  });

  it('S3: SlowDown (503 XML), InternalError, and a HEAD that only has its status', async () => {
    const getObject = () =>
      s3().send(new GetObjectCommand({ Bucket: 'kyc-onboarding-local', Key: 'cases/x/id/1' }));
    const headObject = () =>
      s3().send(new HeadObjectCommand({ Bucket: 'kyc-onboarding-local', Key: 'cases/x/id/1' }));
    faults.set('s3.GetObject:throttle=1');
    expect(await failureOf(getObject)).toEqual({
      name: 'SlowDown',
      status: 503,
      translated: 'ServiceThrottledError',
    });
    await expect(headObject()).resolves.toMatchObject({ ContentLength: 2 });
    faults.set('s3:internal=1');
    expect(await failureOf(getObject)).toMatchObject({
      name: 'InternalError',
      status: 500,
      translated: 'ServiceUnavailableError',
    });
    expect(await failureOf(headObject)).toMatchObject({
      status: 500,
      translated: 'ServiceUnavailableError',
    });
    faults.clear();
  });

  it('a timed-out call gets no answer and a dropped connection: a transient error', async () => {
    faults.set('rekognition:timeout=1');
    const seen = await failureOf(compareFaces);
    faults.clear();
    expect(seen.status).toBeUndefined();
    expect(seen.translated).toBe('ServiceUnavailableError');
  });
});

describe('admission control of the local AWS endpoint', () => {
  it('queues within its bounds, then refuses with ThrottlingException and Retry-After', async () => {
    const detect = () =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          'x-amz-target': 'RekognitionService.DetectFaces',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: '{}',
      });
    const first = detect();
    await expect.poll(() => holding.length).toBe(1);
    // One slot (held by the first) and one place in the queue: one of these two is refused.
    const [second, third] = [detect(), detect()];
    const answered = await Promise.race([second, third]);
    expect(answered.status).toBe(400);
    expect(answered.headers.get('retry-after')).toBe('3');
    expect(await answered.json()).toEqual({
      __type: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    const s3Refused = await fetch(`${server.url}/kyc-onboarding-local/key`);
    expect(s3Refused.status).toBe(503);
    expect(s3Refused.headers.get('retry-after')).toBe('3');
    expect(await s3Refused.text()).toContain('<Code>SlowDown</Code>');

    holding.shift()?.();
    expect((await first).status).toBe(200);
    // The queued one gets the freed slot.
    await expect.poll(() => holding.length).toBe(1);
    holding.shift()?.();
    const statuses = [(await second).status, (await third).status].sort();
    expect(statuses).toEqual([200, 400]);
    const after = detect();
    await expect.poll(() => holding.length).toBe(1);
    holding.shift()?.();
    expect((await after).status).toBe(200);
  });
});
