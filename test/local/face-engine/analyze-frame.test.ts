import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFrame } from '../../../local/face-engine/analyze-frame.js';
import { decodeImage, type RgbFrame } from '../../../local/face-engine/decode-image.js';
import {
  type Human,
  loadModels,
  type Models,
  tf,
} from '../../../local/face-engine/tfjs-runtime.js';
import { samplePhoto } from './sample-images.js';

// The engine's own pipeline on this thread (no worker pool), to reach paths and counters
// the Rekognition-shaped API hides.
let models: Models;
let photo: RgbFrame;

beforeAll(async () => {
  models = await loadModels();
  photo = await decodeImage(await samplePhoto(3));
}, 60_000);

describe('analyzeFrame', () => {
  it('describes the faces BlazeFace finds, with mesh pose and the passive signal', async () => {
    const { faces } = await analyzeFrame(models, photo);
    expect(faces).toHaveLength(3);
    for (const face of faces) {
      expect(face.detector).toBe('blazeface');
      expect(face.passiveLiveness).toBeDefined();
      expect(face.landmarks).toHaveLength(68);
    }
  });

  it('falls back to SSD, with the 68-point pose and no passive signal, when BlazeFace finds no face', async () => {
    const blind = { detect: async () => ({ face: [] }) } as unknown as Human;
    const { faces } = await analyzeFrame({ ...models, human: blind }, photo);
    expect(faces).toHaveLength(3);
    for (const face of faces) {
      expect(face.detector).toBe('ssd');
      expect(face.passiveLiveness).toBeUndefined();
      expect(Number.isFinite(face.pose.Yaw)).toBe(true);
      expect(face.descriptor).toHaveLength(128);
    }
  });

  it('leaves no tensors behind', async () => {
    await analyzeFrame(models, photo);
    const before = tf.memory().numTensors;
    await analyzeFrame(models, photo);
    await analyzeFrame(models, { data: new Uint8Array(64 * 48 * 3), width: 64, height: 48 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
