import type { Pose } from '@aws-sdk/client-rekognition';
import { eyesOpenFromMesh, faceBoxFromMesh, poseFromMeshAngles } from './mesh-geometry.js';
import { type FaceApi, type Models, tf } from './tfjs-runtime.js';

export interface PixelBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface EyesOpenEstimate {
  readonly Value: boolean;
  /** 50-99, growing with the distance from the open/closed threshold. */
  readonly Confidence: number;
}

/**
 * Human's presentation-attack scores for one face, 0-1 (higher reads as more real or live).
 * A passive signal for whoever watches the case, never a decision: on labelled print and
 * screen spoofs these scores did not separate attacks from genuine faces.
 */
export interface PassiveLivenessSignal {
  /** Human's antispoof model: 1 = looks like a real face, 0 = like a print or a screen. */
  readonly antispoof: number;
  /** Human's liveness model score. */
  readonly liveness: number;
}

export type Detector = 'blazeface' | 'ssd';

/** A face as a detector found it, before face-api describes it. */
export interface FoundFace {
  readonly box: PixelBox;
  readonly confidence: number;
  readonly detector: Detector;
  readonly pose?: Pose;
  readonly eyesOpen?: EyesOpenEstimate;
  readonly passiveLiveness?: PassiveLivenessSignal;
}

/** The faces of a frame, in pixels of `input`: the frame itself or the frame with a border. */
export interface Detection {
  readonly faces: FoundFace[];
  readonly input: tf.Tensor3D;
  /** Width of the border added on every side of the frame; 0 when none was. */
  readonly border: number;
}

/** face-api's default; with it SSD finds exactly the faces of the six sample photos. */
const MIN_SSD_CONFIDENCE = 0.5;
/** Rekognition's DetectFaces and CompareFaces never look at more faces than this. */
export const MAX_FACES = 100;
/**
 * BlazeFace score from which a detection counts as a face on its own. Below it a detection
 * is reported only when nothing better is found, and then alone: on the calibration set
 * every invented second face scored under it (CALIBRATION.md, "Detection").
 */
export const MIN_FACE_CONFIDENCE = 0.5;
/**
 * Border added on every side, as a share of the frame's longer side, when no face reaches
 * MIN_FACE_CONFIDENCE: detectors are trained on faces with a margin around the head and
 * miss faces cropped at the brow or chin (CALIBRATION.md, "Detection").
 */
export const FALLBACK_BORDER = 0.25;

export function clampBox(box: PixelBox, width: number, height: number): PixelBox {
  const left = Math.max(0, box.left);
  const top = Math.max(0, box.top);
  return {
    left,
    top,
    width: Math.min(width, box.left + box.width) - left,
    height: Math.min(height, box.top + box.height) - top,
  };
}

/** BlazeFace boxes, checked and described by the mesh; mesh-less detections are dropped. */
async function findWithHuman(models: Models, input: tf.Tensor3D): Promise<FoundFace[]> {
  const [height, width] = input.shape;
  const result = await models.human.detect(input);
  // Human reports its failures in the result instead of throwing; without this check a
  // broken model would read as "no face" and fall through to SSD.
  if (result.error) throw new Error(`Human failed: ${result.error}`);
  return result.face
    .filter((face) => face.mesh.length >= 468 && face.rotation)
    .map((face) => ({
      box: clampBox(faceBoxFromMesh(face.mesh), width, height),
      confidence: face.boxScore,
      detector: 'blazeface' as const,
      pose: poseFromMeshAngles(face.rotation?.angle ?? { roll: 0, yaw: 0, pitch: 0 }),
      eyesOpen: eyesOpenFromMesh(face.mesh),
      passiveLiveness: { antispoof: face.real ?? Number.NaN, liveness: face.live ?? Number.NaN },
    }))
    .filter(({ box }) => box.width > 1 && box.height > 1);
}

async function findWithSsd(faceapi: FaceApi, input: tf.Tensor3D): Promise<FoundFace[]> {
  const detections = await faceapi.nets.ssdMobilenetv1.locateFaces(
    input as unknown as Parameters<FaceApi['nets']['ssdMobilenetv1']['locateFaces']>[0],
    new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_SSD_CONFIDENCE, maxResults: MAX_FACES }),
  );
  return detections.map(({ box, score }) => ({
    box: { left: box.x, top: box.y, width: box.width, height: box.height },
    confidence: score,
    detector: 'ssd' as const,
  }));
}

/**
 * Share of a face's box that a more confident face may cover before the weaker one counts as
 * a second look at the same face: on tight crops BlazeFace can report one face twice.
 */
export const MAX_OVERLAP = 0.3;

function overlap(a: PixelBox, b: PixelBox): number {
  const width = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const height = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return Math.max(0, width) * Math.max(0, height);
}

/** Faces at or above MIN_FACE_CONFIDENCE, each one not mostly inside a stronger one. */
function confident(faces: readonly FoundFace[]): FoundFace[] {
  const kept: FoundFace[] = [];
  for (const face of [...faces].sort((a, b) => b.confidence - a.confidence)) {
    if (face.confidence < MIN_FACE_CONFIDENCE) break;
    const area = face.box.width * face.box.height;
    if (kept.every((other) => overlap(face.box, other.box) <= MAX_OVERLAP * area)) kept.push(face);
  }
  return kept;
}

const mostConfident = (faces: readonly FoundFace[]) =>
  [...faces].sort((a, b) => b.confidence - a.confidence).slice(0, 1);

/**
 * BlazeFace on the frame; when it finds no confident face, BlazeFace on the frame with a
 * black border, then face-api's SSD; when still nothing is confident, the single most
 * confident weak detection. The caller disposes `input` when it differs from `frame`.
 */
export async function findFaces(models: Models, frame: tf.Tensor3D): Promise<Detection> {
  const plain = await findWithHuman(models, frame);
  const faces = confident(plain);
  if (faces.length > 0) return { faces, input: frame, border: 0 };
  const border = Math.round(FALLBACK_BORDER * Math.max(frame.shape[0], frame.shape[1]));
  const bordered = tf.pad(frame, [
    [border, border],
    [border, border],
    [0, 0],
  ]) as tf.Tensor3D;
  let keepBordered = false;
  try {
    const padded = confident(await findWithHuman(models, bordered));
    keepBordered = padded.length > 0;
    if (keepBordered) return { faces: padded, input: bordered, border };
    const ssd = await findWithSsd(models.faceapi, frame);
    return { faces: ssd.length > 0 ? ssd : mostConfident(plain), input: frame, border: 0 };
  } finally {
    if (!keepBordered) bordered.dispose();
  }
}
