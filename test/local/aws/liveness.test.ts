import {
  CreateFaceLivenessSessionCommand,
  type CreateFaceLivenessSessionCommandInput,
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceService } from '../../../functions/adapters/rekognition.js';
import { dataFolders } from '../../../local/aws/config.js';
import {
  LivenessSessionStore,
  SESSION_LIFETIME_MS,
} from '../../../local/aws/liveness-session-store.js';
import { ObjectStore } from '../../../local/aws/object-store.js';
import { rekognitionService } from '../../../local/aws/rekognition-service.js';
import { createS3Handler } from '../../../local/aws/s3-handler.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { clientOptions, tempDataFolder, testConfig } from './helpers.js';

const reference = Buffer.from('reference-jpeg');
const audits = [1, 2, 3].map((n) => Buffer.from(`audit-${n}`));
const noFaces = {
  detectFaces: () => Promise.reject(new Error('not used')),
  compareFaces: () => Promise.reject(new Error('not used')),
};

let data: Awaited<ReturnType<typeof tempDataFolder>>;
let config: ReturnType<typeof testConfig>;
let objects: ObjectStore;
let sessions: LivenessSessionStore;
let server: AwsServer;
let rekognition: RekognitionClient;
let s3: S3Client;
/** The store's clock, moved by tests instead of waiting. */
let now = Date.parse('2026-11-21T10:00:00Z');

async function openStore() {
  return LivenessSessionStore.open({
    folder: dataFolders(config).rekognition,
    objects,
    now: () => now,
  });
}

beforeAll(async () => {
  data = await tempDataFolder();
  config = testConfig(data.folder);
  objects = await ObjectStore.open({
    folder: dataFolders(config).s3,
    buckets: [config.bucketName],
  });
  sessions = await openStore();
  server = await createAwsServer({
    services: [rekognitionService({ faces: noFaces, objects, sessions })],
    s3: createS3Handler({
      store: objects,
      credentials: config.credentials,
      webOrigin: config.webOrigin,
    }),
  });
  rekognition = new RekognitionClient(clientOptions(server.url));
  s3 = new S3Client({ ...clientOptions(server.url), forcePathStyle: true });
});

afterAll(async () => {
  rekognition?.destroy();
  s3?.destroy();
  await server?.close();
  await data?.remove();
});

const create = (input: CreateFaceLivenessSessionCommandInput) =>
  rekognition.send(new CreateFaceLivenessSessionCommand(input));
const results = (SessionId: string) =>
  rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));
const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: Error) => error.name,
  );

describe('CreateFaceLivenessSession', () => {
  it('returns the same session for the same client token, even concurrently', async () => {
    const input = {
      ClientRequestToken: 'token-1',
      KmsKeyId: 'alias/local',
      Settings: {
        OutputConfig: { S3Bucket: config.bucketName, S3KeyPrefix: 'p' },
        AuditImagesLimit: 2,
      },
    };
    const [first, second] = await Promise.all([create(input), create(input)]);
    expect(first.SessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.SessionId).toBe(first.SessionId);
    expect((await create(input)).SessionId).toBe(first.SessionId);
    expect((await create({ ClientRequestToken: 'token-2' })).SessionId).not.toBe(first.SessionId);
    expect((await create({})).SessionId).not.toBe((await create({})).SessionId);
  });

  it.each([
    ['AuditImagesLimit 5', { Settings: { AuditImagesLimit: 5 } }],
    ['AuditImagesLimit -1', { Settings: { AuditImagesLimit: -1 } }],
    ['a bad client token', { ClientRequestToken: 'has spaces' }],
    ['an unknown bucket', { Settings: { OutputConfig: { S3Bucket: 'no-such-bucket' } } }],
  ])('refuses %s', async (_label, input) => {
    expect(await errorName(create(input))).toBe('InvalidParameterException');
  });
});

describe('GetFaceLivenessSessionResults', () => {
  it('reports CREATED, then EXPIRED 3 minutes after creation', async () => {
    const { SessionId = '' } = await create({});
    expect((await results(SessionId)).Status).toBe('CREATED');
    now += SESSION_LIFETIME_MS + 1;
    expect((await results(SessionId)).Status).toBe('EXPIRED');
    await expect(
      sessions.completeSession(SessionId, {
        confidence: 90,
        referenceImage: reference,
        auditImages: [],
      }),
    ).rejects.toMatchObject({ code: 'ValidationException' });
  });

  it('answers SessionNotFoundException for an unknown or malformed id', async () => {
    expect(await errorName(results('00000000-0000-4000-8000-000000000000'))).toBe(
      'SessionNotFoundException',
    );
    const traversal = `${'../'.repeat(4)}${'etc/passwd'.padEnd(24, 'x')}`;
    expect(traversal).toHaveLength(36);
    expect(await errorName(results(traversal))).toBe('SessionNotFoundException');
    expect(await errorName(results('short'))).toBe('InvalidParameterException');
  });

  it('returns S3 objects the functions can read after completion with an output config', async () => {
    const { SessionId = '' } = await create({
      ClientRequestToken: 'token-s3',
      Settings: {
        OutputConfig: { S3Bucket: config.bucketName, S3KeyPrefix: 'cases/c1/liveness' },
        AuditImagesLimit: 2,
      },
    });
    const completed = await sessions.completeSession(SessionId, {
      confidence: 97.5,
      referenceImage: reference,
      auditImages: audits,
      boundingBox: { Width: 0.5, Height: 0.6, Left: 0.25, Top: 0.2 },
    });
    expect(completed.Status).toBe('SUCCEEDED');

    const faceService = new FaceService(rekognition);
    const result = await faceService.getLivenessResult(SessionId);
    expect(result).toEqual({
      status: 'SUCCEEDED',
      confidence: 97.5,
      referenceImage: { key: `cases/c1/liveness/${SessionId}/reference.jpg` },
      auditImages: [1, 2].map((n) => ({
        key: `cases/c1/liveness/${SessionId}/audit_images/${n}.jpg`,
      })),
    });
    const raw = await results(SessionId);
    expect(raw.ReferenceImage?.BoundingBox).toEqual({
      Width: 0.5,
      Height: 0.6,
      Left: 0.25,
      Top: 0.2,
    });
    expect(raw.Challenge).toEqual({ Type: 'FaceMovementAndLightChallenge', Version: '2.0.0' });
    const object = await s3.send(
      new GetObjectCommand({ Bucket: config.bucketName, Key: raw.ReferenceImage?.S3Object?.Name }),
    );
    expect(Buffer.from((await object.Body?.transformToByteArray()) ?? [])).toEqual(reference);
    expect(object.ContentType).toBe('image/jpeg');

    await expect(
      sessions.completeSession(SessionId, {
        confidence: 10,
        referenceImage: reference,
        auditImages: [],
      }),
    ).rejects.toMatchObject({ code: 'ValidationException' });
  });

  it('returns the images as bytes without an output config', async () => {
    const { SessionId = '' } = await create({ Settings: { AuditImagesLimit: 1 } });
    await sessions.completeSession(SessionId, {
      confidence: 12,
      referenceImage: reference,
      auditImages: audits,
    });
    const raw = await results(SessionId);
    expect(raw.Status).toBe('SUCCEEDED');
    expect(raw.Confidence).toBe(12);
    expect(Buffer.from(raw.ReferenceImage?.Bytes ?? [])).toEqual(reference);
    expect(raw.AuditImages?.map((image) => Buffer.from(image.Bytes ?? []))).toEqual([audits[0]]);
  });

  it('keeps sessions and tokens across a reopen of the store', async () => {
    const { SessionId = '' } = await create({ ClientRequestToken: 'token-persist' });
    await sessions.completeSession(SessionId, {
      confidence: 80,
      referenceImage: reference,
      auditImages: [],
    });
    const reopened = await openStore();
    expect((await reopened.results(SessionId)).Status).toBe('SUCCEEDED');
    expect(
      await reopened.create({ clientRequestToken: 'token-persist', auditImagesLimit: 0 }),
    ).toBe(SessionId);
  });
});
