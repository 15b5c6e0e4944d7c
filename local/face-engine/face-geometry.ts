import type { Landmark, LandmarkType, Pose } from '@aws-sdk/client-rekognition';

type Point = readonly [number, number];
type Landmarks68 = ReadonlyArray<Point>;

const DEGREES = 180 / Math.PI;
/**
 * Nose tip height between the eye line (0) and the mouth line (1) on a level face; measured
 * as the median over the 22 faces of face-api's sample photos.
 */
const LEVEL_NOSE_RATIO = 0.6;
/** Eye aspect ratio under which an eye counts as closed (Soukupova and Cech, 2016). */
const CLOSED_EYE_RATIO = 0.2;
/** Inner-lip gap over mouth width above which the mouth counts as open. */
const OPEN_MOUTH_RATIO = 0.15;

const at = (points: Landmarks68, index: number): Point => points[index] ?? [0, 0];
const mean = (points: Landmarks68, indices: readonly number[]): Point => {
  const sum = indices.reduce<[number, number]>(
    (acc, index) => [acc[0] + at(points, index)[0], acc[1] + at(points, index)[1]],
    [0, 0],
  );
  return [sum[0] / indices.length, sum[1] / indices.length];
};
const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const clampUnit = (value: number) => Math.max(-1, Math.min(1, value));

const LEFT_EYE = [36, 37, 38, 39, 40, 41];
const RIGHT_EYE = [42, 43, 44, 45, 46, 47];

/** Rekognition landmark types as means of iBUG-68 points; "left" is the image's left. */
const LANDMARK_POINTS: ReadonlyArray<readonly [LandmarkType, readonly number[]]> = [
  ['eyeLeft', LEFT_EYE],
  ['eyeRight', RIGHT_EYE],
  ['nose', [30]],
  ['mouthLeft', [48]],
  ['mouthRight', [54]],
  ['leftPupil', LEFT_EYE],
  ['rightPupil', RIGHT_EYE],
  ['leftEyeBrowLeft', [17]],
  ['leftEyeBrowUp', [19]],
  ['leftEyeBrowRight', [21]],
  ['rightEyeBrowLeft', [22]],
  ['rightEyeBrowUp', [24]],
  ['rightEyeBrowRight', [26]],
  ['leftEyeLeft', [36]],
  ['leftEyeRight', [39]],
  ['leftEyeUp', [37, 38]],
  ['leftEyeDown', [40, 41]],
  ['rightEyeLeft', [42]],
  ['rightEyeRight', [45]],
  ['rightEyeUp', [43, 44]],
  ['rightEyeDown', [46, 47]],
  ['noseLeft', [31]],
  ['noseRight', [35]],
  ['mouthUp', [51]],
  ['mouthDown', [57]],
  ['upperJawlineLeft', [0]],
  ['midJawlineLeft', [4]],
  ['chinBottom', [8]],
  ['midJawlineRight', [12]],
  ['upperJawlineRight', [16]],
];
/** The subset CompareFaces returns for each face. */
const COMPARED_FACE_LANDMARKS = 5;

export function toRekognitionLandmarks(
  points: Landmarks68,
  width: number,
  height: number,
  set: 'all' | 'compared' = 'all',
): Landmark[] {
  const types = set === 'all' ? LANDMARK_POINTS : LANDMARK_POINTS.slice(0, COMPARED_FACE_LANDMARKS);
  return types.map(([Type, indices]) => {
    const [x, y] = mean(points, indices);
    return { Type, X: x / width, Y: y / height };
  });
}

/**
 * Head pose in degrees from 2D landmarks (no 3D model): roll from the eye line, yaw from
 * where the nose tip sits between the jaw sides, pitch from where it sits between eyes and
 * mouth. Good to roughly 10-15 degrees, enough to tell frontal from turned faces.
 * Signs: Roll > 0 when the image-right eye is lower, Yaw > 0 when the nose points to the
 * image's right, Pitch > 0 when the face looks up.
 */
export function estimatePose(points: Landmarks68): Pose {
  const leftEye = mean(points, LEFT_EYE);
  const rightEye = mean(points, RIGHT_EYE);
  const roll = Math.atan2(rightEye[1] - leftEye[1], rightEye[0] - leftEye[0]);
  const [cx, cy] = mean(points, [...LEFT_EYE, ...RIGHT_EYE]);
  const cos = Math.cos(-roll);
  const sin = Math.sin(-roll);
  // Undo the roll so that "horizontal" and "vertical" are the face's own axes.
  const level = (index: number): Point => {
    const [x, y] = at(points, index);
    return [cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos];
  };
  const nose = level(30);
  const jawLeft = level(0);
  const jawRight = level(16);
  const mouthY = (level(48)[1] + level(54)[1]) / 2;
  const across = (nose[0] - jawLeft[0]) / (jawRight[0] - jawLeft[0] || 1);
  const down = (nose[1] - cy) / (mouthY - cy || 1);
  return {
    Roll: roll * DEGREES,
    Yaw: Math.asin(clampUnit(2 * across - 1)) * DEGREES,
    Pitch: Math.asin(clampUnit((LEVEL_NOSE_RATIO - down) / LEVEL_NOSE_RATIO)) * DEGREES,
  };
}

function eyeAspectRatio(points: Landmarks68, eye: readonly number[]): number {
  const p = eye.map((index) => at(points, index));
  const [p1, p2, p3, p4, p5, p6] = p as [Point, Point, Point, Point, Point, Point];
  return (distance(p2, p6) + distance(p3, p5)) / (2 * distance(p1, p4) || 1);
}

/** Confidence grows with the distance from the decision threshold, capped at 99. */
export const confidenceFromMargin = (ratio: number, threshold: number) =>
  Math.min(99, 50 + (Math.abs(ratio - threshold) / threshold) * 100);

export function eyesOpen(points: Landmarks68): { Value: boolean; Confidence: number } {
  const ratio = (eyeAspectRatio(points, LEFT_EYE) + eyeAspectRatio(points, RIGHT_EYE)) / 2;
  return {
    Value: ratio > CLOSED_EYE_RATIO,
    Confidence: confidenceFromMargin(ratio, CLOSED_EYE_RATIO),
  };
}

export function mouthOpen(points: Landmarks68): { Value: boolean; Confidence: number } {
  const ratio =
    distance(at(points, 62), at(points, 66)) / (distance(at(points, 60), at(points, 64)) || 1);
  return {
    Value: ratio > OPEN_MOUTH_RATIO,
    Confidence: confidenceFromMargin(ratio, OPEN_MOUTH_RATIO),
  };
}
