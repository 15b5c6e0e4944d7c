import type { RgbFrame } from './decode-image.js';
import { InvalidParameterError } from './errors.js';
import { type FaceApi, tf } from './tfjs-runtime.js';

export interface PixelBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** What the networks say about one face, in pixels of the analysed frame. */
export interface FaceAnalysis {
  readonly box: PixelBox;
  /** Detector score, 0-1. */
  readonly confidence: number;
  /** The 68 iBUG points, [x, y] in pixels. */
  readonly landmarks: ReadonlyArray<readonly [number, number]>;
  /** face-api's 128-d dlib ResNet embedding of the aligned face. */
  readonly descriptor: readonly number[];
  readonly age: number;
  /** Mean luma of the face box, 0-100. */
  readonly brightness: number;
  /** Laplacian variance of the face box at a fixed size, mapped to 0-100. */
  readonly sharpness: number;
}

export interface FrameAnalysis {
  readonly width: number;
  readonly height: number;
  readonly faces: FaceAnalysis[];
}

/** face-api's default; with it the detector finds exactly the faces of the six sample photos. */
const MIN_DETECTION_CONFIDENCE = 0.5;
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

/**
 * Detects every face of a decoded frame and describes each one. Used for still images
 * (DetectFaces, CompareFaces) and, frame by frame, for liveness videos.
 */
export async function analyzeFrame(faceapi: FaceApi, frame: RgbFrame): Promise<FrameAnalysis> {
  const { width, height } = frame;
  if (frame.data.length !== width * height * 3) {
    throw new InvalidParameterError('Frame data must hold width x height RGB pixels.');
  }
  // face-api declares its own copy of the tfjs types; the runtime objects are tfjs-core's.
  type FaceApiTensor = Parameters<FaceApi['extractFaceTensors']>[0];
  const input = tf.tensor3d(frame.data, [height, width, 3], 'int32');
  const faceInput = input as unknown as FaceApiTensor;
  const tensors: tf.Tensor[] = [input];
  try {
    const detections = await faceapi.nets.ssdMobilenetv1.locateFaces(
      faceInput,
      new faceapi.SsdMobilenetv1Options({
        minConfidence: MIN_DETECTION_CONFIDENCE,
        maxResults: MAX_FACES,
      }),
    );
    if (detections.length === 0) return { width, height, faces: [] };
    const crops = await faceapi.extractFaceTensors(faceInput, detections);
    tensors.push(...(crops as unknown as tf.Tensor[]));
    const landmarks = asArray(await faceapi.nets.faceLandmark68Net.detectLandmarks(crops)).map(
      (points, index) => {
        const box = detections[index]?.box;
        return points.shiftBy(box?.x ?? 0, box?.y ?? 0);
      },
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
    const faces = detections.map((detection, index): FaceAnalysis => {
      const { x, y, width: boxWidth, height: boxHeight } = detection.box;
      const crop = crops[index] as unknown as tf.Tensor3D;
      return {
        box: { left: x, top: y, width: boxWidth, height: boxHeight },
        confidence: detection.score,
        landmarks: (landmarks[index]?.positions ?? []).map((point) => [point.x, point.y] as const),
        descriptor: Array.from(descriptors[index] ?? []),
        age: ages[index]?.age ?? Number.NaN,
        ...measureQuality(crop),
      };
    });
    return { width, height, faces };
  } finally {
    tf.dispose(tensors);
  }
}
