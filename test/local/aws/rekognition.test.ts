import {
  type Attribute,
  CompareFacesCommand,
  type CompareFacesCommandInput,
  DetectFacesCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceService } from '../../../functions/adapters/rekognition.js';
import { dataFolders } from '../../../local/aws/config.js';
import { LivenessSessionStore } from '../../../local/aws/liveness-session-store.js';
import { ObjectStore } from '../../../local/aws/object-store.js';
import { rekognitionService } from '../../../local/aws/rekognition-service.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { FaceEngine } from '../../../local/face-engine/index.js';
import { cropAroundFace, flatImage, samplePhoto } from '../face-engine/sample-images.js';
import { clientOptions, tempDataFolder, testConfig } from './helpers.js';

let data: Awaited<ReturnType<typeof tempDataFolder>>;
let config: ReturnType<typeof testConfig>;
let engine: FaceEngine;
let objects: ObjectStore;
let server: AwsServer;
let client: RekognitionClient;
let group: Buffer;
let source: Buffer;
let sameFace: Buffer;
let otherFace: Buffer;

beforeAll(async () => {
  data = await tempDataFolder();
  config = testConfig(data.folder);
  engine = await FaceEngine.start({ size: 2 });
  objects = await ObjectStore.open({
    folder: dataFolders(config).s3,
    buckets: [config.bucketName],
  });
  const sessions = await LivenessSessionStore.open({
    folder: dataFolders(config).rekognition,
    objects,
  });
  server = await createAwsServer({
    services: [rekognitionService({ faces: engine, objects, sessions })],
  });
  client = new RekognitionClient(clientOptions(server.url));
  group = await samplePhoto(1);
  const boxes = ((await engine.detectFaces(group)).FaceDetails ?? []).map(
    (face) => face.BoundingBox ?? {},
  );
  const crop = async (index: number, margin: number) =>
    cropAroundFace(group, boxes[index] ?? {}, margin);
  source = await (await crop(0, 0.5)).jpeg().toBuffer();
  sameFace = await (await crop(0, 1.2)).resize({ width: 200 }).jpeg().toBuffer();
  otherFace = await (await crop(1, 0.6)).jpeg().toBuffer();
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await engine?.close();
  await data?.remove();
});

const compare = (input: Partial<CompareFacesCommandInput>) =>
  client.send(
    new CompareFacesCommand({
      SourceImage: { Bytes: source },
      TargetImage: { Bytes: sameFace },
      ...input,
    }),
  );
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: 'resolved', status: 0 }),
    (error: { name: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      status: error.$metadata?.httpStatusCode,
    }),
  );

describe('CompareFaces', () => {
  it('matches the same person with high similarity', async () => {
    const result = await compare({});
    expect(result.FaceMatches).toHaveLength(1);
    expect(result.FaceMatches?.[0]?.Similarity).toBeGreaterThanOrEqual(90);
    expect(result.UnmatchedFaces).toEqual([]);
    expect(result.SourceImageFace?.BoundingBox?.Width).toBeGreaterThan(0);
  });

  it('does not match a different person', async () => {
    const result = await compare({ TargetImage: { Bytes: otherFace }, SimilarityThreshold: 80 });
    expect(result.FaceMatches).toEqual([]);
    expect(result.UnmatchedFaces).toHaveLength(1);
  });

  it('reads both images from S3 as the functions ask for them', async () => {
    await objects.put(config.bucketName, 'cases/c1/liveness/s/reference.jpg', source, 'image/jpeg');
    await objects.put(config.bucketName, 'cases/c1/id/1', sameFace, 'image/jpeg');
    const faces = new FaceService(client);
    const match = await faces.compareFaces({
      bucket: config.bucketName,
      referenceImageKey: 'cases/c1/liveness/s/reference.jpg',
      idImageKey: 'cases/c1/id/1',
      similarityThreshold: 80,
      qualityFilter: 'AUTO',
    });
    expect(match.facesOnId).toBe(1);
    expect(match.similarity).toBeGreaterThanOrEqual(90);
    const estimate = await faces.estimateFace({ bucket: config.bucketName, key: 'cases/c1/id/1' });
    expect(estimate.faceCount).toBe(1);
    expect(estimate.ageRange.high).toBeGreaterThan(estimate.ageRange.low);
  });

  it.each([
    [
      'a missing S3 object',
      { TargetImage: { S3Object: { Bucket: 'kyc-onboarding-local', Name: 'nope' } } },
      'InvalidS3ObjectException',
    ],
    [
      'a traversal key',
      { TargetImage: { S3Object: { Bucket: 'kyc-onboarding-local', Name: '../x' } } },
      'InvalidS3ObjectException',
    ],
    [
      'an unknown bucket',
      { TargetImage: { S3Object: { Bucket: 'other-bucket', Name: 'x' } } },
      'InvalidS3ObjectException',
    ],
    [
      'both Bytes and S3Object',
      { TargetImage: { Bytes: Buffer.from('x'), S3Object: { Bucket: 'b', Name: 'x' } } },
      'InvalidParameterException',
    ],
    ['neither Bytes nor S3Object', { TargetImage: {} }, 'InvalidParameterException'],
    ['SimilarityThreshold 101', { SimilarityThreshold: 101 }, 'InvalidParameterException'],
    ['SimilarityThreshold -1', { SimilarityThreshold: -1 }, 'InvalidParameterException'],
    ['an unknown QualityFilter', { QualityFilter: 'BEST' as 'HIGH' }, 'InvalidParameterException'],
    [
      'non-image bytes',
      { TargetImage: { Bytes: Buffer.from('not an image at all') } },
      'InvalidImageFormatException',
    ],
    [
      'bytes over 5 MB',
      { TargetImage: { Bytes: Buffer.alloc(5 * 1024 * 1024 + 1, 0xff) } },
      'ImageTooLargeException',
    ],
  ] as const)('refuses %s', async (_label, input, name) => {
    expect(await errorOf(compare(input as Partial<CompareFacesCommandInput>))).toEqual({
      name,
      status: 400,
    });
  });

  it('answers InvalidParameterException for a source without a face', async () => {
    const blank = await flatImage(320, 240);
    expect(await errorOf(compare({ SourceImage: { Bytes: blank } }))).toEqual({
      name: 'InvalidParameterException',
      status: 400,
    });
  });
});

describe('DetectFaces', () => {
  it('finds one box per face on a group photo', async () => {
    const { FaceDetails = [] } = await client.send(
      new DetectFacesCommand({ Image: { Bytes: group } }),
    );
    expect(FaceDetails).toHaveLength(3);
    for (const face of FaceDetails) {
      const { Left = -1, Top = -1, Width = 0, Height = 0 } = face.BoundingBox ?? {};
      expect(Left).toBeGreaterThanOrEqual(0);
      expect(Top + Height).toBeLessThanOrEqual(1);
      expect(Width).toBeGreaterThan(0.04);
      expect(face.AgeRange).toBeUndefined();
    }
  });

  it('adds only the attributes asked for', async () => {
    const ask = (Attributes: Attribute[]) =>
      client.send(new DetectFacesCommand({ Image: { Bytes: source }, Attributes }));
    const [withAge] = (await ask(['DEFAULT', 'AGE_RANGE'])).FaceDetails ?? [];
    expect(withAge?.AgeRange?.High).toBeGreaterThan(withAge?.AgeRange?.Low ?? Number.NaN);
    expect(withAge?.EyesOpen).toBeUndefined();
    expect(withAge?.Pose).toBeDefined();
    const [all] = (await ask(['ALL'])).FaceDetails ?? [];
    expect(all?.EyesOpen).toBeDefined();
    expect(await errorOf(ask(['EVERYTHING' as Attribute]))).toEqual({
      name: 'InvalidParameterException',
      status: 400,
    });
  });

  it('answers InvalidImageFormatException for a truncated JPEG and keeps serving', async () => {
    const truncated = (await sharp(source).jpeg().toBuffer()).subarray(0, 200);
    expect(
      await errorOf(client.send(new DetectFacesCommand({ Image: { Bytes: truncated } }))),
    ).toEqual({ name: 'InvalidImageFormatException', status: 400 });
    const { FaceDetails = [] } = await client.send(
      new DetectFacesCommand({ Image: { Bytes: source } }),
    );
    expect(FaceDetails).toHaveLength(1);
  });
});
