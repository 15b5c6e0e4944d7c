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

  // The curve's anchors (CALIBRATION.md): 80 and 95 at 0.95 and 0.85 of the closest
  // different-person distance of the calibration set, 0.392.
  const CLOSEST_DIFFERENT = 0.392;

  it.each([
    [0.95, 80],
    [0.85, 95],
  ])('scores %d of the closest different-person distance at %d', (share, similarity) => {
    expect(similarityFromDistance(share * CLOSEST_DIFFERENT)).toBeCloseTo(similarity, 0);
  });

  it('keeps the closest different people of the calibration set below the default match', () => {
    expect(similarityFromDistance(CLOSEST_DIFFERENT)).toBeLessThan(70);
  });

  it.each([
    // Median distances on the calibration set: one photo of a person against another, and
    // two different people.
    [0.437, 10, 40],
    [0.809, 0, 0.01],
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
