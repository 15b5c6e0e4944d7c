import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsJsonService, AwsServiceError } from '../../../local/aws/json-service.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { rawRequest } from '../../fixtures/raw-request.js';

class SdkShapedException extends Error {
  override readonly name = 'ResourceNotFoundException';
  readonly $fault = 'client';
}

class SecretFailure extends Error {
  override readonly name = 'SecretFailure';
}

const reported: { operation: string; errorName: string }[] = [];
const echo: AwsJsonService = {
  targetPrefix: 'Echo_20240101',
  jsonVersion: '1.0',
  operations: {
    async Echo(input) {
      return input;
    },
    async Typed() {
      return { At: new Date('2026-11-21T10:00:00.500Z'), Blob: new Uint8Array([1, 2, 3]) };
    },
    async Refuse() {
      throw new AwsServiceError('ConflictException', 'Already there', 409);
    },
    async SdkShaped() {
      throw new SdkShapedException('Not there');
    },
    async Crash() {
      throw new SecretFailure('password=hunter2 at /home/me');
    },
  },
};

const MAX_BODY = 1024 * 1024;
let server: AwsServer;

beforeAll(async () => {
  server = await createAwsServer({
    services: [echo],
    maxJsonBodyBytes: MAX_BODY,
    reportInternalError: (failure) => reported.push(failure),
  });
});

afterAll(async () => {
  await server?.close();
});

const call = (target: string, body: string | Buffer, contentType = 'application/x-amz-json-1.0') =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'x-amz-target': target, 'content-type': contentType },
    body,
  });

async function expectError(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-amzn-errortype')).toBe(type);
  const body = (await response.json()) as { __type: string; message: string };
  expect(body.__type).toBe(type);
  expect(typeof body.message).toBe('string');
  return body;
}

describe('JSON protocol', () => {
  it('runs an operation and echoes its input', async () => {
    const response = await call('Echo_20240101.Echo', '{"a":[1,"x"]}');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await response.json()).toEqual({ a: [1, 'x'] });
  });

  it('puts dates as epoch seconds and blobs as base64', async () => {
    const response = await call('Echo_20240101.Typed', '{}');
    expect(await response.json()).toEqual({ At: 1795255200.5, Blob: 'AQID' });
  });

  it('maps errors: service errors, SDK-shaped client faults, and hidden internal failures', async () => {
    await expectError(await call('Echo_20240101.Refuse', '{}'), 409, 'ConflictException');
    const sdk = await expectError(
      await call('Echo_20240101.SdkShaped', '{}'),
      400,
      'ResourceNotFoundException',
    );
    expect(sdk.message).toBe('Not there');
    const internal = await expectError(
      await call('Echo_20240101.Crash', '{}'),
      500,
      'InternalFailure',
    );
    expect(JSON.stringify(internal)).not.toMatch(/hunter2|home|SecretFailure/);
    expect(reported).toContainEqual({
      operation: 'Echo_20240101.Crash',
      errorName: 'SecretFailure',
    });
  });

  it.each([
    ['malformed JSON', 'Echo_20240101.Echo', '{"a":', 400, 'SerializationException'],
    ['a JSON array', 'Echo_20240101.Echo', '[1]', 400, 'SerializationException'],
    ['an unknown operation', 'Echo_20240101.Nope', '{}', 400, 'UnknownOperationException'],
    [
      'an inherited property name',
      'Echo_20240101.constructor',
      '{}',
      400,
      'UnknownOperationException',
    ],
    ['an unknown service', 'Other.Echo', '{}', 400, 'UnknownOperationException'],
    ['a target without operation', 'Echo_20240101', '{}', 400, 'UnknownOperationException'],
  ])('refuses %s', async (_label, target, body, status, type) => {
    await expectError(await call(target, body), status, type);
  });

  it('refuses a wrong content type', async () => {
    await expectError(
      await call('Echo_20240101.Echo', '{}', 'application/json'),
      415,
      'SerializationException',
    );
  });

  it('refuses a body over the limit, draining it, and keeps serving', async () => {
    const huge = Buffer.alloc(MAX_BODY * 3, 0x20);
    await expectError(
      await call('Echo_20240101.Echo', huge),
      413,
      'RequestEntityTooLargeException',
    );
    // Without a declared length the limit is found while reading.
    const chunked = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i += 1) controller.enqueue(new Uint8Array(MAX_BODY));
        controller.close();
      },
    });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'Echo_20240101.Echo',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    await expectError(response, 413, 'RequestEntityTooLargeException');
    expect((await call('Echo_20240101.Echo', '{}')).status).toBe(200);
  });

  it('survives garbage on the wire', async () => {
    const response = await rawRequest(server.url, {
      method: 'POST',
      path: '/',
      headers: {
        'x-amz-target': 'Echo_20240101.Echo',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).__type).toBe('SerializationException');
    expect((await call('Echo_20240101.Echo', '{}')).status).toBe(200);
  });

  it('answers a REST request with NotImplemented when no S3 is configured', async () => {
    const response = await fetch(`${server.url}/bucket/key`);
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('<Code>NotImplemented</Code>');
    expect((await call('Echo_20240101.Echo', '{}')).status).toBe(200);
  });

  it('surfaces errors to the official SDK under their names', async () => {
    const client = new EventBridgeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    const error = await client
      .send(new PutEventsCommand({ Entries: [] }))
      .catch((caught: Error) => caught);
    expect((error as Error).name).toBe('UnknownOperationException');
    client.destroy();
  });
});

describe('createAwsServer', () => {
  it('refuses two services with one target prefix', async () => {
    await expect(createAwsServer({ services: [echo, echo] })).rejects.toThrow(/Echo_20240101/);
  });
});
