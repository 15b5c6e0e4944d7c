/**
 * Face engine quality on a calibration folder given with `--faces <folder>` or KYC_FACES_DIR
 * (layout: local/face-engine/calibration/face-set.ts): same- and different-person Similarity,
 * AUC, detection misses and invented second faces, the age band's figures, and the time per
 * CompareFaces and DetectFaces call on the set's photos. Skips without a folder.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  FACES_DIR_VARIABLE,
  type FaceSet,
  facesFolderFrom,
  loadFaceSet,
} from '../local/face-engine/calibration/face-set.js';
import { analyseSet } from '../local/face-engine/calibration/measure.js';
import { printQuality, qualityFigures } from '../local/face-engine/calibration/report.js';
import { FaceEngine } from '../local/face-engine/index.js';
import { WorkerPool } from '../local/face-engine/worker-pool.js';
import { summary } from './_stats.js';

/** Calls timed one at a time, so each figure is the latency of one call on an idle engine. */
const TIMED_CALLS = 30;

async function timeCalls(set: FaceSet): Promise<void> {
  const engine = await FaceEngine.start();
  try {
    const photos = await Promise.all(set.identities.map(({ file }) => readFile(file)));
    const crops = await Promise.all(set.ages.map(({ file }) => readFile(file)));
    // Spread over the set: photo i against photo i+1 (mostly the same person), every 8th.
    const pick = <T>(items: readonly T[], index: number) => items[(index * 8) % items.length] as T;
    const compare: number[] = [];
    const detect: number[] = [];
    const detectCrop: number[] = [];
    for (let index = 0; index < TIMED_CALLS; index++) {
      const source = pick(photos, index);
      const target = photos[((index * 8) % photos.length) + 1] ?? source;
      let start = performance.now();
      await engine.compareFaces(source, target).catch(() => undefined);
      compare.push(performance.now() - start);
      start = performance.now();
      await engine.detectFaces(source, { attributes: 'ALL' });
      detect.push(performance.now() - start);
      start = performance.now();
      await engine.detectFaces(pick(crops, index), { attributes: 'ALL' });
      detectCrop.push(performance.now() - start);
    }
    console.log(`CompareFaces identity photo vs photo: ${summary(compare)}`);
    console.log(`DetectFaces ALL identity photo: ${summary(detect)}`);
    console.log(`DetectFaces ALL age crop: ${summary(detectCrop)}`);
  } finally {
    await engine.close();
  }
}

export default async function run(): Promise<void> {
  const folder = facesFolderFrom(process.argv.slice(2), process.env);
  if (!folder) {
    console.log(
      `skipped: no face set; pass --faces=<folder> or set ${FACES_DIR_VARIABLE} (identities/<person>/*.jpg, ages/<age>_*.jpg)`,
    );
    return;
  }
  const set = await loadFaceSet(folder);
  const pool = await WorkerPool.start();
  try {
    const analysis = await analyseSet(
      set,
      (bytes) => pool.analyze({ kind: 'image', bytes }),
      pool.size,
    );
    printQuality(qualityFigures(analysis));
  } finally {
    await pool.close();
  }
  await timeCalls(set);
}
