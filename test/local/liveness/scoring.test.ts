import { describe, expect, it } from 'vitest';
import type { FaceAnalysis } from '../../../local/face-engine/index.js';
import type { OvalParameters } from '../../../local/liveness/challenge.js';
import { CONFIDENCE_WEIGHTS, decide } from '../../../local/liveness/confidence.js';
import {
  checkFaces,
  type FaceCheckResult,
  type FaceObservation,
} from '../../../local/liveness/face-checks.js';
import type { LightCheckResult } from '../../../local/liveness/light-check.js';

const OVAL: OvalParameters = { Width: 270, Height: 437, CenterX: 320, CenterY: 240 };

function face(
  width: number,
  options: { x?: number; descriptor?: number[]; antispoof?: number } = {},
): FaceAnalysis {
  const height = width * 1.3;
  return {
    box: { left: (options.x ?? 320) - width / 2, top: 240 - height / 2, width, height },
    confidence: 0.99,
    detector: 'blazeface',
    landmarks: [],
    descriptor: options.descriptor ?? Array.from({ length: 128 }, (_, index) => (index % 7) / 20),
    age: 30,
    brightness: 50,
    sharpness: 80,
    pose: { Yaw: 0, Pitch: 0, Roll: 0 },
    eyesOpen: { Value: true, Confidence: 95 },
    ...(options.antispoof === undefined
      ? {}
      : { passiveLiveness: { antispoof: options.antispoof, liveness: 0.5 } }),
  };
}

/** Ten analysed frames over 5 s: the face grows from `from` to `to` pixels wide. */
function recording(
  from: number,
  to: number,
  extra: (index: number) => FaceAnalysis[] = () => [],
): FaceObservation[] {
  return Array.from({ length: 10 }, (_, index) => ({
    timeMs: index * 500,
    faces: [face(from + ((to - from) * Math.min(index, 3)) / 3), ...extra(index)],
  }));
}

describe('checkFaces', () => {
  it('passes one face that grows into the oval', () => {
    const result = checkFaces(recording(120, 215), OVAL);
    expect(result.reasons).toEqual([]);
    expect(result.presenceScore).toBe(1);
    expect(result.approachScore).toBe(1);
    expect(result.fitScore).toBeGreaterThan(0.9);
    // The first two frames against the last two: 215 / mean(120, 151.7).
    expect(result.approachRatio).toBeCloseTo(215 / ((120 + 120 + 95 / 3) / 2), 2);
  });

  it.each<[string, FaceObservation[], RegExp]>([
    ['a face that never comes closer', recording(215, 215), /^movement: face grew 1.00x/],
    [
      'a face that ends off-centre',
      recording(120, 215).map((o, i) => (i < 8 ? o : { ...o, faces: [face(215, { x: 470 })] })),
      /^movement: face not in the oval/,
    ],
    [
      'a face too small for the oval at the end',
      recording(60, 100),
      /^movement: face not in the oval/,
    ],
    [
      'no face on half the frames',
      recording(120, 215).map((o, i) => (i % 2 ? o : { ...o, faces: [] })),
      /^face: on 50% of analysed frames/,
    ],
    [
      'a second face of similar size',
      recording(120, 215, () => [face(150, { x: 560 })]),
      /^face: more than one face on 100%/,
    ],
    [
      'another person at the end',
      recording(120, 215).map((o, i) =>
        i < 9
          ? o
          : {
              ...o,
              faces: [
                face(215, {
                  descriptor: Array.from({ length: 128 }, (_, k) => ((k * 5) % 11) / 10),
                }),
              ],
            },
      ),
      /^face: changed person/,
    ],
  ])('flags %s', (_, observations, reason) => {
    expect(checkFaces(observations, OVAL).reasons).toContainEqual(expect.stringMatching(reason));
  });

  it('ignores a small face in the background', () => {
    expect(
      checkFaces(
        recording(120, 215, () => [face(40, { x: 600 })]),
        OVAL,
      ).reasons,
    ).toEqual([]);
  });

  it('reports the median passive anti-spoof score only when the engine gives one', () => {
    expect(checkFaces(recording(120, 215), OVAL).passiveScore).toBeUndefined();
    const observations = recording(120, 215).map((o, i) => ({
      ...o,
      faces: [face(o.faces[0]?.box.width ?? 0, { antispoof: i / 10 })],
    }));
    expect(checkFaces(observations, OVAL).passiveScore).toBeCloseTo(0.45);
  });
});

const light = (passed: boolean, score: number): LightCheckResult => ({
  passed,
  score,
  correlation: 0.9,
  lagMs: 100,
  response: 8,
  rightDirection: 1,
  tooThin: false,
  reasons: passed ? [] : ['light: correlation 0.20 below 0.8'],
});
const faces = (reasons: string[] = [], passiveScore?: number): FaceCheckResult => ({
  presenceScore: 1,
  approachScore: 1,
  fitScore: 1,
  approachRatio: 1.8,
  reasons,
  ...(passiveScore === undefined ? {} : { passiveScore }),
});

describe('decide', () => {
  it('gives 100 when every signal is perfect', () => {
    expect(decide(light(true, 1), faces([], 1))).toEqual({ confidence: 100, reasons: [] });
  });

  it('weights the signals as documented', () => {
    const expected =
      100 * (CONFIDENCE_WEIGHTS.light * 0.5 + 0.15 + 0.15 + 0.1 + CONFIDENCE_WEIGHTS.passive * 0);
    expect(decide(light(true, 0.5), faces([], 0)).confidence).toBeCloseTo(expected, 1);
  });

  it('scales the weights back to 1 without a passive score', () => {
    const expected = (100 * (CONFIDENCE_WEIGHTS.light * 0.5 + 0.4)) / 0.95;
    expect(decide(light(true, 0.5), faces()).confidence).toBeCloseTo(expected, 1);
  });

  it.each([
    [1, 45],
    [2, 30],
    [3, 15],
    [4, 0],
  ])('caps Confidence with %i failed rule(s) at %i', (failures, cap) => {
    const reasons = Array.from({ length: failures }, (_, index) => `movement: rule ${index}`);
    const decision = decide(light(true, 1), faces(reasons, 1));
    expect(decision.confidence).toBe(cap);
    expect(decision.reasons).toEqual(reasons);
  });

  it('keeps the light failure among the reasons', () => {
    expect(decide(light(false, 0), faces()).reasons).toEqual(['light: correlation 0.20 below 0.8']);
  });
});
