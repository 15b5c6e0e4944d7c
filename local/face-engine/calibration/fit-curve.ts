/**
 * Fits the distance -> Similarity curve on labelled photo pairs. The logistic curve is fixed
 * by two anchors, both read off the different-person distances, so that the scale keeps
 * Rekognition's meaning for people the fit never saw:
 * - 80 (Rekognition's default match threshold; the bank profile reviews from 80 and rejects
 *   below it) where 1 different-person pair in 1000 is as close (a false-match rate of 0.1%,
 *   a usual operating point of face verification): a pair at 80-95 goes to a reviewer, so
 *   the rare different person there is seen by a person, and far fewer genuine applicants
 *   are rejected than with 80 below every different-person pair of the set;
 * - 95 (the bank profile's auto-accept) a safety margin below the closest different-person
 *   pair: no different person of the set, nor of a held-out fold, is accepted unseen.
 */

import { quantile } from './statistics.js';

export interface Curve {
  readonly midpoint: number;
  readonly slope: number;
}

export interface LabelledDistance {
  readonly distance: number;
  readonly same: boolean;
  /** The two people of the pair, for folds by identity. */
  readonly people: readonly [string, string];
}

/** Share of different-person pairs at or above 80 on the calibration set. */
export const MATCH_FALSE_MATCH_RATE = 0.001;
/** Share of the closest different-person distance that 95 stays below. */
export const ACCEPT_MARGIN = 0.1;

/** The logistic curve through Similarity 80 at `at80` and 95 at `at95` (at95 < at80). */
export function curveThrough(at80: number, at95: number): Curve {
  if (!(at95 < at80)) throw new RangeError('95 must sit at a smaller distance than 80');
  const slope = Math.log(19 / 4) / (at80 - at95);
  return { midpoint: at80 + Math.log(4) / slope, slope };
}

export function fitCurve(pairs: readonly LabelledDistance[]): Curve {
  const different = pairs.filter((pair) => !pair.same).map((pair) => pair.distance);
  if (different.length === 0) throw new RangeError('no different-person pair to fit on');
  const closest = Math.min(...different);
  return curveThrough(quantile(different, MATCH_FALSE_MATCH_RATE), closest * (1 - ACCEPT_MARGIN));
}

/**
 * Leave-identities-out: people are dealt into `folds` groups in turn. Each pair is scored
 * once, in the fold of the first group one of its people belongs to, by the curve fitted on
 * the pairs of the other people only: neither of its photos, nor any other photo of that
 * person, was seen by the fit.
 */
export function crossValidate(
  pairs: readonly LabelledDistance[],
  folds: number,
  similarity: (distance: number, curve: Curve) => number,
): { pair: LabelledDistance; similarity: number }[] {
  const people = [...new Set(pairs.flatMap((pair) => pair.people))].sort();
  const foldOf = new Map(people.map((person, index) => [person, index % folds]));
  const folded = (pair: LabelledDistance) => pair.people.map((person) => foldOf.get(person) ?? 0);
  const results: { pair: LabelledDistance; similarity: number }[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const training = pairs.filter((pair) => !folded(pair).includes(fold));
    const curve = fitCurve(training);
    for (const pair of pairs.filter((candidate) => Math.min(...folded(candidate)) === fold)) {
      results.push({ pair, similarity: similarity(pair.distance, curve) });
    }
  }
  return results;
}
