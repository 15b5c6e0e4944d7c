/**
 * `npm run calibrate -- --faces <folder>` (or KYC_FACES_DIR=<folder>): runs the engine's
 * worker pool, as the local stack does, over a face set laid out as described in
 * calibration/face-set.ts, prints the descriptor distances of every same-person and
 * different-person photo pair, the quality figures of the engine as it is, and the
 * distance -> Similarity curve fitted on the pairs (with leave-identities-out figures).
 * Nothing is written: the numbers go to CALIBRATION.md and similarity.ts by hand.
 */
import { FACES_DIR_VARIABLE, facesFolderFrom, loadFaceSet } from './calibration/face-set.js';
import { type Analyze, analyseSet, pairDistance, photoPairs } from './calibration/measure.js';
import { printQuality, qualityFigures } from './calibration/report.js';
import { quantile } from './calibration/statistics.js';
import { WorkerPool } from './worker-pool.js';

function describe(label: string, values: readonly number[]): void {
  const figures = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1].map((q) =>
    quantile(values, q).toFixed(3),
  );
  console.log(
    `${label.padEnd(22)} n=${values.length} min/p1/p5/p25/p50/p75/p95/p99/max ${figures.join(' ')}`,
  );
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
  } finally {
    await pool.close();
  }
}

await main();
