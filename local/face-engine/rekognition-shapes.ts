import type {
  BoundingBox,
  ComparedFace,
  FaceDetail,
  QualityFilter,
} from '@aws-sdk/client-rekognition';
import { ageRange } from './age-range.js';
import type { FaceAnalysis, FrameAnalysis } from './analyze-frame.js';
import { mouthOpen, toRekognitionLandmarks } from './face-geometry.js';

interface QualityBar {
  readonly minSharpness: number;
  readonly minBrightness: number;
  readonly maxBrightness: number;
  /** Shorter side of the face box, pixels: the recogniser sees faces at 150x150. */
  readonly minFaceSize: number;
}

/**
 * QualityFilter in terms of what we measure. LOW drops faces that are unusable for matching
 * (smeared, nearly black or blown out, tiny); HIGH keeps only faces like a good ID selfie.
 * AUTO is Rekognition's "service chooses": we choose LOW, the least surprising bar.
 */
const QUALITY_BARS: Record<Exclude<QualityFilter, 'NONE' | 'AUTO'>, QualityBar> = {
  LOW: { minSharpness: 10, minBrightness: 12, maxBrightness: 95, minFaceSize: 24 },
  MEDIUM: { minSharpness: 25, minBrightness: 20, maxBrightness: 90, minFaceSize: 48 },
  HIGH: { minSharpness: 45, minBrightness: 28, maxBrightness: 85, minFaceSize: 80 },
};

export function passesQualityFilter(face: FaceAnalysis, filter: QualityFilter): boolean {
  if (filter === 'NONE') return true;
  const bar = QUALITY_BARS[filter === 'AUTO' ? 'LOW' : filter];
  return (
    face.sharpness >= bar.minSharpness &&
    face.brightness >= bar.minBrightness &&
    face.brightness <= bar.maxBrightness &&
    Math.min(face.box.width, face.box.height) >= bar.minFaceSize
  );
}

/** Largest first, as Rekognition looks at "the largest face" and "up to 100" faces. */
export function largestFirst(faces: readonly FaceAnalysis[]): FaceAnalysis[] {
  return [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
}

function boundingBox(face: FaceAnalysis, frame: FrameAnalysis): BoundingBox {
  return {
    Left: face.box.left / frame.width,
    Top: face.box.top / frame.height,
    Width: face.box.width / frame.width,
    Height: face.box.height / frame.height,
  };
}

const confidence = (face: FaceAnalysis) => face.confidence * 100;

export function toComparedFace(face: FaceAnalysis, frame: FrameAnalysis): ComparedFace {
  return {
    BoundingBox: boundingBox(face, frame),
    Confidence: confidence(face),
    Landmarks: toRekognitionLandmarks(face.landmarks, frame.width, frame.height, 'compared'),
    Pose: face.pose,
    Quality: { Brightness: face.brightness, Sharpness: face.sharpness },
  };
}

export function toFaceDetail(
  face: FaceAnalysis,
  frame: FrameAnalysis,
  attributes: 'DEFAULT' | 'ALL',
): FaceDetail {
  const detail: FaceDetail = {
    BoundingBox: boundingBox(face, frame),
    Confidence: confidence(face),
    Landmarks: toRekognitionLandmarks(face.landmarks, frame.width, frame.height),
    Pose: face.pose,
    Quality: { Brightness: face.brightness, Sharpness: face.sharpness },
  };
  if (attributes === 'DEFAULT') return detail;
  return {
    ...detail,
    AgeRange: ageRange(face.age),
    EyesOpen: { ...face.eyesOpen },
    MouthOpen: mouthOpen(face.landmarks),
  };
}
