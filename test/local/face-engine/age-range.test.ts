import { describe, expect, it } from 'vitest';
import { AGE_BAND, ageRange, CHILD_GUARDS } from '../../../local/face-engine/age-range.js';

const estimates = (from: number, to: number) =>
  Array.from({ length: Math.round((to - from) * 10) + 1 }, (_, index) => from + index / 10);

describe('ageRange', () => {
  it('brackets the estimate, in whole years, never below 0', () => {
    for (const estimate of estimates(0, 100)) {
      const { Low, High } = ageRange(estimate);
      expect(Number.isInteger(Low) && Number.isInteger(High)).toBe(true);
      expect(Low).toBeGreaterThanOrEqual(0);
      expect(Low).toBeLessThanOrEqual(estimate);
      expect(High).toBeGreaterThanOrEqual(estimate);
    }
  });

  // The age gate admits from the face alone at Low >= 18 + 5: a child estimated as old as the
  // oldest-looking children of the calibration set (29.7 under 13, 34.9 under 18) plus 5
  // years must stay below it.
  it('keeps Low under 18 for every estimate under 35 and under 23 for every one under 40', () => {
    for (const estimate of estimates(0, 34.9)) expect(ageRange(estimate).Low).toBeLessThan(18);
    for (const estimate of estimates(0, 39.9)) expect(ageRange(estimate).Low).toBeLessThan(23);
  });

  it('leaves adults estimated well past the guards a band of their own', () => {
    const { Low, High } = ageRange(50);
    expect(Low).toBe(Math.floor(50 - AGE_BAND.lowYears - AGE_BAND.lowShare * 50));
    expect(High).toBe(Math.ceil(50 + AGE_BAND.highYears + AGE_BAND.highShare * 50));
    expect(Low).toBeGreaterThan(CHILD_GUARDS.at(-1)?.maxLow ?? 0);
  });

  it('widens with the estimate', () => {
    const width = (estimate: number) => ageRange(estimate).High - ageRange(estimate).Low;
    expect(width(70)).toBeGreaterThan(width(45));
    expect(width(45)).toBeGreaterThan(width(8));
  });
});
