import {
  CompareFacesCommand,
  CreateFaceLivenessSessionCommand,
  DetectFacesCommand,
  type FaceDetail,
  GetFaceLivenessSessionResultsCommand,
  ImageTooLargeException,
  InvalidImageFormatException,
  InvalidParameterException,
  InvalidS3ObjectException,
  ProvisionedThroughputExceededException,
  RekognitionClient,
  SessionNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { FaceService } from '../../../functions/adapters/rekognition.js';
import {
  IdImageInvalidError,
  IdImageMissingError,
  LivenessSessionNotFoundError,
  NoFaceInIdImageError,
  NoFaceInReferenceImageError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../functions/domain/errors.js';
import { awsError, expectRejection, titled } from './sdk-errors.js';

const rekognition = mockClient(RekognitionClient);
const service = new FaceService(new RekognitionClient({ region: 'eu-west-1' }));
const metadata = { $metadata: {} };
const BUCKET = 'kyc-images';

beforeEach(() => {
  rekognition.reset();
});

describe('createLivenessSession', () => {
  const request = {
    clientRequestToken: 'case-1:token-a',
    bucket: BUCKET,
    keyPrefix: 'cases/case-1/liveness',
    auditImagesLimit: 2,
  };

  it('asks for a session writing its images under the case prefix, without a key when none is given', async () => {
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-1' });

    await expect(service.createLivenessSession(request)).resolves.toBe('session-1');

    const calls = rekognition.commandCalls(CreateFaceLivenessSessionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toStrictEqual({
      ClientRequestToken: 'case-1:token-a',
      Settings: {
        OutputConfig: { S3Bucket: BUCKET, S3KeyPrefix: 'cases/case-1/liveness' },
        AuditImagesLimit: 2,
      },
    });
  });

  it('passes the KMS key when one is given', async () => {
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-2' });

    await service.createLivenessSession({ ...request, kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k' });

    expect(
      rekognition.commandCalls(CreateFaceLivenessSessionCommand)[0]?.args[0].input,
    ).toStrictEqual({
      ClientRequestToken: 'case-1:token-a',
      KmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k',
      Settings: {
        OutputConfig: { S3Bucket: BUCKET, S3KeyPrefix: 'cases/case-1/liveness' },
        AuditImagesLimit: 2,
      },
    });
  });

  it('fails when the service returns no session id', async () => {
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({});
    await expect(service.createLivenessSession(request)).rejects.toThrow(/no SessionId/);
  });

  it('translates throttling', async () => {
    rekognition
      .on(CreateFaceLivenessSessionCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', ...metadata }));
    await expectRejection(service.createLivenessSession(request), ServiceThrottledError);
  });
});

describe('getLivenessResult', () => {
  it('reads the session by id and maps stored and inline images', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    rekognition.on(GetFaceLivenessSessionResultsCommand).resolves({
      SessionId: 'session-1',
      Status: 'SUCCEEDED',
      Confidence: 97.5,
      ReferenceImage: { S3Object: { Bucket: BUCKET, Name: 'cases/c/liveness/s/reference.jpg' } },
      AuditImages: [
        { S3Object: { Bucket: BUCKET, Name: 'cases/c/liveness/s/audit-0.jpg' } },
        { Bytes: bytes },
        {},
      ],
    });

    const result = await service.getLivenessResult('session-1');

    expect(
      rekognition.commandCalls(GetFaceLivenessSessionResultsCommand).map((c) => c.args[0].input),
    ).toStrictEqual([{ SessionId: 'session-1' }]);
    expect(result).toStrictEqual({
      status: 'SUCCEEDED',
      confidence: 97.5,
      referenceImage: { key: 'cases/c/liveness/s/reference.jpg' },
      auditImages: [{ key: 'cases/c/liveness/s/audit-0.jpg' }, { bytes }],
    });
  });

  it('leaves out what the session did not produce', async () => {
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: 's', Status: 'EXPIRED' });
    await expect(service.getLivenessResult('s')).resolves.toStrictEqual({
      status: 'EXPIRED',
      auditImages: [],
    });
  });

  it('treats a result without a status as FAILED', async () => {
    rekognition.on(GetFaceLivenessSessionResultsCommand).resolves({ SessionId: 's' });
    await expect(service.getLivenessResult('s')).resolves.toMatchObject({ status: 'FAILED' });
  });

  // biome-ignore format: one table row per line
  const errors: [string, Error, abstract new (...args: never[]) => Error][] = [
    ['SessionNotFoundException', new SessionNotFoundException({ message: 'gone', ...metadata }), LivenessSessionNotFoundError],
    ['ThrottlingException', new ThrottlingException({ message: 'x', ...metadata }), ServiceThrottledError],
    ['HTTP 503', awsError('ServiceUnavailableException', 503), ServiceUnavailableError],
  ];
  it.each(titled(errors))('%s', async (_name, error, expected) => {
    rekognition.on(GetFaceLivenessSessionResultsCommand).rejects(error);
    await expectRejection(service.getLivenessResult('s'), expected);
  });
});

describe('compareFaces', () => {
  const request = {
    bucket: BUCKET,
    referenceImageKey: 'cases/c/liveness/s/reference.jpg',
    idImageKey: 'cases/c/id/1',
    similarityThreshold: 80,
    qualityFilter: 'AUTO' as const,
  };
  const face = (similarity: number) => ({ Similarity: similarity, Face: { Confidence: 99 } });

  it('compares the liveness reference (source) with the ID image (target), threshold on 0-100', async () => {
    rekognition.on(CompareFacesCommand).resolves({ FaceMatches: [face(91)] });

    await service.compareFaces({ ...request, similarityThreshold: 92.5, qualityFilter: 'HIGH' });

    const calls = rekognition.commandCalls(CompareFacesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toStrictEqual({
      SourceImage: { S3Object: { Bucket: BUCKET, Name: 'cases/c/liveness/s/reference.jpg' } },
      TargetImage: { S3Object: { Bucket: BUCKET, Name: 'cases/c/id/1' } },
      SimilarityThreshold: 92.5,
      QualityFilter: 'HIGH',
    });
  });

  it('returns the best similarity among the matches and counts every face on the ID', async () => {
    rekognition.on(CompareFacesCommand).resolves({
      FaceMatches: [face(88.25), face(99.1), face(93)],
      UnmatchedFaces: [{ Confidence: 99 }],
    });
    await expect(service.compareFaces(request)).resolves.toStrictEqual({
      similarity: 99.1,
      facesOnId: 4,
    });
  });

  it('returns null when faces on the ID do not match', async () => {
    rekognition.on(CompareFacesCommand).resolves({
      FaceMatches: [],
      UnmatchedFaces: [{ Confidence: 99 }, { Confidence: 98 }],
    });
    await expect(service.compareFaces(request)).resolves.toStrictEqual({
      similarity: null,
      facesOnId: 2,
    });
  });

  it('throws NoFaceInIdImageError when there is no face on the ID at all', async () => {
    rekognition.on(CompareFacesCommand).resolves({ FaceMatches: [], UnmatchedFaces: [] });
    await expectRejection(service.compareFaces(request), NoFaceInIdImageError);
  });

  // biome-ignore format: one table row per line
  const errors: [string, Error, abstract new (...args: never[]) => Error][] = [
    ['InvalidParameterException', new InvalidParameterException({ message: 'no face in an image', ...metadata }), NoFaceInIdImageError],
    ['InvalidImageFormatException', new InvalidImageFormatException({ message: 'format', ...metadata }), IdImageInvalidError],
    ['ImageTooLargeException', new ImageTooLargeException({ message: 'large', ...metadata }), IdImageInvalidError],
    ['InvalidS3ObjectException', new InvalidS3ObjectException({ message: 'missing', ...metadata }), IdImageMissingError],
    ['ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException({ message: 'x', ...metadata }), ServiceThrottledError],
    ['HTTP 500', awsError('InternalServerError', 500), ServiceUnavailableError],
  ];
  it.each(titled(errors))('%s', async (_name, error, expected) => {
    rekognition.on(CompareFacesCommand).rejects(error);
    await expectRejection(service.compareFaces(request), expected);
  });

  it('rethrows an unknown error unchanged', async () => {
    const error = awsError('AccessDeniedException', 403);
    rekognition.on(CompareFacesCommand).rejects(error);
    await expect(service.compareFaces(request)).rejects.toBe(error);
  });
});

describe('estimateFace', () => {
  const request = { bucket: BUCKET, key: 'cases/c/liveness/s/reference.jpg' };
  const detail = (width: number, height: number, low: number, high: number): FaceDetail => ({
    BoundingBox: { Width: width, Height: height, Left: 0.1, Top: 0.1 },
    AgeRange: { Low: low, High: high },
    Quality: { Brightness: 70 + low, Sharpness: 80 + low },
    Pose: { Roll: 1 + low, Yaw: 2 + low, Pitch: 3 + low },
  });

  it('asks for the default attributes and the age range of the stored image', async () => {
    rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [detail(0.5, 0.5, 30, 38)] });

    await service.estimateFace(request);

    expect(rekognition.commandCalls(DetectFacesCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        Image: { S3Object: { Bucket: BUCKET, Name: 'cases/c/liveness/s/reference.jpg' } },
        Attributes: ['DEFAULT', 'AGE_RANGE'],
      },
    ]);
  });

  it("reports the largest face's age range, quality and pose, and how many faces there are", async () => {
    rekognition.on(DetectFacesCommand).resolves({
      FaceDetails: [detail(0.1, 0.2, 10, 14), detail(0.4, 0.5, 25, 31), detail(0.3, 0.3, 60, 70)],
    });

    await expect(service.estimateFace(request)).resolves.toStrictEqual({
      faceCount: 3,
      ageRange: { low: 25, high: 31 },
      quality: { brightness: 95, sharpness: 105 },
      pose: { roll: 26, yaw: 27, pitch: 28 },
    });
  });

  it('throws NoFaceInReferenceImageError when no face is found', async () => {
    rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [] });
    await expectRejection(service.estimateFace(request), NoFaceInReferenceImageError);
  });

  // biome-ignore format: one table row per line
  const errors: [string, Error, abstract new (...args: never[]) => Error, RegExp][] = [
    ['InvalidImageFormatException', new InvalidImageFormatException({ message: 'x', ...metadata }), NoFaceInReferenceImageError, /Unreadable/],
    ['InvalidS3ObjectException', new InvalidS3ObjectException({ message: 'x', ...metadata }), NoFaceInReferenceImageError, /No reference image stored/],
    ['ThrottlingException', new ThrottlingException({ message: 'x', ...metadata }), ServiceThrottledError, /ThrottlingException/],
  ];
  it.each(titled(errors))('%s', async (_name, error, expected, message) => {
    rekognition.on(DetectFacesCommand).rejects(error);
    const thrown = await expectRejection(service.estimateFace(request), expected);
    expect(thrown.message).toMatch(message);
  });
});
