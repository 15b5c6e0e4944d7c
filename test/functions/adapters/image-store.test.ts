import {
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ImageStore,
  imageKeys,
  maxIdImageBytes,
  s3Client,
} from '../../../functions/adapters/image-store.js';
import {
  IdImageInvalidError,
  IdImageMissingError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../functions/domain/errors.js';
import { awsError, expectRejection, titled } from './sdk-errors.js';

const BUCKET = 'kyc-images';
const s3 = mockClient(S3Client);
const store = new ImageStore(new S3Client({ region: 'eu-west-1' }), BUCKET);

beforeEach(() => {
  s3.reset();
});

describe('imageKeys', () => {
  it('keeps every image of a case under cases/<caseId>/', () => {
    expect(imageKeys.idImage('c1', 2)).toBe('cases/c1/id/2');
    expect(imageKeys.livenessPrefix('c1')).toBe('cases/c1/liveness');
    expect(imageKeys.referenceImage('c1', 's1')).toBe('cases/c1/liveness/s1/reference.jpg');
    expect(imageKeys.auditImage('c1', 's1', 0)).toBe('cases/c1/liveness/s1/audit-0.jpg');
  });
});

describe('head', () => {
  it('returns the size and type of the object', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 1234, ContentType: 'image/png' });

    await expect(store.head('cases/c1/id/1')).resolves.toStrictEqual({
      size: 1234,
      contentType: 'image/png',
    });
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toStrictEqual([
      { Bucket: BUCKET, Key: 'cases/c1/id/1' },
    ]);
  });

  // biome-ignore format: one table row per line
  const absent: [string, Error][] = [
    ['NotFound', new NotFound({ message: 'x', $metadata: { httpStatusCode: 404 } })],
    ['NoSuchKey', new NoSuchKey({ message: 'x', $metadata: { httpStatusCode: 404 } })],
  ];
  it.each(absent)('returns undefined on %s', async (_name, error) => {
    s3.on(HeadObjectCommand).rejects(error);
    await expect(store.head('cases/c1/id/1')).resolves.toBeUndefined();
  });

  // biome-ignore format: one table row per line
  const errors: [string, Error, abstract new (...args: never[]) => Error][] = [
    ['SlowDown', awsError('SlowDown', 503), ServiceThrottledError],
    ['HTTP 500', awsError('InternalError', 500), ServiceUnavailableError],
  ];
  it.each(titled(errors))('%s', async (_name, error, expected) => {
    s3.on(HeadObjectCommand).rejects(error);
    await expectRejection(store.head('k'), expected);
  });

  it('rethrows an unknown error unchanged', async () => {
    const error = awsError('Forbidden', 403);
    s3.on(HeadObjectCommand).rejects(error);
    await expect(store.head('k')).rejects.toBe(error);
  });
});

describe('requireIdImage', () => {
  // biome-ignore format: one table row per line
  const rejected: [string, { ContentLength: number; ContentType: string }, abstract new (...args: never[]) => Error][] = [
    ['an empty object', { ContentLength: 0, ContentType: 'image/jpeg' }, IdImageInvalidError],
    ['one byte over the limit', { ContentLength: maxIdImageBytes + 1, ContentType: 'image/jpeg' }, IdImageInvalidError],
    ['a GIF', { ContentLength: 100, ContentType: 'image/gif' }, IdImageInvalidError],
    ['no content type', { ContentLength: 100, ContentType: '' }, IdImageInvalidError],
  ];
  it.each(rejected)('rejects %s', async (_label, head, expected) => {
    s3.on(HeadObjectCommand).resolves(head);
    await expectRejection(store.requireIdImage('cases/c1/id/1'), expected);
  });

  it('rejects a missing upload with IdImageMissingError', async () => {
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'x', $metadata: {} }));
    await expectRejection(store.requireIdImage('cases/c1/id/1'), IdImageMissingError);
  });

  // biome-ignore format: one table row per line
  const accepted: [string, { ContentLength: number; ContentType: string }][] = [
    ['a JPEG of exactly the limit', { ContentLength: maxIdImageBytes, ContentType: 'image/jpeg' }],
    ['a one-byte PNG', { ContentLength: 1, ContentType: 'image/png' }],
  ];
  it.each(accepted)('accepts %s', async (_label, head) => {
    s3.on(HeadObjectCommand).resolves(head);
    await expect(store.requireIdImage('cases/c1/id/1')).resolves.toBeUndefined();
  });
});

describe('put', () => {
  it('stores the bytes with their content type', async () => {
    s3.on(PutObjectCommand).resolves({});
    const body = new Uint8Array([0xff, 0xd8, 0xff]);

    await store.put('cases/c1/liveness/s1/reference.jpg', body, 'image/jpeg');

    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        Bucket: BUCKET,
        Key: 'cases/c1/liveness/s1/reference.jpg',
        Body: body,
        ContentType: 'image/jpeg',
      },
    ]);
  });

  it('translates throttling', async () => {
    s3.on(PutObjectCommand).rejects(awsError('SlowDown', 503));
    await expectRejection(store.put('k', new Uint8Array([1]), 'image/jpeg'), ServiceThrottledError);
  });
});

/** Presigning runs the real client's middleware (no request is sent), as the Lambdas build it. */
describe('presigned URLs from the production S3 client', () => {
  let presigner: ImageStore;

  beforeAll(() => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
    for (const name of [
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_S3',
    ]) {
      vi.stubEnv(name, undefined);
    }
    presigner = new ImageStore(s3Client(false), BUCKET);
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  const paramNames = (url: URL) => [...url.searchParams.keys()].map((name) => name.toLowerCase());

  it('upload: PUT to the key, expiring as asked, content type signed, no checksum', async () => {
    const url = new URL(await presigner.presignUpload('cases/c1/id/2', 'image/png', 300));

    expect(url.hostname).toBe(`${BUCKET}.s3.eu-west-1.amazonaws.com`);
    expect(url.pathname).toBe('/cases/c1/id/2');
    expect(url.searchParams.get('x-id')).toBe('PutObject');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-type');
    expect(paramNames(url).filter((name) => name.startsWith('x-amz-checksum'))).toStrictEqual([]);
    expect(paramNames(url).filter((name) => name.startsWith('x-amz-sdk-checksum'))).toStrictEqual(
      [],
    );
  });

  it('upload: the signature depends on the content type', async () => {
    vi.useFakeTimers({ now: new Date('2025-01-02T03:04:05Z'), toFake: ['Date'] });
    try {
      const png = new URL(await presigner.presignUpload('cases/c1/id/2', 'image/png', 300));
      const jpeg = new URL(await presigner.presignUpload('cases/c1/id/2', 'image/jpeg', 300));
      expect(png.searchParams.get('X-Amz-Date')).toBe(jpeg.searchParams.get('X-Amz-Date'));
      expect(png.searchParams.get('X-Amz-Signature')).not.toBe(
        jpeg.searchParams.get('X-Amz-Signature'),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('download: GET of the key, expiring as asked', async () => {
    const url = new URL(await presigner.presignDownload('cases/c1/liveness/s1/audit-0.jpg', 60));

    expect(url.pathname).toBe('/cases/c1/liveness/s1/audit-0.jpg');
    expect(url.searchParams.get('x-id')).toBe('GetObject');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
