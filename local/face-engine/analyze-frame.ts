import type { Pose } from '@aws-sdk/client-rekognition';
import type { RgbFrame } from './decode-image.js';
import { InvalidParameterError } from './errors.js';
import { estimatePose, eyesOpen as eyesOpenFromLandmarks } from './face-geometry.js';
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

/** What the networks say about one face, in pixels of the analysed frame. */
export interface FaceAnalysis {
  /** The face-api crop, a tight brow-to-chin box. */
  readonly box: PixelBox;
  /** Detector score, 0-1. */
  readonly confidence: number;
  /**
   * Which detector found the face: BlazeFace (with mesh) normally, face-api's SSD only when
   * BlazeFace found no face in the whole frame (see CALIBRATION.md, "Detection").
   */
  readonly detector: 'blazeface' | 'ssd';
  /** The 68 iBUG points, [x, y] in pixels. */
  readonly landmarks: ReadonlyArray<readonly [number, number]>;
  /** face-api's 128-d dlib ResNet embedding of the aligned face. */
  readonly descriptor: readonly number[];
  readonly age: number;
  /** Mean luma of the face box, 0-100. */
  readonly brightness: number;
  /** Laplacian variance of the face box at a fixed size, mapped to 0-100. */
  readonly sharpness: number;
  /** Degrees, Rekognition's signs; from Human's 3D mesh, or the 68 points for SSD faces. */
  readonly pose: Pose;
  readonly eyesOpen: EyesOpenEstimate;
  /** Absent for faces found by the SSD fallback: Human's models never saw them. */
  readonly passiveLiveness?: PassiveLivenessSignal;
}

export interface FrameAnalysis {
  readonly width: number;
  readonly height: number;
  readonly faces: FaceAnalysis[];
}

/** face-api's default; with it SSD finds exactly the faces of the six sample photos. */
const MIN_SSD_CONFIDENCE = 0.5;
/** Rekognition's DetectFaces and CompareFaces never look at more faces than this. */
const MAX_FACES = 100;
/** Faces are measured at one size so that sharpness does not depend on how big they are. */
const QUALITY_SIZE = 112;
/**
 * Laplacian variance at which Sharpness reads 63 (1 - 1/e). The faces of the sample photos
 * measure about 47 (motion-blurred) to 590 (crisp), Sharpness 27 to 98.
 */
const SHARPNESS_SCALE = 150;

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function measureQuality(crop: tf.Tensor3D): { brightness: number; sharpness: number } {
  const [mean, variance] = tf
    .tidy(() => {
      const gray = tf.sum(tf.mul(tf.cast(crop, 'float32'), [0.299, 0.587, 0.114]), -1, true);
      const resized = tf.image.resizeBilinear(gray as tf.Tensor3D, [QUALITY_SIZE, QUALITY_SIZE]);
      const laplacian = tf.conv2d(
        tf.reshape(resized, [1, QUALITY_SIZE, QUALITY_SIZE, 1]) as tf.Tensor4D,
        tf.tensor4d([0, 1, 0, 1, -4, 1, 0, 1, 0], [3, 3, 1, 1]),
        1,
        'valid',
      );
      return [tf.mean(resized), tf.moments(laplacian).variance];
    })
    .map((tensor) => {
      const value = tensor.dataSync()[0] ?? 0;
      tensor.dispose();
      return value;
    }) as [number, number];
  return {
    brightness: (mean / 255) * 100,
    sharpness: 100 * (1 - Math.exp(-variance / SHARPNESS_SCALE)),
  };
}

/** A face as a detector found it, before face-api describes it. */
interface FoundFace {
  readonly box: PixelBox;
  readonly confidence: number;
  readonly detector: FaceAnalysis['detector'];
  readonly pose?: Pose;
  readonly eyesOpen?: EyesOpenEstimate;
  readonly passiveLiveness?: PassiveLivenessSignal;
}

function clampBox(box: PixelBox, width: number, height: number): PixelBox {
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
async function findWithHuman(
  models: Models,
  input: tf.Tensor3D,
  width: number,
  height: number,
): Promise<FoundFace[]> {
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
 * face-api's 68 landmarks on each found box, then its descriptor and age on the
 * landmark-aligned face, on the same tfjs engine Human runs on.
 */
async function describeFaces(
  faceapi: FaceApi,
  input: tf.Tensor3D,
  found: readonly FoundFace[],
): Promise<FaceAnalysis[]> {
  // face-api declares its own copy of the tfjs types; the runtime objects are tfjs-core's.
  type FaceApiTensor = Parameters<FaceApi['extractFaceTensors']>[0];
  const faceInput = input as unknown as FaceApiTensor;
  const rects = found.map(({ box }) => new faceapi.Rect(box.left, box.top, box.width, box.height));
  const tensors: tf.Tensor[] = [];
  try {
    const crops = await faceapi.extractFaceTensors(faceInput, rects);
    tensors.push(...(crops as unknown as tf.Tensor[]));
    const landmarks = asArray(await faceapi.nets.faceLandmark68Net.detectLandmarks(crops)).map(
      (points, index) => points.shiftBy(rects[index]?.x ?? 0, rects[index]?.y ?? 0),
    );
    const aligned = await faceapi.extractFaceTensors(
      faceInput,
      landmarks.map((points) => points.align()),
    );
    tensors.push(...(aligned as unknown as tf.Tensor[]));
    const descriptors = asArray(
      await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(aligned),
    );
    const ages = asArray(await faceapi.nets.ageGenderNet.predictAgeAndGender(aligned));
    return found.map((face, index): FaceAnalysis => {
      const points = (landmarks[index]?.positions ?? []).map(
        (point) => [point.x, point.y] as const,
      );
      return {
        box: face.box,
        confidence: face.confidence,
        detector: face.detector,
        landmarks: points,
        descriptor: Array.from(descriptors[index] ?? []),
        age: ages[index]?.age ?? Number.NaN,
        ...measureQuality(crops[index] as unknown as tf.Tensor3D),
        pose: face.pose ?? estimatePose(points),
        eyesOpen: face.eyesOpen ?? eyesOpenFromLandmarks(points),
        ...(face.passiveLiveness ? { passiveLiveness: face.passiveLiveness } : {}),
      };
    });
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * Detects every face of a decoded frame and describes each one. Used for still images
 * (DetectFaces, CompareFaces) and, frame by frame, for liveness videos.
 */
export async function analyzeFrame(models: Models, frame: RgbFrame): Promise<FrameAnalysis> {
  const { width, height } = frame;
  if (frame.data.length !== width * height * 3) {
    throw new InvalidParameterError('Frame data must hold width x height RGB pixels.');
  }
  const input = tf.tensor3d(frame.data, [height, width, 3], 'int32');
  try {
    let found = await findWithHuman(models, input, width, height);
    if (found.length === 0) found = await findWithSsd(models.faceapi, input);
    if (found.length === 0) return { width, height, faces: [] };
    const faces = await describeFaces(models.faceapi, input, found.slice(0, MAX_FACES));
    return { width, height, faces };
  } finally {
    input.dispose();
  }
}
