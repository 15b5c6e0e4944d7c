import type { FaceDetail, QualityFilter as QualityFilterName } from '@aws-sdk/client-rekognition';
import {
  type FaceEngine,
  ImageTooLargeError,
  InternalServerError,
  InvalidImageFormatError,
  InvalidParameterError,
  ThrottlingError,
} from '../face-engine/index.js';
import { type ImageSourceRules, imageBytesOf } from './image-source.js';
import { type AwsJsonService, AwsServiceError } from './json-service.js';
import type { CreateSessionRequest, LivenessSessionStore } from './liveness-session-store.js';
import type { ObjectStore } from './object-store.js';
import { validateObjectKey } from './s3-names.js';

export interface RekognitionServiceOptions {
  readonly faces: Pick<FaceEngine, 'detectFaces' | 'compareFaces'>;
  readonly objects: ObjectStore;
  readonly sessions: LivenessSessionStore;
}

/** Rekognition's limits: 5 MB inline, 15 MB from S3 (the engine itself takes 5 MB at most). */
const IMAGE_RULES: ImageSourceRules = {
  maxBytes: 5 * 1024 * 1024,
  maxS3Bytes: 15 * 1024 * 1024,
  tooLargeCode: 'ImageTooLargeException',
};
const QUALITY_FILTERS = ['NONE', 'AUTO', 'LOW', 'MEDIUM', 'HIGH'];
/** Each optional DetectFaces attribute and the FaceDetail field it adds. */
const ATTRIBUTE_FIELDS: Readonly<Record<string, keyof FaceDetail>> = {
  AGE_RANGE: 'AgeRange',
  BEARD: 'Beard',
  EMOTIONS: 'Emotions',
  EYE_DIRECTION: 'EyeDirection',
  EYEGLASSES: 'Eyeglasses',
  EYES_OPEN: 'EyesOpen',
  FACE_OCCLUDED: 'FaceOccluded',
  GENDER: 'Gender',
  MOUTH_OPEN: 'MouthOpen',
  MUSTACHE: 'Mustache',
  SMILE: 'Smile',
  SUNGLASSES: 'Sunglasses',
};
const DEFAULT_FIELDS: readonly (keyof FaceDetail)[] = [
  'BoundingBox',
  'Confidence',
  'Landmarks',
  'Pose',
  'Quality',
];
const CLIENT_TOKEN = /^[a-zA-Z0-9-_]{1,64}$/;
const OUTPUT_BUCKET = /^[0-9A-Za-z.\-_]{3,255}$/;

const invalid = (message: string) => new AwsServiceError('InvalidParameterException', message);

/** The face engine's errors already carry Rekognition's names; this gives them a status. */
function asServiceError(error: unknown): unknown {
  if (
    error instanceof InvalidImageFormatError ||
    error instanceof ImageTooLargeError ||
    error instanceof InvalidParameterError ||
    error instanceof ThrottlingError
  ) {
    return new AwsServiceError(error.name, error.message);
  }
  if (error instanceof InternalServerError) {
    return new AwsServiceError(error.name, 'Rekognition experienced a service issue.', 500);
  }
  return error;
}

async function withEngine<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asServiceError(error);
  }
}

function record(input: unknown): Record<string, unknown> {
  return input as Record<string, unknown>;
}

function optionalString(value: unknown, name: string, pattern?: RegExp, max = 2048) {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(`${name} must be a string of 1 to ${max} characters.`);
  }
  if (pattern && !pattern.test(value)) throw invalid(`${name} has invalid characters.`);
  return value;
}

function detailWith(face: FaceDetail, attributes: readonly string[]): FaceDetail {
  const fields = new Set<keyof FaceDetail>(DEFAULT_FIELDS);
  for (const attribute of attributes) {
    const field = ATTRIBUTE_FIELDS[attribute];
    if (field) fields.add(field);
  }
  return Object.fromEntries(
    Object.entries(face).filter(([field]) => fields.has(field as keyof FaceDetail)),
  ) as FaceDetail;
}

/**
 * The session's images are stored under `<prefix>/<sessionId>/...`: a prefix the local S3
 * would refuse as a key (`..` segments, backslashes) is refused now rather than when the
 * check completes and its images cannot be written.
 */
function checkKeyPrefix(prefix: string): void {
  try {
    validateObjectKey(`${prefix.replace(/\/+$/, '')}/00000000-0000-0000-0000-000000000000`);
  } catch {
    throw invalid('OutputConfig.S3KeyPrefix is not a valid object key prefix.');
  }
}

function parseSessionRequest(input: Record<string, unknown>): CreateSessionRequest {
  const clientRequestToken = optionalString(
    input.ClientRequestToken,
    'ClientRequestToken',
    CLIENT_TOKEN,
    64,
  );
  const kmsKeyId = optionalString(input.KmsKeyId, 'KmsKeyId');
  const settings = input.Settings === undefined ? {} : input.Settings;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    throw invalid('Settings must be an object.');
  const { OutputConfig: output, AuditImagesLimit: limit = 0 } = settings as Record<string, unknown>;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > 4) {
    throw invalid('AuditImagesLimit must be an integer from 0 to 4.');
  }
  let outputConfig: CreateSessionRequest['outputConfig'];
  if (output !== undefined) {
    if (typeof output !== 'object' || output === null) {
      throw invalid('OutputConfig must be an object.');
    }
    const { S3Bucket: bucket, S3KeyPrefix: prefix } = output as Record<string, unknown>;
    if (typeof bucket !== 'string' || !OUTPUT_BUCKET.test(bucket)) {
      throw invalid('OutputConfig.S3Bucket is not a valid bucket name.');
    }
    const keyPrefix = optionalString(prefix, 'OutputConfig.S3KeyPrefix', undefined, 950);
    if (keyPrefix) checkKeyPrefix(keyPrefix);
    outputConfig = { bucket, ...(keyPrefix ? { keyPrefix } : {}) };
  }
  return {
    auditImagesLimit: limit,
    ...(clientRequestToken ? { clientRequestToken } : {}),
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(outputConfig ? { outputConfig } : {}),
  };
}

/** Rekognition's face operations on the local face engine, and Face Liveness sessions. */
export function rekognitionService(options: RekognitionServiceOptions): AwsJsonService {
  const { faces, objects, sessions } = options;
  const bytesOf = (image: unknown, field: string) =>
    imageBytesOf(image, field, objects, IMAGE_RULES);

  return {
    targetPrefix: 'RekognitionService',
    jsonVersion: '1.1',
    operations: {
      async CompareFaces(input) {
        const { SourceImage, TargetImage, SimilarityThreshold, QualityFilter } = record(input);
        if (
          SimilarityThreshold !== undefined &&
          !(
            typeof SimilarityThreshold === 'number' &&
            SimilarityThreshold >= 0 &&
            SimilarityThreshold <= 100
          )
        ) {
          throw invalid('SimilarityThreshold must be a number from 0 to 100.');
        }
        if (
          QualityFilter !== undefined &&
          !(typeof QualityFilter === 'string' && QUALITY_FILTERS.includes(QualityFilter))
        ) {
          throw invalid(`QualityFilter must be one of ${QUALITY_FILTERS.join(', ')}.`);
        }
        const [source, target] = await Promise.all([
          bytesOf(SourceImage, 'SourceImage'),
          bytesOf(TargetImage, 'TargetImage'),
        ]);
        return withEngine(() =>
          faces.compareFaces(source, target, {
            ...(SimilarityThreshold === undefined
              ? {}
              : { similarityThreshold: SimilarityThreshold as number }),
            ...(QualityFilter === undefined
              ? {}
              : { qualityFilter: QualityFilter as QualityFilterName }),
          }),
        );
      },

      async DetectFaces(input) {
        const { Image, Attributes = ['DEFAULT'] } = record(input);
        const known = (value: unknown) =>
          typeof value === 'string' &&
          (value === 'DEFAULT' || value === 'ALL' || Object.hasOwn(ATTRIBUTE_FIELDS, value));
        if (!Array.isArray(Attributes) || !Attributes.every(known)) {
          throw invalid('Attributes must be DEFAULT, ALL or face attribute names.');
        }
        const attributes = Attributes as string[];
        const image = await bytesOf(Image, 'Image');
        const extra = attributes.some((attribute) => attribute !== 'DEFAULT');
        const response = await withEngine(() =>
          faces.detectFaces(image, { attributes: extra ? 'ALL' : 'DEFAULT' }),
        );
        if (!extra || attributes.includes('ALL')) return response;
        return {
          ...response,
          FaceDetails: (response.FaceDetails ?? []).map((face) => detailWith(face, attributes)),
        };
      },

      async CreateFaceLivenessSession(input) {
        const request = parseSessionRequest(record(input));
        if (request.outputConfig && !objects.hasBucket(request.outputConfig.bucket)) {
          throw invalid(`The S3 bucket ${request.outputConfig.bucket} does not exist.`);
        }
        return { SessionId: await sessions.create(request) };
      },

      async GetFaceLivenessSessionResults(input) {
        const { SessionId } = record(input);
        if (typeof SessionId !== 'string' || SessionId.length !== 36) {
          throw invalid('SessionId must be a 36-character session id.');
        }
        return sessions.results(SessionId);
      },
    },
  };
}
