/**
 * Maps the Euclidean distance between two face-api descriptors to Rekognition's 0-100
 * Similarity with a logistic curve fitted on the real photo pairs of the calibration set:
 * 80 where 0.1% of different-person pairs are as close (0.462), 95 at 0.9 of the closest
 * different-person distance (0.392), so that 80 keeps its meaning of "a match" (reviewed by
 * the bank profile) and 95 that of "auto-accept" for people the fit never saw. Data, method
 * and figures: CALIBRATION.md (`npm run calibrate -- --faces <folder>` reproduces them).
 */
export const SIMILARITY_MIDPOINT = 0.5587;
export const SIMILARITY_SLOPE = 14.32;

export function descriptorDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError('descriptors differ in length');
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    const delta = (a[index] ?? 0) - (b[index] ?? 0);
    sum += delta * delta;
  }
  return Math.sqrt(sum);
}

export function similarityFromDistance(
  distance: number,
  midpoint = SIMILARITY_MIDPOINT,
  slope = SIMILARITY_SLOPE,
): number {
  return 100 / (1 + Math.exp(slope * (distance - midpoint)));
}

/** CompareFaces' Similarity between two analysed faces. */
export function faceSimilarity(
  a: { readonly descriptor: readonly number[] },
  b: { readonly descriptor: readonly number[] },
): number {
  return similarityFromDistance(descriptorDistance(a.descriptor, b.descriptor));
}
