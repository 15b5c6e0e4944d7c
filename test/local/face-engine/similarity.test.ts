import { describe, expect, it } from 'vitest';
import {
  descriptorDistance,
  SIMILARITY_MIDPOINT,
  similarityFromDistance,
} from '../../../local/face-engine/similarity.js';

describe('descriptorDistance', () => {
  it.each([
    [[0, 0], [3, 4], 5],
    [[1, 2, 3], [1, 2, 3], 0],
  ])('between %j and %j is %d', (a, b, expected) => {
    expect(descriptorDistance(a, b)).toBeCloseTo(expected, 10);
  });

  it('refuses descriptors of different lengths', () => {
    expect(() => descriptorDistance([1], [1, 2])).toThrow(RangeError);
  });
});

describe('similarityFromDistance', () => {
  it('is 50 at the calibrated midpoint', () => {
    expect(similarityFromDistance(SIMILARITY_MIDPOINT)).toBeCloseTo(50, 10);
  });

  // The curve's anchors (CALIBRATION.md), from the calibration set's different-person
  // distances: the closest pair, 0.392, and the 0.1% quantile, 0.462.
  const CLOSEST_DIFFERENT = 0.392;
  const DIFFERENT_AT_ONE_IN_1000 = 0.462;

  it('scores the 0.1% closest different-person distance at the default match, 80', () => {
    expect(similarityFromDistance(DIFFERENT_AT_ONE_IN_1000)).toBeCloseTo(80, 0);
  });

  it('auto-accepts (95) only below 0.9 of the closest different-person distance', () => {
    expect(similarityFromDistance(0.9 * CLOSEST_DIFFERENT)).toBeCloseTo(95, 0);
    expect(similarityFromDistance(CLOSEST_DIFFERENT)).toBeLessThan(92);
  });

  it.each([
    // Median distances on the calibration set: one photo of a person against another (a
    // match, reviewed below 95), and two different people (far below a match).
    [0.437, 80, 95],
    [0.809, 0, 5],
  ])('maps distance %d into [%d, %d]', (distance, low, high) => {
    const similarity = similarityFromDistance(distance);
    expect(similarity).toBeGreaterThanOrEqual(low);
    expect(similarity).toBeLessThanOrEqual(high);
  });

  it('falls strictly as faces grow apart', () => {
    const scores = [0, 0.3, 0.5, 0.7, 1.2].map((distance) => similarityFromDistance(distance));
    for (let index = 1; index < scores.length; index++) {
      expect(scores[index]).toBeLessThan(scores[index - 1] ?? 0);
    }
  });
});
