/**
 * AgeRange around face-api's age estimate. face-api's error grows with age (a 60-year-old
 * is missed by more years than a 6-year-old), so each side of the band is a fixed number of
 * years plus a share of the estimate. Fitted on the calibration set's age crops
 * (CALIBRATION.md, "Age"): the narrowest band of this shape that brackets the true age of at
 * least 92% of the crops with the smallest midpoint error.
 */
export const AGE_BAND: AgeBand = {
  lowYears: 3,
  lowShare: 0.28,
  highYears: 3,
  highShare: 0.26,
} as const;

/**
 * The age gate must never admit a child from the face alone. On the calibration set face-api
 * estimated a 10-year-old at 29.7 and a 17-year-old at 34.9; below these estimates plus
 * 5 years the band's Low is held under 18 and under 23 whatever the band says.
 */
export const CHILD_GUARDS = [
  { estimateBelow: 35, maxLow: 17 },
  { estimateBelow: 40, maxLow: 22 },
] as const;

export interface AgeRange {
  readonly Low: number;
  readonly High: number;
}

export interface AgeBand {
  readonly lowYears: number;
  readonly lowShare: number;
  readonly highYears: number;
  readonly highShare: number;
}

/** The band of one shape around an estimate, child guards applied, whole years. */
export function bandAround(band: AgeBand, estimate: number): AgeRange {
  const guard = CHILD_GUARDS.find(({ estimateBelow }) => estimate < estimateBelow);
  const low = estimate - band.lowYears - band.lowShare * estimate;
  return {
    Low: Math.max(0, Math.floor(Math.min(low, guard?.maxLow ?? Number.POSITIVE_INFINITY))),
    High: Math.ceil(estimate + band.highYears + band.highShare * estimate),
  };
}

/** Rekognition's AgeRange for an estimated age. */
export const ageRange = (estimate: number): AgeRange => bandAround(AGE_BAND, estimate);
