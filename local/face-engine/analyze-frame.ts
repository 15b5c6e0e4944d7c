import type { Pose } from '@aws-sdk/client-rekognition';
import type { RgbFrame } from './decode-image.js';
import { InvalidParameterError } from './errors.js';
import { estimatePose, eyesOpen as eyesOpenFromLandmarks } from './face-geometry.js';
import {
  clampBox,
  type Detection,
  type Detector,
  type EyesOpenEstimate,
  type FoundFace,
  findFaces,
  MAX_FACES,
  type PassiveLivenessSignal,
  type PixelBox,
} from './find-faces.js';
import { type FaceApi, type Models, tf } from './tfjs-runtime.js';

export type { EyesOpenEstimate, PassiveLivenessSignal, PixelBox } from './find-faces.js';

/** What the networks say about one face, in pixels of the analysed frame. */
export interface FaceAnalysis {
  /** The face-api crop, a tight brow-to-chin box. */
  readonly box: PixelBox;
  /** Detector score, 0-1. */
  readonly confidence: number;
  /**
   * Which detector found the face: BlazeFace (with mesh) normally, face-api's SSD only when
   * BlazeFace found no confident face in the frame (see CALIBRATION.md, "Detection").
   */
  readonly detector: Detector;
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

/**
 * The mean of the descriptors of the aligned face and of its mirror image: on the
 * calibration set it brings photos of one person closer while different people stay apart
 * (CALIBRATION.md, "Matching").
 */
function meanDescriptor(direct?: Float32Array, flipped?: Float32Array): number[] {
  if (!direct || !flipped) return [];
  return Array.from(direct, (value, index) => (value + (flipped[index] ?? value)) / 2);
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
    const mirrored = (aligned as unknown as tf.Tensor3D[]).map((face) => tf.reverse(face, 1));
    tensors.push(...mirrored);
    const describe = async (faces: readonly tf.Tensor3D[]) =>
      asArray(
        await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
          faces as unknown as FaceApiTensor[],
        ),
      );
    const [direct, flipped] = [
      await describe(aligned as unknown as tf.Tensor3D[]),
      await describe(mirrored),
    ];
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
        descriptor: meanDescriptor(direct[index], flipped[index]),
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

/** A face described on the bordered frame, in pixels of the frame itself. */
function withoutBorder(face: FaceAnalysis, border: number, width: number, height: number) {
  if (border === 0) return face;
  const { left, top } = face.box;
  return {
    ...face,
    box: clampBox({ ...face.box, left: left - border, top: top - border }, width, height),
    landmarks: face.landmarks.map(([x, y]) => [x - border, y - border] as const),
  };
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
  let detection: Detection | undefined;
  try {
    detection = await findFaces(models, input);
    if (detection.faces.length === 0) return { width, height, faces: [] };
    const described = await describeFaces(
      models.faceapi,
      detection.input,
      detection.faces.slice(0, MAX_FACES),
    );
    return {
      width,
      height,
      faces: described.map((face) => withoutBorder(face, detection?.border ?? 0, width, height)),
    };
  } finally {
    if (detection && detection.input !== input) detection.input.dispose();
    input.dispose();
  }
}
