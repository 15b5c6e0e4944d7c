import { describe, expect, it } from 'vitest';
import { createLightChallenge } from '../../../local/liveness/index.js';
import { seededRandom } from './fixtures/seeded-random.js';

const colourKey = (challenge: ReturnType<typeof createLightChallenge>) =>
  challenge.ColorSequences.map((step) => step.FreshnessColor.RGB.join(',')).join(' ');

describe('createLightChallenge', () => {
  it('gives every ChallengeConfig field the component needs a non-zero value', () => {
    const { ChallengeConfig } = createLightChallenge({ width: 640, height: 480 });
    for (const field of [
      'FaceDistanceThreshold',
      'FaceDistanceThresholdMin',
      'FaceDistanceThresholdMax',
      'OvalHeightWidthRatio',
      'OvalIouThreshold',
      'OvalIouWidthThreshold',
      'OvalIouHeightThreshold',
      'FaceIouWidthThreshold',
      'FaceIouHeightThreshold',
      'BlazeFaceDetectionThreshold',
      'OvalFitTimeout',
    ]) {
      expect(ChallengeConfig[field], field).toBeGreaterThan(0);
    }
    expect(ChallengeConfig.FaceDistanceThreshold).toBe(0.32);
    expect(ChallengeConfig.OvalFitTimeout).toBe(7000);
  });

  it('flashes a 75 ms black, then each of seven colours once for 475 ms', () => {
    const { ColorSequences, LightChallengeType } = createLightChallenge({
      width: 640,
      height: 480,
    });
    expect(LightChallengeType).toBe('SEQUENTIAL');
    expect(ColorSequences[0]).toEqual({
      FreshnessColor: { RGB: [0, 0, 0] },
      DownscrollDuration: 0,
      FlatDisplayDuration: 75,
    });
    const colours = ColorSequences.slice(1);
    expect(colours).toHaveLength(7);
    expect(new Set(colours.map((step) => step.FreshnessColor.RGB.join(','))).size).toBe(7);
    for (const step of colours) {
      expect(step).toMatchObject({ DownscrollDuration: 475, FlatDisplayDuration: 0 });
      // Every channel is either off or full: each colour swings some channel fully.
      expect(step.FreshnessColor.RGB.every((value) => value === 0 || value === 255)).toBe(true);
    }
  });

  it('draws a different sequence and oval per session', () => {
    const challenges = Array.from({ length: 20 }, () =>
      createLightChallenge({ width: 640, height: 480 }),
    );
    expect(new Set(challenges.map(colourKey)).size).toBeGreaterThan(15);
    expect(
      new Set(challenges.map((challenge) => JSON.stringify(challenge.OvalParameters))).size,
    ).toBeGreaterThan(15);
  });

  it('is reproducible from a seeded random source', () => {
    const video = { width: 640, height: 480 };
    expect(createLightChallenge(video, seededRandom(5))).toEqual(
      createLightChallenge(video, seededRandom(5)),
    );
  });

  it.each([
    [640, 480],
    [1280, 720],
    [480, 640],
    [320, 240],
  ])('keeps the oval (ratio 1.618) inside a %ix%i frame', (width, height) => {
    for (let seed = 1; seed < 50; seed++) {
      const oval = createLightChallenge({ width, height }, seededRandom(seed)).OvalParameters;
      expect(oval.Height / oval.Width).toBeCloseTo(1.618, 1);
      expect(oval.CenterX - oval.Width / 2).toBeGreaterThanOrEqual(0);
      expect(oval.CenterX + oval.Width / 2).toBeLessThanOrEqual(width);
      expect(oval.CenterY - oval.Height / 2).toBeGreaterThanOrEqual(-1);
      expect(oval.CenterY + oval.Height / 2).toBeLessThanOrEqual(height + 1);
      expect(oval.Width).toBeGreaterThan(width * 0.25);
    }
  });
});
