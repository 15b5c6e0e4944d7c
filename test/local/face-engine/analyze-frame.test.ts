import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFrame } from '../../../local/face-engine/analyze-frame.js';
import { decodeImage, type RgbFrame } from '../../../local/face-engine/decode-image.js';
import { MIN_FACE_CONFIDENCE } from '../../../local/face-engine/find-faces.js';
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

describe('detection on hard frames', () => {
  /**
   * Each face of sample6.jpg cut to the middle 70% of its brow-to-chin box: the face fills
   * the frame, with no margin around the head, as on a tightly cropped ID portrait.
   */
  async function tightCrops(): Promise<RgbFrame[]> {
    const bytes = await samplePhoto(6);
    const { faces } = await analyzeFrame(models, await decodeImage(bytes));
    expect(faces).toHaveLength(4);
    return Promise.all(
      faces.map(async ({ box }) => {
        const inner = 0.7;
        const region = {
          left: Math.round(box.left + ((1 - inner) / 2) * box.width),
          top: Math.round(box.top + ((1 - inner) / 2) * box.height),
          width: Math.round(inner * box.width),
          height: Math.round(inner * box.height),
        };
        return decodeImage(await sharp(bytes).extract(region).png().toBuffer());
      }),
    );
  }

  it('finds tightly cropped faces by detecting again on a bordered frame', async () => {
    for (const crop of await tightCrops()) {
      const input = tf.tensor3d(crop.data, [crop.height, crop.width, 3], 'int32');
      const plain = await models.human.detect(input);
      input.dispose();
      // BlazeFace alone finds no confident face in such a crop: the border is what finds it.
      expect(plain.face.filter((face) => face.boxScore >= MIN_FACE_CONFIDENCE)).toHaveLength(0);
      const { faces } = await analyzeFrame(models, crop);
      expect(faces).toHaveLength(1);
      const [face] = faces;
      expect(face?.detector).toBe('blazeface');
      expect(face?.confidence).toBeGreaterThanOrEqual(MIN_FACE_CONFIDENCE);
      // Mapped back to the crop: inside it, and covering most of it.
      const { left = -1, top = -1, width = 0, height = 0 } = face?.box ?? {};
      expect(left).toBeGreaterThanOrEqual(0);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(left + width).toBeLessThanOrEqual(crop.width);
      expect(top + height).toBeLessThanOrEqual(crop.height);
      expect(width * height).toBeGreaterThan(0.5 * crop.width * crop.height);
      const [noseX = -1] = face?.landmarks[30] ?? [];
      expect(noseX).toBeGreaterThan(0.1 * crop.width);
      expect(noseX).toBeLessThan(0.9 * crop.width);
    }
  });

  it('reports a weak detection beside a confident face as no face', async () => {
    const real = models.human;
    // Human's own result for the photo, with one face's score lowered below the bar.
    const weakened = {
      detect: async (input: Parameters<Human['detect']>[0]) => {
        const result = await real.detect(input);
        return {
          ...result,
          face: result.face.map((face, index) => (index === 0 ? { ...face, boxScore: 0.3 } : face)),
        };
      },
    } as unknown as Human;
    const { faces } = await analyzeFrame({ ...models, human: weakened }, photo);
    expect(faces).toHaveLength(2);
    for (const face of faces) expect(face.confidence).toBeGreaterThanOrEqual(MIN_FACE_CONFIDENCE);
  });
});
