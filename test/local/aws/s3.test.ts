import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore, s3Client } from '../../../functions/adapters/image-store.js';
import { functionEnvironment } from '../../../local/aws/config.js';
import { ObjectStore } from '../../../local/aws/object-store.js';
import { createS3Handler } from '../../../local/aws/s3-handler.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { rawRequest } from '../../fixtures/raw-request.js';
import { clientOptions, tempDataFolder, testConfig } from './helpers.js';

const MAX_OBJECT_BYTES = 64 * 1024;
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

let data: Awaited<ReturnType<typeof tempDataFolder>>;
let server: AwsServer;
let client: S3Client;
let images: ImageStore;
let config: ReturnType<typeof testConfig>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  data = await tempDataFolder();
  config = testConfig(data.folder);
  const store = await ObjectStore.open({ folder: data.folder, buckets: [config.bucketName] });
  server = await createAwsServer({
    services: [],
    s3: createS3Handler({
      store,
      credentials: config.credentials,
      webOrigin: config.webOrigin,
      maxObjectBytes: MAX_OBJECT_BYTES,
    }),
  });
  // The functions' own client, configured only by the environment as in `npm start`.
  Object.assign(
    process.env,
    functionEnvironment(config, { awsUrl: server.url, dynamoDbUrl: 'http://127.0.0.1:9' }),
  );
  client = s3Client(true);
  images = new ImageStore(client, config.bucketName);
});

afterAll(async () => {
  process.env = savedEnv;
  client?.destroy();
  await server?.close();
  await data?.remove();
});

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: { name: string; $metadata?: { httpStatusCode?: number } }) => error,
  );

describe('objects through the functions S3 client', () => {
  it('puts, heads, gets and deletes an object', async () => {
    await images.put('cases/c1/id/1', jpeg, 'image/jpeg');
    expect(await images.head('cases/c1/id/1')).toEqual({
      size: jpeg.length,
      contentType: 'image/jpeg',
    });
    const got = await client.send(
      new GetObjectCommand({ Bucket: config.bucketName, Key: 'cases/c1/id/1' }),
    );
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? [])).toEqual(jpeg);
    expect(got.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    await client.send(new DeleteObjectCommand({ Bucket: config.bucketName, Key: 'cases/c1/id/1' }));
    expect(await images.head('cases/c1/id/1')).toBeUndefined();
  });

  it('answers NoSuchKey, NotFound and NoSuchBucket like S3', async () => {
    const missing = await errorOf(
      client.send(new GetObjectCommand({ Bucket: config.bucketName, Key: 'nope' })),
    );
    expect(missing.name).toBe('NoSuchKey');
    const head = await errorOf(
      client.send(new HeadObjectCommand({ Bucket: config.bucketName, Key: 'nope' })),
    );
    expect([head.name, head.$metadata?.httpStatusCode]).toEqual(['NotFound', 404]);
    const bucket = await errorOf(client.send(new GetObjectCommand({ Bucket: 'other', Key: 'k' })));
    expect(bucket.name).toBe('NoSuchBucket');
  });

  it('accepts the SDK default client too (checksums on)', async () => {
    const plain = new S3Client({ ...clientOptions(server.url), forcePathStyle: true });
    await plain.send(
      new PutObjectCommand({
        Bucket: config.bucketName,
        Key: 'plain',
        Body: jpeg,
        ContentType: 'image/jpeg',
      }),
    );
    expect(await images.head('plain')).toEqual({ size: jpeg.length, contentType: 'image/jpeg' });
    plain.destroy();
  });

  it('refuses requests signed with another secret or not signed', async () => {
    const wrong = new S3Client({
      ...clientOptions(server.url),
      forcePathStyle: true,
      credentials: { accessKeyId: config.credentials.accessKeyId, secretAccessKey: 'wrong' },
    });
    const error = await errorOf(
      wrong.send(new PutObjectCommand({ Bucket: config.bucketName, Key: 'x', Body: jpeg })),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
    wrong.destroy();
    const unsigned = await fetch(`${server.url}/${config.bucketName}/plain`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses bodies over the limit and keeps serving', async () => {
    const error = await errorOf(
      images.put('big', Buffer.alloc(MAX_OBJECT_BYTES + 1), 'image/jpeg'),
    );
    expect(error.name).toBe('EntityTooLarge');
    expect(await images.head('big')).toBeUndefined();
    await images.put('small', jpeg, 'image/jpeg');
    expect(await images.head('small')).toBeDefined();
  });
});

describe('keys', () => {
  it.each([
    ['a parent segment', '../escape', 'InvalidArgument'],
    ['a nested parent segment', 'cases/../../etc/passwd', 'InvalidArgument'],
    ['an absolute path', '/etc/passwd', 'InvalidArgument'],
    ['a backslash', 'cases\\..\\x', 'InvalidArgument'],
    ['a NUL character', 'a\0b', 'InvalidArgument'],
    ['over 1024 bytes', 'k'.repeat(1025), 'KeyTooLongError'],
  ])('refuses a key with %s', async (_label, key, code) => {
    const error = await errorOf(images.put(key, jpeg, 'image/jpeg'));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual([code, 400]);
  });

  it('refuses a traversal sent raw on the wire, with an S3 XML error', async () => {
    const url = await images.presignDownload('cases/x', 60);
    const query = url.slice(url.indexOf('?'));
    const response = await rawRequest(server.url, {
      method: 'GET',
      path: `/${config.bucketName}/../../../etc/passwd${query}`,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toMatch(/^<\?xml[^>]*>\n<Error><Code>\w+<\/Code><Message>/);
    expect((await fetch(`${server.url}/${config.bucketName}/x`)).status).toBe(403);
  });
});

describe('presigned URLs', () => {
  const put = (url: string, contentType: string, extra: Record<string, string> = {}) =>
    fetch(url, { method: 'PUT', body: jpeg, headers: { 'content-type': contentType, ...extra } });

  it('accepts an upload with the signed content type', async () => {
    const url = await images.presignUpload('cases/c2/id/1', 'image/jpeg', 300);
    expect(url).toContain('X-Amz-Signature=');
    const response = await put(url, 'image/jpeg', {
      origin: config.webOrigin,
      'if-none-match': '*',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(config.webOrigin);
    expect(await images.head('cases/c2/id/1')).toEqual({
      size: jpeg.length,
      contentType: 'image/jpeg',
    });
  });

  it('refuses another content type, a tampered signature and an expired URL', async () => {
    const url = await images.presignUpload('cases/c3/id/1', 'image/jpeg', 300);
    const otherType = await put(url, 'image/png');
    expect(otherType.status).toBe(403);
    expect(await otherType.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect((await put(tampered, 'image/jpeg')).status).toBe(403);
    const otherKey = url.replace('cases/c3/id/1', 'cases/c3/id/2');
    expect((await put(otherKey, 'image/jpeg')).status).toBe(403);

    const expired = await getSignedUrl(
      client,
      new PutObjectCommand({
        Bucket: config.bucketName,
        Key: 'cases/c3/id/1',
        ContentType: 'image/jpeg',
      }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 3600_000),
        signableHeaders: new Set(['content-type']),
      },
    );
    const late = await put(expired, 'image/jpeg');
    expect(late.status).toBe(403);
    const body = await late.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Request has expired');
    expect(await images.head('cases/c3/id/1')).toBeUndefined();
  });

  it('serves a presigned download', async () => {
    await images.put('cases/c4/ref.jpg', jpeg, 'image/jpeg');
    const response = await fetch(await images.presignDownload('cases/c4/ref.jpg', 60));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(jpeg);
  });
});

describe('CORS', () => {
  const preflight = (origin: string, method: string) =>
    fetch(`${server.url}/${config.bucketName}/cases/c5/id/1`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type',
      },
    });

  it('allows the web origin to PUT and GET', async () => {
    const response = await preflight(config.webOrigin, 'PUT');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(config.webOrigin);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('refuses other origins and methods', async () => {
    expect((await preflight('http://evil.example', 'PUT')).status).toBe(403);
    expect((await preflight(config.webOrigin, 'DELETE')).status).toBe(403);
  });
});

/** The hash the SigV4 signer wants, on node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret ? createHmac('sha256', Buffer.from(secret as string)) : createHash('sha256');
  }

  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

describe('header-signed requests', () => {
  it('refuses a body that does not match the signed payload hash', async () => {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const signer = new SignatureV4({
      credentials: config.credentials,
      region: config.region,
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false,
    });
    const { hostname, port } = new URL(server.url);
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: `/${config.bucketName}/cases/c6/id/1`,
      query: {},
      headers: {
        host: `${hostname}:${port}`,
        'content-type': 'image/jpeg',
        'x-amz-content-sha256': createHash('sha256').update('signed body').digest('hex'),
      },
      body: 'signed body',
    });
    const send = (body: string) =>
      rawRequest(server.url, {
        method: 'PUT',
        path: signed.path,
        headers: signed.headers as Record<string, string>,
        body: Buffer.from(body),
      });
    const tampered = await send('other body!');
    expect(tampered.status).toBe(400);
    expect(tampered.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(await images.head('cases/c6/id/1')).toBeUndefined();
    expect((await send('signed body')).status).toBe(200);
    expect(await images.head('cases/c6/id/1')).toEqual({ size: 11, contentType: 'image/jpeg' });
  });
});

describe('conditional writes (If-None-Match, If-Match)', () => {
  const putIf = (key: string, condition: { IfNoneMatch?: string; IfMatch?: string }) =>
    client.send(
      new PutObjectCommand({
        Bucket: config.bucketName,
        Key: key,
        Body: jpeg,
        ContentType: 'image/jpeg',
        ...condition,
      }),
    );

  it('creates with If-None-Match: * once, then answers 412 PreconditionFailed and keeps the object', async () => {
    await putIf('cases/c7/evidence/id-1', { IfNoneMatch: '*' });
    const second = await errorOf(
      client.send(
        new PutObjectCommand({
          Bucket: config.bucketName,
          Key: 'cases/c7/evidence/id-1',
          Body: Buffer.from('other'),
          ContentType: 'image/png',
          IfNoneMatch: '*',
        }),
      ),
    );
    expect(second.name).toBe('PreconditionFailed');
    expect(second.$metadata?.httpStatusCode).toBe(412);
    expect(await images.head('cases/c7/evidence/id-1')).toEqual({
      size: jpeg.length,
      contentType: 'image/jpeg',
    });
  });

  it('replaces with If-Match only when the ETag matches; a missing key is NoSuchKey', async () => {
    await putIf('cases/c8/x', {});
    const head = await client.send(
      new HeadObjectCommand({ Bucket: config.bucketName, Key: 'cases/c8/x' }),
    );
    const wrong = await errorOf(putIf('cases/c8/x', { IfMatch: '"0123"' }));
    expect(wrong.$metadata?.httpStatusCode).toBe(412);
    await putIf('cases/c8/x', { IfMatch: head.ETag ?? '' });
    const missing = await errorOf(putIf('cases/c8/none', { IfMatch: head.ETag ?? '' }));
    expect(missing.name).toBe('NoSuchKey');
  });

  it('refuses If-None-Match with anything but * as NotImplemented', async () => {
    const other = await errorOf(putIf('cases/c8/y', { IfNoneMatch: '"abc"' }));
    expect(other.$metadata?.httpStatusCode).toBe(501);
    expect(await images.head('cases/c8/y')).toBeUndefined();
  });

  it('verifies x-amz-checksum-sha256 and answers BadDigest on a mismatch', async () => {
    const sha = createHash('sha256').update(jpeg).digest('base64');
    const ok = await client.send(
      new PutObjectCommand({
        Bucket: config.bucketName,
        Key: 'cases/c9/a',
        Body: jpeg,
        ChecksumSHA256: sha,
      }),
    );
    expect(ok.ChecksumSHA256).toBe(sha);
    const bad = await errorOf(
      client.send(
        new PutObjectCommand({
          Bucket: config.bucketName,
          Key: 'cases/c9/b',
          Body: jpeg,
          ChecksumSHA256: createHash('sha256').update('x').digest('base64'),
        }),
      ),
    );
    expect(bad.name).toBe('BadDigest');
    expect(await images.head('cases/c9/b')).toBeUndefined();
  });

  it('a presigned URL that signs If-None-Match creates the object once; a replay gets 412', async () => {
    const url = await images.presignUpload('cases/c10/id/1', 'image/jpeg', 60);
    const headers = { 'content-type': 'image/jpeg', 'if-none-match': '*' };
    expect((await fetch(url, { method: 'PUT', body: jpeg, headers })).status).toBe(200);
    const replay = await fetch(url, { method: 'PUT', body: Buffer.from('x'), headers });
    expect(replay.status).toBe(412);
    expect(await replay.text()).toContain('<Code>PreconditionFailed</Code>');
    const dropped = await fetch(url, {
      method: 'PUT',
      body: Buffer.from('x'),
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(dropped.status).toBe(403);
    expect(await images.head('cases/c10/id/1')).toEqual({
      size: jpeg.length,
      contentType: 'image/jpeg',
    });
  });
});
