/**
 * `npm run calibrate -- --faces <folder>` (or KYC_FACES_DIR=<folder>): runs the engine's
 * worker pool, as the local stack does, over a face set laid out as described in
 * calibration/face-set.ts, prints the descriptor distances of every same-person and
 * different-person photo pair, the quality figures of the engine as it is, and the
 * distance -> Similarity curve fitted on the pairs (with leave-identities-out figures).
 * Nothing is written: the numbers go to CALIBRATION.md and similarity.ts by hand.
 */

import type { AgePhoto } from './calibration/face-set.js';
import { FACES_DIR_VARIABLE, facesFolderFrom, loadFaceSet } from './calibration/face-set.js';
import { type BandFigures, currentBandFigures, fitAgeBand } from './calibration/fit-age-band.js';
import {
  type Curve,
  crossValidate,
  fitCurve,
  type LabelledDistance,
} from './calibration/fit-curve.js';
import {
  type Analysed,
  type Analyze,
  analyseSet,
  type Pair,
  pairDistance,
  photoPairs,
} from './calibration/measure.js';
import { printQuality, qualityFigures } from './calibration/report.js';
import { quantile, share } from './calibration/statistics.js';
import { SIMILARITY_MIDPOINT, SIMILARITY_SLOPE, similarityFromDistance } from './similarity.js';
import { WorkerPool } from './worker-pool.js';

/** Leave-identities-out folds: 5 groups of 8 people, and one person at a time. */
const FOLDS = [5, 40];

function describe(label: string, values: readonly number[]): void {
  const figures = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1].map((q) =>
    quantile(values, q).toFixed(3),
  );
  console.log(
    `${label.padEnd(22)} n=${values.length} min/p1/p5/p25/p50/p75/p95/p99/max ${figures.join(' ')}`,
  );
}

const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

function printFigures(label: string, scored: readonly { same: boolean; similarity: number }[]) {
  const same = scored.filter((pair) => pair.same).map((pair) => pair.similarity);
  const different = scored.filter((pair) => !pair.same).map((pair) => pair.similarity);
  console.log(
    `${label}: same-person >= 80 ${percent(share(same, (v) => v >= 80))}, >= 95 ${percent(share(same, (v) => v >= 95))} (n=${same.length}); different-person >= 80: ${different.filter((v) => v >= 80).length}, highest ${Math.max(...different).toFixed(1)} (n=${different.length})`,
  );
}

/** The curve fitted on all pairs, and how curves fitted without some people score them. */
function printFit(pairs: readonly Pair[]): void {
  const labelled: LabelledDistance[] = pairs.flatMap((pair) => {
    const distance = pairDistance(pair);
    if (distance === undefined) return [];
    return [
      { distance, same: pair.same, people: [pair.a.photo.person, pair.b.photo.person] as const },
    ];
  });
  const fitted = fitCurve(labelled);
  console.log(
    `fitted curve: MIDPOINT ${fitted.midpoint.toFixed(4)}, SLOPE ${fitted.slope.toFixed(2)}; in use: MIDPOINT ${SIMILARITY_MIDPOINT}, SLOPE ${SIMILARITY_SLOPE}`,
  );
  const score = (curve: Curve) => (distance: number) =>
    similarityFromDistance(distance, curve.midpoint, curve.slope);
  printFigures(
    'fitted curve on all pairs',
    labelled.map((pair) => ({ same: pair.same, similarity: score(fitted)(pair.distance) })),
  );
  for (const folds of FOLDS) {
    const held = crossValidate(labelled, folds, (distance, curve) => score(curve)(distance));
    printFigures(
      `leave-identities-out, ${folds} folds`,
      held.map(({ pair, similarity }) => ({ same: pair.same, similarity })),
    );
  }
}

/** Share of the age crops the fitted band must bracket: the goal of 90% plus a margin. */
const AGE_COVERAGE = 0.92;

function printAgeFit(ages: readonly Analysed<AgePhoto>[]): void {
  const samples = ages.flatMap(({ photo, faces }) =>
    faces[0] ? [{ age: photo.age, estimate: faces[0].age }] : [],
  );
  const show = (label: string, figures: BandFigures) =>
    console.log(
      `${label}: ${JSON.stringify(figures.band)} brackets ${percent(figures.coverage)}, midpoint MAE ${figures.midpointMae.toFixed(2)}, mean width ${figures.meanWidth.toFixed(1)}, children admitted ${figures.childrenAdmitted}`,
    );
  show('age band in use', currentBandFigures(samples));
  show(`age band fitted (>= ${percent(AGE_COVERAGE)})`, fitAgeBand(samples, AGE_COVERAGE));
}

async function main(): Promise<void> {
  const folder = facesFolderFrom(process.argv.slice(2), process.env);
  if (!folder) {
    console.error(
      `usage: npm run calibrate -- --faces <folder> (or ${FACES_DIR_VARIABLE}=<folder>): a folder with identities/<person>/*.jpg and ages/<age>_*.jpg`,
    );
    process.exitCode = 2;
    return;
  }
  const set = await loadFaceSet(folder);
  console.log(
    `${set.identities.length} identity photos of ${new Set(set.identities.map((p) => p.person)).size} people, ${set.ages.length} age crops`,
  );
  const pool = await WorkerPool.start();
  try {
    const analyze: Analyze = (bytes) => pool.analyze({ kind: 'image', bytes });
    const analysis = await analyseSet(set, analyze, pool.size);
    const pairs = photoPairs(analysis.identities);
    const distances = (same: boolean) =>
      pairs.filter((pair) => pair.same === same).flatMap((pair) => pairDistance(pair) ?? []);
    describe('distance same person', distances(true));
    describe('distance different', distances(false));
    printQuality(qualityFigures(analysis));
    printFit(pairs);
    printAgeFit(analysis.ages);
  } finally {
    await pool.close();
  }
}

await main();
