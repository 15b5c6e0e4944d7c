import { describe, expect, it } from 'vitest';
import {
  estimatePose,
  eyesOpen,
  mouthOpen,
  toRekognitionLandmarks,
} from '../../../local/face-engine/face-geometry.js';

type Point = [number, number];

/**
 * A level, frontal iBUG-68 face drawn by hand around (0, 0): eye centres at (+-30, 0), nose
 * tip 60% of the way down to the mouth corners at y = 40, jaw sides at x = +-60.
 */
function frontalFace({ eyeOpening = 6, lipGap = 2, noseX = 0 } = {}): Point[] {
  const points: Point[] = Array.from({ length: 68 }, () => [0, 20]);
  const jaw = (index: number): Point => {
    const angle = Math.PI * (index / 16);
    return [-60 * Math.cos(angle), 60 * Math.sin(angle)];
  };
  for (let index = 0; index <= 16; index++) points[index] = jaw(index);
  for (let index = 0; index < 5; index++) {
    points[17 + index] = [-45 + index * 7, -15];
    points[22 + index] = [17 + index * 7, -15];
  }
  const eye = (cx: number): Point[] => [
    [cx - 10, 0],
    [cx - 4, -eyeOpening / 2],
    [cx + 4, -eyeOpening / 2],
    [cx + 10, 0],
    [cx + 4, eyeOpening / 2],
    [cx - 4, eyeOpening / 2],
  ];
  eye(-30).forEach((point, index) => {
    points[36 + index] = point;
  });
  eye(30).forEach((point, index) => {
    points[42 + index] = point;
  });
  points[30] = [noseX, 24];
  points[31] = [-8, 27];
  points[35] = [8, 27];
  points[48] = [-20, 40];
  points[54] = [20, 40];
  points[51] = [0, 36];
  points[57] = [0, 46];
  points[60] = [-17, 40];
  points[64] = [17, 40];
  points[62] = [0, 40 - lipGap / 2];
  points[66] = [0, 40 + lipGap / 2];
  return points;
}

const rotate = (points: Point[], degrees: number): Point[] => {
  const angle = (degrees * Math.PI) / 180;
  return points.map(([x, y]) => [
    x * Math.cos(angle) - y * Math.sin(angle),
    x * Math.sin(angle) + y * Math.cos(angle),
  ]);
};

describe('estimatePose', () => {
  it('reads a level frontal face as roughly 0/0/0', () => {
    const pose = estimatePose(frontalFace());
    expect(Math.abs(pose.Roll ?? 99)).toBeLessThan(1);
    expect(Math.abs(pose.Yaw ?? 99)).toBeLessThan(1);
    expect(Math.abs(pose.Pitch ?? 99)).toBeLessThan(1);
  });

  it.each([-25, -8, 12, 30])('measures an in-plane tilt of %d degrees as roll', (degrees) => {
    const pose = estimatePose(rotate(frontalFace(), degrees));
    expect(pose.Roll).toBeCloseTo(degrees, 5);
    expect(Math.abs(pose.Yaw ?? 99)).toBeLessThan(1);
  });

  it('turns yaw positive when the nose moves to the image right', () => {
    expect(estimatePose(frontalFace({ noseX: 20 })).Yaw).toBeGreaterThan(15);
    expect(estimatePose(frontalFace({ noseX: -20 })).Yaw).toBeLessThan(-15);
  });
});

describe('eyes and mouth', () => {
  it.each([
    [8, true],
    [1, false],
  ])('eye opening %d px reads as open=%s', (eyeOpening, open) => {
    expect(eyesOpen(frontalFace({ eyeOpening })).Value).toBe(open);
  });

  it.each([
    [12, true],
    [1, false],
  ])('lip gap %d px reads as open=%s', (lipGap, open) => {
    expect(mouthOpen(frontalFace({ lipGap })).Value).toBe(open);
  });
});

describe('toRekognitionLandmarks', () => {
  const shifted = frontalFace().map(([x, y]): Point => [x + 100, y + 50]);

  it('gives all 30 Rekognition landmark types as ratios of the image size', () => {
    const landmarks = toRekognitionLandmarks(shifted, 200, 100);
    expect(new Set(landmarks.map((landmark) => landmark.Type)).size).toBe(30);
    const eyeLeft = landmarks.find((landmark) => landmark.Type === 'eyeLeft');
    expect(eyeLeft?.X).toBeCloseTo(70 / 200, 10);
    expect(eyeLeft?.Y).toBeCloseTo(50 / 100, 10);
  });

  it('gives the five CompareFaces landmarks', () => {
    const types = toRekognitionLandmarks(shifted, 200, 100, 'compared').map((l) => l.Type);
    expect(types).toEqual(['eyeLeft', 'eyeRight', 'nose', 'mouthLeft', 'mouthRight']);
  });
});
