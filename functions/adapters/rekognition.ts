import {
  CompareFacesCommand,
  CreateFaceLivenessSessionCommand,
  DetectFacesCommand,
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import {
  IdImageInvalidError,
  IdImageMissingError,
  LivenessSessionNotFoundError,
  NoFaceInIdImageError,
  NoFaceInReferenceImageError,
} from '../domain/errors.js';
import type { LivenessSessionStatus } from '../domain/liveness-gate.js';
import type { QualityFilter } from '../domain/profiles.js';
import { sdkClientDefaults } from '../shared/aws-sdk.js';
import { once } from '../shared/once.js';
import { callAws } from './aws-errors.js';

export interface LivenessSessionRequest {
  readonly clientRequestToken: string;
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly kmsKeyId?: string;
  readonly auditImagesLimit: number;
}

export type StoredOrInline = { readonly key: string } | { readonly bytes: Uint8Array };

export interface LivenessResult {
  readonly status: LivenessSessionStatus;
  readonly confidence?: number;
  readonly referenceImage?: StoredOrInline;
  readonly auditImages: readonly StoredOrInline[];
}

export interface FaceEstimate {
  readonly faceCount: number;
  readonly ageRange: { readonly low: number; readonly high: number };
  readonly quality: { readonly brightness: number; readonly sharpness: number };
  readonly pose: { readonly roll: number; readonly yaw: number; readonly pitch: number };
}

type Image = { S3Object?: { Name?: string }; Bytes?: Uint8Array };

function storedOrInline(image: Image | undefined): StoredOrInline | undefined {
  if (image?.S3Object?.Name) return { key: image.S3Object.Name };
  if (image?.Bytes) return { bytes: image.Bytes };
  return undefined;
}

export class FaceService {
  constructor(private readonly client: RekognitionClient) {}

  /** Single-use session whose reference and audit images Rekognition writes to our bucket. */
  async createLivenessSession(request: LivenessSessionRequest): Promise<string> {
    const response = await callAws(() =>
      this.client.send(
        new CreateFaceLivenessSessionCommand({
          ClientRequestToken: request.clientRequestToken,
          ...(request.kmsKeyId ? { KmsKeyId: request.kmsKeyId } : {}),
          Settings: {
            OutputConfig: { S3Bucket: request.bucket, S3KeyPrefix: request.keyPrefix },
            AuditImagesLimit: request.auditImagesLimit,
          },
        }),
      ),
    );
    if (!response.SessionId) throw new Error('CreateFaceLivenessSession returned no SessionId');
    return response.SessionId;
  }

  async getLivenessResult(sessionId: string): Promise<LivenessResult> {
    const response = await callAws(
      () => this.client.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId })),
      { SessionNotFoundException: () => new LivenessSessionNotFoundError() },
    );
    const referenceImage = storedOrInline(response.ReferenceImage);
    return {
      status: (response.Status ?? 'FAILED') as LivenessSessionStatus,
      ...(response.Confidence === undefined ? {} : { confidence: response.Confidence }),
      ...(referenceImage ? { referenceImage } : {}),
      auditImages: (response.AuditImages ?? [])
        .map(storedOrInline)
        .filter((image): image is StoredOrInline => image !== undefined),
    };
  }

  /**
   * Compares the liveness reference image (source) with the ID image (target). Returns the
   * best similarity among faces at or above the threshold, or null when none matches.
   */
  async compareFaces(request: {
    bucket: string;
    referenceImageKey: string;
    idImageKey: string;
    similarityThreshold: number;
    qualityFilter: QualityFilter;
  }): Promise<{ similarity: number | null; facesOnId: number }> {
    const response = await callAws(
      () =>
        this.client.send(
          new CompareFacesCommand({
            SourceImage: { S3Object: { Bucket: request.bucket, Name: request.referenceImageKey } },
            TargetImage: { S3Object: { Bucket: request.bucket, Name: request.idImageKey } },
            SimilarityThreshold: request.similarityThreshold,
            QualityFilter: request.qualityFilter,
          }),
        ),
      {
        // Rekognition answers InvalidParameterException when either image has no face. The
        // source passed a liveness check with a face in the oval, so it is the ID photo.
        InvalidParameterException: () => new NoFaceInIdImageError(),
        InvalidImageFormatException: () => new IdImageInvalidError(),
        ImageTooLargeException: () => new IdImageInvalidError(),
        InvalidS3ObjectException: () => new IdImageMissingError(),
      },
    );
    const matches = response.FaceMatches ?? [];
    const facesOnId = matches.length + (response.UnmatchedFaces ?? []).length;
    if (facesOnId === 0) throw new NoFaceInIdImageError();
    const similarities = matches.map((match) => match.Similarity ?? 0);
    return { similarity: similarities.length ? Math.max(...similarities) : null, facesOnId };
  }

  /** Age range, quality and pose of the largest face on an image. */
  async estimateFace(request: { bucket: string; key: string }): Promise<FaceEstimate> {
    const response = await callAws(
      () =>
        this.client.send(
          new DetectFacesCommand({
            Image: { S3Object: { Bucket: request.bucket, Name: request.key } },
            Attributes: ['DEFAULT', 'AGE_RANGE'],
          }),
        ),
      {
        InvalidImageFormatException: () =>
          new NoFaceInReferenceImageError('Unreadable reference image'),
        InvalidS3ObjectException: () =>
          new NoFaceInReferenceImageError('No reference image stored'),
      },
    );
    const faces = response.FaceDetails ?? [];
    const area = (face: (typeof faces)[number]) =>
      (face.BoundingBox?.Width ?? 0) * (face.BoundingBox?.Height ?? 0);
    const largest = [...faces].sort((a, b) => area(b) - area(a))[0];
    if (!largest?.AgeRange) throw new NoFaceInReferenceImageError();
    return {
      faceCount: faces.length,
      ageRange: { low: largest.AgeRange.Low ?? 0, high: largest.AgeRange.High ?? 0 },
      quality: {
        brightness: largest.Quality?.Brightness ?? 0,
        sharpness: largest.Quality?.Sharpness ?? 0,
      },
      pose: {
        roll: largest.Pose?.Roll ?? 0,
        yaw: largest.Pose?.Yaw ?? 0,
        pitch: largest.Pose?.Pitch ?? 0,
      },
    };
  }
}

export const faceService = once(() => new FaceService(new RekognitionClient(sdkClientDefaults)));
