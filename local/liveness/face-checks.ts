import type { FaceAnalysis, PixelBox } from '../face-engine/index.js';
import { descriptorDistance, similarityFromDistance } from '../face-engine/similarity.js';
import type { OvalParameters } from './challenge.js';

/** What the face engine saw on one analysed frame. */
export interface FaceObservation {
  readonly timeMs: number;
  readonly faces: readonly FaceAnalysis[];
}

export interface FaceCheckResult {
  /** 0-1: a face on (nearly) every analysed frame, only one, the same person throughout. */
  readonly presenceScore: number;
  /** 0-1: the face came closer, as the oval asked. */
  readonly approachScore: number;
  /** 0-1: the face ended in the oval. */
  readonly fitScore: number;
  /** 0-1 median of the engine's passive anti-spoof score, when the engine gives one. */
  readonly passiveScore?: number;
  /** Final face width / initial face width. */
  readonly approachRatio: number;
  readonly reasons: readonly string[];
}

const FACE_RULES = {
  /** Share of analysed frames that must show a face. */
  minPresence: 0.8,
  /** Share of analysed frames showing a second face that makes it a multi-face session. */
  maxMultiFace: 0.2,
  /** A second face smaller than this share of the main face's width is ignored (posters...). */
  secondFaceMinWidth: 0.35,
  /** Final / initial face width; the oval makes applicants come about 1.5-2x closer. */
  minApproach: 1.2,
  /** Face centre to oval centre, in half-axes of the oval. */
  maxCentreOffset: 0.35,
  /** Face box width / oval width at the end (the engine's box is a tight brow-to-chin one). */
  minFitWidth: 0.5,
  maxFitWidth: 1.3,
  /** Similarity 0-100 below which the first and last face are different people. */
  minSameFaceSimilarity: 50,
} as const;

const width = (face: FaceAnalysis) => face.box.width;

function mainFace(observation: FaceObservation): FaceAnalysis | undefined {
  return [...observation.faces].sort((a, b) => width(b) - width(a))[0];
}

/** Faces that count: the main one and any other of comparable size. */
export function countedFaces(observation: FaceObservation): number {
  const main = mainFace(observation);
  if (!main) return 0;
  return observation.faces.filter(
    (face) => width(face) >= FACE_RULES.secondFaceMinWidth * width(main),
  ).length;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : mean(sorted.slice(middle - 1, middle + 1));
}

/** How far the box's centre is from the oval's, in half-axes (1 = on the oval's edge). */
function ovalOffset(box: PixelBox, oval: OvalParameters): number {
  const dx = (box.left + box.width / 2 - oval.CenterX) / (oval.Width / 2);
  const dy = (box.top + box.height / 2 - oval.CenterY) / (oval.Height / 2);
  return Math.hypot(dx, dy);
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/**
 * The movement half of the challenge, checked on what the server saw rather than on the
 * client's InitialFace/TargetFace claims: one face, the same one, growing into the oval.
 */
export function checkFaces(
  observations: readonly FaceObservation[],
  oval: OvalParameters,
): FaceCheckResult {
  const reasons: string[] = [];
  const withFace = observations.filter((observation) => observation.faces.length > 0);
  const presence = observations.length === 0 ? 0 : withFace.length / observations.length;
  if (presence < FACE_RULES.minPresence) {
    reasons.push(`face: on ${Math.round(presence * 100)}% of analysed frames`);
  }
  const multi = observations.filter((observation) => countedFaces(observation) > 1).length;
  const multiShare = observations.length === 0 ? 0 : multi / observations.length;
  if (multiShare > FACE_RULES.maxMultiFace) {
    reasons.push(`face: more than one face on ${Math.round(multiShare * 100)}% of analysed frames`);
  }
  const mains = withFace.map((observation) => mainFace(observation) as FaceAnalysis);
  const first = mains.slice(0, 2);
  const last = mains.slice(-2);
  let sameFace = true;
  const [firstFace, lastFace] = [mains[0], mains.at(-1)];
  if (firstFace && lastFace) {
    const similarity = similarityFromDistance(
      descriptorDistance(firstFace.descriptor, lastFace.descriptor),
    );
    sameFace = similarity >= FACE_RULES.minSameFaceSimilarity;
    if (!sameFace) reasons.push(`face: changed person (similarity ${similarity.toFixed(0)})`);
  }
  const approachRatio = first.length > 0 ? mean(last.map(width)) / mean(first.map(width)) : 0;
  if (mains.length > 0 && approachRatio < FACE_RULES.minApproach) {
    reasons.push(`movement: face grew ${approachRatio.toFixed(2)}x, not toward the oval`);
  }
  const offset = last.length > 0 ? mean(last.map((face) => ovalOffset(face.box, oval))) : 1;
  const fitWidth = mean(last.map(width)) / oval.Width;
  const fits =
    last.length > 0 &&
    offset <= FACE_RULES.maxCentreOffset &&
    fitWidth >= FACE_RULES.minFitWidth &&
    fitWidth <= FACE_RULES.maxFitWidth;
  if (mains.length > 0 && !fits) {
    reasons.push(
      `movement: face not in the oval at the end (offset ${offset.toFixed(2)}, width ${fitWidth.toFixed(2)})`,
    );
  }
  const passive = mains.flatMap((face) =>
    face.passiveLiveness ? [face.passiveLiveness.antispoof] : [],
  );
  return {
    presenceScore: multiShare > FACE_RULES.maxMultiFace || !sameFace ? 0 : presence,
    approachScore: clamp01((approachRatio - 1) / 0.4),
    fitScore: fits ? clamp01(1 - offset / (2 * FACE_RULES.maxCentreOffset)) * 0.5 + 0.5 : 0,
    ...(passive.length > 0 ? { passiveScore: median(passive) } : {}),
    approachRatio,
    reasons,
  };
}
