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

  it.each([
    // Typical distances from CALIBRATION.md: same face re-captured, different people.
    [0.2, 99, 100],
    [0.35, 90, 100],
    [0.68, 0, 12],
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
