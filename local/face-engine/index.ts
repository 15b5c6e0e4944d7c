import type {
  CompareFacesResponse,
  DetectFacesResponse,
  QualityFilter,
} from '@aws-sdk/client-rekognition';
import type { FaceAnalysis, FrameAnalysis } from './analyze-frame.js';
import { checkImageSize, type RgbFrame } from './decode-image.js';
import { InvalidParameterError } from './errors.js';
import {
  largestFirst,
  passesQualityFilter,
  toComparedFace,
  toFaceDetail,
} from './rekognition-shapes.js';
import { faceSimilarity } from './similarity.js';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
import type { AnalysisRequest } from './worker-protocol.js';

export type {
  EyesOpenEstimate,
  FaceAnalysis,
  FrameAnalysis,
  PassiveLivenessSignal,
  PixelBox,
} from './analyze-frame.js';
export type { RgbFrame } from './decode-image.js';
export {
  ImageTooLargeError,
  InternalServerError,
  InvalidImageFormatError,
  InvalidParameterError,
  ThrottlingError,
} from './errors.js';

export type FaceEngineOptions = Omit<WorkerPoolOptions, 'entry'>;
export type FaceAttributes = 'DEFAULT' | 'ALL';

export interface DetectFacesOptions {
  readonly attributes?: FaceAttributes;
}

export interface CompareFacesOptions {
  /** Minimum Similarity (0-100) of the faces returned in FaceMatches; Rekognition's default. */
  readonly similarityThreshold?: number;
  readonly qualityFilter?: QualityFilter;
}

/**
 * Sizes are checked here so an oversized buffer is never copied to a worker, and the view is
 * copied on its own: posting a view would clone the whole buffer behind it.
 */
function imageRequest(bytes: Uint8Array): AnalysisRequest {
  checkImageSize(bytes);
  return { kind: 'image', bytes: bytes.slice() };
}

const QUALITY_FILTERS: readonly QualityFilter[] = ['NONE', 'AUTO', 'LOW', 'MEDIUM', 'HIGH'];

/**
 * On-device stand-in for Amazon Rekognition's DetectFaces and CompareFaces. Results use the
 * SDK's types so the local emulator can put them on the wire unchanged.
 */
export class FaceEngine {
  readonly #pool: WorkerPool;

  private constructor(pool: WorkerPool) {
    this.#pool = pool;
  }

  /** Worker threads serving this engine. */
  get workers(): number {
    return this.#pool.size;
  }

  /** Starts the workers; resolves once every worker has loaded its models and warmed up. */
  static async start(options: FaceEngineOptions = {}): Promise<FaceEngine> {
    return new FaceEngine(await WorkerPool.start(options));
  }

  async detectFaces(
    bytes: Uint8Array,
    options: DetectFacesOptions = {},
  ): Promise<DetectFacesResponse> {
    const attributes = options.attributes ?? 'DEFAULT';
    if (attributes !== 'DEFAULT' && attributes !== 'ALL') {
      throw new InvalidParameterError('Attributes must be DEFAULT or ALL.');
    }
    const frame = await this.#pool.analyze(imageRequest(bytes));
    return {
      FaceDetails: largestFirst(frame.faces).map((face) => toFaceDetail(face, frame, attributes)),
    };
  }

  async compareFaces(
    sourceBytes: Uint8Array,
    targetBytes: Uint8Array,
    options: CompareFacesOptions = {},
  ): Promise<CompareFacesResponse> {
    const threshold = options.similarityThreshold ?? 80;
    const qualityFilter = options.qualityFilter ?? 'NONE';
    if (!(threshold >= 0 && threshold <= 100)) {
      throw new InvalidParameterError('SimilarityThreshold must be between 0 and 100.');
    }
    if (!QUALITY_FILTERS.includes(qualityFilter)) {
      throw new InvalidParameterError(
        `QualityFilter must be one of ${QUALITY_FILTERS.join(', ')}.`,
      );
    }
    // Both checked before either is queued, so a refused target leaves no orphaned analysis.
    const sourceRequest = imageRequest(sourceBytes);
    const targetRequest = imageRequest(targetBytes);
    const [source, target] = await Promise.all([
      this.#pool.analyze(sourceRequest),
      this.#pool.analyze(targetRequest),
    ]);
    const usable = (frame: FrameAnalysis) =>
      largestFirst(frame.faces).filter((face) => passesQualityFilter(face, qualityFilter));
    const [sourceFace] = usable(source);
    if (!sourceFace) throw new InvalidParameterError('There are no faces in the source image.');
    const targetFaces = usable(target);
    if (targetFaces.length === 0) {
      throw new InvalidParameterError('There are no faces in the target image.');
    }

    const scored = targetFaces.map((face: FaceAnalysis) => ({
      face,
      similarity: faceSimilarity(sourceFace, face),
    }));
    return {
      SourceImageFace: {
        BoundingBox: toComparedFace(sourceFace, source).BoundingBox,
        Confidence: sourceFace.confidence * 100,
      },
      FaceMatches: scored
        .filter(({ similarity }) => similarity >= threshold)
        .sort((a, b) => b.similarity - a.similarity)
        .map(({ face, similarity }) => ({
          Similarity: similarity,
          Face: toComparedFace(face, target),
        })),
      UnmatchedFaces: scored
        .filter(({ similarity }) => similarity < threshold)
        .map(({ face }) => toComparedFace(face, target)),
    };
  }

  /**
   * Faces of an already decoded frame, with descriptors, for callers that work on video
   * (Face Liveness): per-frame boxes, and the best frame to keep as reference image.
   */
  analyzeFrame(frame: RgbFrame): Promise<FrameAnalysis> {
    return this.#pool.analyze({ kind: 'frame', frame });
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
