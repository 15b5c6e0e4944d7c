/**
 * Half-width of AgeRange around face-api's age estimate: its mean absolute error measured
 * on labelled public faces is 5.9 years, so +-6 years makes a 12-year band, about as wide as
 * the bands Rekognition itself returns, that contains the true age for most faces.
 */
export const AGE_BAND_HALF_WIDTH = 6;

export interface AgeRange {
  readonly Low: number;
  readonly High: number;
}

/** Rekognition's AgeRange for an estimated age, whole years. */
export function ageRange(estimate: number): AgeRange {
  return {
    Low: Math.max(0, Math.round(estimate - AGE_BAND_HALF_WIDTH)),
    High: Math.round(estimate + AGE_BAND_HALF_WIDTH),
  };
}
