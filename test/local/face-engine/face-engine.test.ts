import type { BoundingBox, FaceDetail } from '@aws-sdk/client-rekognition';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../../local/face-engine/decode-image.js';
import { FaceEngine } from '../../../local/face-engine/index.js';
import { cropAroundFace, flatImage, SAMPLE_FACE_COUNTS, samplePhoto } from './sample-images.js';

let engine: FaceEngine;
let group: Buffer;
let faces: FaceDetail[];

beforeAll(async () => {
  engine = await FaceEngine.start({ size: 2 });
  group = await samplePhoto(1);
  faces = (await engine.detectFaces(group)).FaceDetails ?? [];
});

afterAll(async () => {
  await engine?.close();
});

const centre = (box: BoundingBox = {}) => [
  (box.Left ?? 0) + (box.Width ?? 0) / 2,
  (box.Top ?? 0) + (box.Height ?? 0) / 2,
];
const faceBox = (index: number) => faces[index]?.BoundingBox ?? {};
const faceCrop = (index: number, margin = 0.6) => cropAroundFace(group, faceBox(index), margin);

describe('detectFaces', () => {
  it.concurrent.each(Object.entries(SAMPLE_FACE_COUNTS))(
    'finds one box per face on sample%s.jpg (%i faces)',
    async (sample, count) => {
      const { FaceDetails = [] } = await engine.detectFaces(await samplePhoto(Number(sample)));
      expect(FaceDetails).toHaveLength(count);
      for (const face of FaceDetails) {
        const { Left = -1, Top = -1, Width = 0, Height = 0 } = face.BoundingBox ?? {};
        expect(Left).toBeGreaterThanOrEqual(0);
        expect(Top).toBeGreaterThanOrEqual(0);
        expect(Left + Width).toBeLessThanOrEqual(1);
        expect(Top + Height).toBeLessThanOrEqual(1);
        // Faces in these group photos are 7-15% of the photo wide.
        expect(Width).toBeGreaterThan(0.04);
        expect(Width).toBeLessThan(0.25);
        expect(face.Confidence).toBeGreaterThan(50);
        // The box is drawn from the mesh's extent; on a face turned 35 degrees or more the
        // nose tip sits at its very edge, so allow it a tenth of the box width outside.
        const nose = face.Landmarks?.find((landmark) => landmark.Type === 'nose');
        expect(nose?.X).toBeGreaterThan(Left - 0.1 * Width);
        expect(nose?.X).toBeLessThan(Left + 1.1 * Width);
      }
      const centres = FaceDetails.map((face) => centre(face.BoundingBox));
      for (const [index, [x = 0, y = 0]] of centres.entries()) {
        for (const [otherX = 0, otherY = 0] of centres.slice(index + 1)) {
          expect(Math.hypot(x - otherX, y - otherY)).toBeGreaterThan(0.05);
        }
      }
    },
  );

  it('adds AgeRange, EyesOpen and MouthOpen only when asked for ALL attributes', async () => {
    const photo = await samplePhoto(3);
    const [basic] = (await engine.detectFaces(photo)).FaceDetails ?? [];
    expect(basic?.AgeRange).toBeUndefined();
    const { FaceDetails = [] } = await engine.detectFaces(photo, { attributes: 'ALL' });
    expect(FaceDetails).toHaveLength(3);
    for (const face of FaceDetails) {
      const { Low = Number.NaN, High = Number.NaN } = face.AgeRange ?? {};
      // The band widens with the estimate (age-range.ts): 12 to 40 years for adults.
      expect(High - Low).toBeGreaterThanOrEqual(12);
      expect(High - Low).toBeLessThanOrEqual(40);
      // Adults in their twenties or thirties: the band must reach into that range.
      expect(Low).toBeLessThanOrEqual(40);
      expect(High).toBeGreaterThanOrEqual(20);
      expect(face.EyesOpen?.Value).toBe(true);
    }
  });

  it.each([
    ['blur lowers Sharpness', (image: Sharp) => image.blur(2), 'Sharpness', 20],
    ['darkening lowers Brightness', (image: Sharp) => image.linear(0.5, 0), 'Brightness', 10],
  ] as const)('measures quality from the pixels: %s', async (_label, degrade, measure, drop) => {
    const crop = await (await faceCrop(0)).png().toBuffer();
    const worse = await degrade(sharp(crop)).png().toBuffer();
    const [original, degraded] = await Promise.all(
      [crop, worse].map(async (bytes) => (await engine.detectFaces(bytes)).FaceDetails?.[0]),
    );
    const before = original?.Quality?.[measure] ?? Number.NaN;
    expect(degraded?.Quality?.[measure]).toBeLessThan(before - drop);
  });
});

describe('pose from the mesh', () => {
  /** The face of sample1.jpg turned furthest left or right, cut out with a face of margin. */
  async function turnedFace(): Promise<Buffer> {
    const index = faces.reduce(
      (best, face, candidate) =>
        Math.abs(face.Pose?.Yaw ?? 0) > Math.abs(faces[best]?.Pose?.Yaw ?? 0) ? candidate : best,
      0,
    );
    return (await faceCrop(index, 1)).png().toBuffer();
  }
  const poseOf = async (bytes: Buffer) => {
    const { FaceDetails = [] } = await engine.detectFaces(bytes);
    expect(FaceDetails).toHaveLength(1);
    return FaceDetails[0]?.Pose ?? {};
  };

  it('flips the sign of Yaw and Roll in the mirror image', async () => {
    const crop = await turnedFace();
    const [pose, mirrored] = await Promise.all([
      poseOf(crop),
      poseOf(await sharp(crop).flop().png().toBuffer()),
    ]);
    expect(Math.abs(pose.Yaw ?? 0)).toBeGreaterThan(8);
    expect(Math.sign(mirrored.Yaw ?? 0)).toBe(-Math.sign(pose.Yaw ?? 0));
    expect(Math.abs((mirrored.Yaw ?? 0) + (pose.Yaw ?? 0))).toBeLessThan(6);
    expect(Math.abs((mirrored.Roll ?? 0) + (pose.Roll ?? 0))).toBeLessThan(4);
    expect(Math.abs((mirrored.Pitch ?? 0) - (pose.Pitch ?? 0))).toBeLessThan(6);
  });

  it('adds an in-plane rotation of the image to Roll', async () => {
    const crop = await turnedFace();
    const [pose, rotated] = await Promise.all([
      poseOf(crop),
      // sharp turns clockwise: the image-right eye goes down, which is positive Roll.
      poseOf(await sharp(crop).rotate(15).png().toBuffer()),
    ]);
    expect((rotated.Roll ?? 0) - (pose.Roll ?? 0)).toBeGreaterThan(10);
    expect((rotated.Roll ?? 0) - (pose.Roll ?? 0)).toBeLessThan(20);
  });
});

describe('analyzeFrame', () => {
  it('gives every face a passive liveness signal, a mesh pose and the detector that found it', async () => {
    const frame = await decodeImage(await samplePhoto(3));
    const { faces: analysed } = await engine.analyzeFrame(frame);
    expect(analysed).toHaveLength(3);
    for (const face of analysed) {
      expect(face.detector).toBe('blazeface');
      const { antispoof = Number.NaN, liveness = Number.NaN } = face.passiveLiveness ?? {};
      for (const score of [antispoof, liveness]) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
      expect(Math.abs(face.pose.Yaw ?? 99)).toBeLessThan(45);
      expect(face.descriptor).toHaveLength(128);
    }
  });

  it('keeps the passive signal out of the Rekognition responses', async () => {
    const { FaceDetails = [] } = await engine.detectFaces(await samplePhoto(3), {
      attributes: 'ALL',
    });
    for (const face of FaceDetails) {
      expect(Object.keys(face)).not.toContain('passiveLiveness');
      expect(JSON.stringify(face)).not.toMatch(/antispoof|liveness/i);
    }
  });
});

describe('compareFaces', () => {
  it.concurrent.each([
    [
      'a wider crop at half size',
      async () => (await faceCrop(0, 1.2)).resize({ width: 200 }).jpeg(),
    ],
    ['a brighter crop', async () => (await faceCrop(0, 1)).modulate({ brightness: 1.3 }).jpeg()],
    ['a JPEG at quality 30', async () => (await faceCrop(0, 0.8)).jpeg({ quality: 30 })],
    ['a crop tilted by 8 degrees', async () => (await faceCrop(0, 1)).rotate(8).jpeg()],
  ])('matches a face with %s of itself', async (_label, makeTarget) => {
    const source = await (await faceCrop(0, 0.5)).jpeg().toBuffer();
    const target = await (await makeTarget()).toBuffer();
    const result = await engine.compareFaces(source, target);
    expect(result.FaceMatches).toHaveLength(1);
    expect(result.FaceMatches?.[0]?.Similarity).toBeGreaterThanOrEqual(90);
    expect(result.UnmatchedFaces).toHaveLength(0);
  });

  it('finds the source face among the faces of the group photo', async () => {
    const source = await (await faceCrop(2)).png().toBuffer();
    const result = await engine.compareFaces(source, group);
    expect(result.FaceMatches).toHaveLength(1);
    expect(result.UnmatchedFaces).toHaveLength(2);
    const [x = 0, y = 0] = centre(result.FaceMatches?.[0]?.Face?.BoundingBox);
    const [expectedX = 0, expectedY = 0] = centre(faceBox(2));
    expect(Math.hypot(x - expectedX, y - expectedY)).toBeLessThan(0.02);
    expect(result.SourceImageFace?.Confidence).toBeGreaterThan(50);
  });

  it.each([
    ['someone else in the same photo', async () => (await faceCrop(1)).png().toBuffer()],
    [
      'someone in another photo',
      async () => {
        const other = await samplePhoto(6);
        const [face] = (await engine.detectFaces(other)).FaceDetails ?? [];
        return (await cropAroundFace(other, face?.BoundingBox ?? {}, 0.6)).png().toBuffer();
      },
    ],
  ])('does not match %s', async (_label, makeTarget) => {
    const source = await (await faceCrop(0)).png().toBuffer();
    const target = await makeTarget();
    const result = await engine.compareFaces(source, target);
    expect(result.FaceMatches).toHaveLength(0);
    expect(result.UnmatchedFaces).toHaveLength(1);
    // Well below the default match of 80 (these two women of sample1 sit in the closest 1%
    // of different-person distances of the calibration set, CALIBRATION.md).
    const scored = await engine.compareFaces(source, target, { similarityThreshold: 0 });
    expect(scored.FaceMatches?.[0]?.Similarity).toBeLessThan(70);
  });

  it('drops faces below the requested quality bar', async () => {
    // A crop with one face width of margin is 3 faces wide: 180 px make a 60 px face, still
    // found, but below the HIGH bar's 80 px.
    const source = await (await faceCrop(0)).png().toBuffer();
    const small = await (await faceCrop(0, 1)).resize({ width: 180 }).png().toBuffer();
    const loose = await engine.compareFaces(source, small);
    expect(loose.FaceMatches).toHaveLength(1);
    await expect(
      engine.compareFaces(source, small, { qualityFilter: 'HIGH' }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it.each([
    ['source', true],
    ['target', false],
  ])('refuses a %s image without a face', async (_label, sourceIsBlank) => {
    const blank = await flatImage(320, 240);
    const face = await (await faceCrop(0)).png().toBuffer();
    const [source, target] = sourceIsBlank ? [blank, face] : [face, blank];
    await expect(engine.compareFaces(source, target)).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('refuses a target over 5 MB with ImageTooLargeException', async () => {
    const oversized = Buffer.concat([group, Buffer.alloc(5 * 1024 * 1024)]);
    await expect(engine.compareFaces(group, oversized)).rejects.toMatchObject({
      name: 'ImageTooLargeException',
    });
  });

  it('refuses a SimilarityThreshold outside 0-100', async () => {
    await expect(
      engine.compareFaces(group, group, { similarityThreshold: 101 }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('robustness', () => {
  it.each([
    [
      'bytes that are no image',
      'InvalidImageFormatException',
      async () => Buffer.from('not a picture'),
    ],
    ['a GIF', 'InvalidImageFormatException', () => sharp(group).resize(64).gif().toBuffer()],
    [
      'a truncated JPEG',
      'InvalidImageFormatException',
      async () => group.subarray(0, group.length / 3),
    ],
    [
      'more than 5 MB',
      'ImageTooLargeException',
      async () => Buffer.concat([group, Buffer.alloc(5 * 1024 * 1024)]),
    ],
    [
      'a decompression bomb PNG',
      'ImageTooLargeException',
      // 25 megapixels of one colour compress to about 70 kB.
      () =>
        sharp({ create: { width: 5000, height: 5000, channels: 3, background: '#000' } })
          .png({ compressionLevel: 9 })
          .toBuffer(),
    ],
  ])('answers %s with %s and keeps serving', async (_label, name, make) => {
    await expect(engine.detectFaces(await make())).rejects.toMatchObject({ name });
    const { FaceDetails = [] } = await engine.detectFaces(
      await (await faceCrop(1)).png().toBuffer(),
    );
    expect(FaceDetails).toHaveLength(1);
  });

  it('completes concurrent calls', async () => {
    const crops = await Promise.all(
      [0, 1, 2].map(async (index) => (await faceCrop(index)).png().toBuffer()),
    );
    const [detections, comparisons] = await Promise.all([
      Promise.all([...crops, ...crops].map((crop) => engine.detectFaces(crop))),
      Promise.all(crops.map((crop) => engine.compareFaces(crops[0] ?? crop, crop))),
    ]);
    expect(detections.map((result) => result.FaceDetails?.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(comparisons.map((result) => result.FaceMatches?.length)).toEqual([1, 0, 0]);
  });
});
