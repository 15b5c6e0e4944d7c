/**
 * Runs the engine over a face set and computes the quality figures: how the engine's
 * Similarity separates same-person from different-person photo pairs, what it detects on
 * single-face photos, and how its AgeRange brackets the true ages.
 */
import { readFile } from 'node:fs/promises';
import { ageRange } from '../age-range.js';
import type { FaceAnalysis, FrameAnalysis } from '../analyze-frame.js';
import { largestFirst } from '../rekognition-shapes.js';
import { descriptorDistance, faceSimilarity } from '../similarity.js';
import type { AgePhoto, FaceSet, IdentityPhoto } from './face-set.js';
import { auc, mean, share } from './statistics.js';

export type Analyze = (bytes: Uint8Array) => Promise<FrameAnalysis>;

export interface Analysed<Photo> {
  readonly photo: Photo;
  /** Largest first, as CompareFaces and DetectFaces rank them. */
  readonly faces: readonly FaceAnalysis[];
  readonly ms: number;
}

export interface SetAnalysis {
  readonly identities: readonly Analysed<IdentityPhoto>[];
  readonly ages: readonly Analysed<AgePhoto>[];
}

async function analyseAll<Photo extends { file: string }>(
  photos: readonly Photo[],
  analyze: Analyze,
  concurrency: number,
): Promise<Analysed<Photo>[]> {
  const results: Analysed<Photo>[] = new Array(photos.length);
  let next = 0;
  const lane = async () => {
    while (next < photos.length) {
      const index = next++;
      const photo = photos[index] as Photo;
      const bytes = await readFile(photo.file);
      const start = performance.now();
      const { faces } = await analyze(bytes);
      results[index] = { photo, faces: largestFirst(faces), ms: performance.now() - start };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

/** `concurrency` should match the engine's worker count so every worker stays busy. */
export async function analyseSet(
  set: FaceSet,
  analyze: Analyze,
  concurrency: number,
): Promise<SetAnalysis> {
  return {
    identities: await analyseAll(set.identities, analyze, concurrency),
    ages: await analyseAll(set.ages, analyze, concurrency),
  };
}

export interface Pair {
  readonly a: Analysed<IdentityPhoto>;
  readonly b: Analysed<IdentityPhoto>;
  readonly same: boolean;
}

/** Every pair of different photos: same person within an identity, different across. */
export function photoPairs(identities: readonly Analysed<IdentityPhoto>[]): Pair[] {
  const pairs: Pair[] = [];
  for (const [index, a] of identities.entries()) {
    for (const b of identities.slice(index + 1)) {
      pairs.push({ a, b, same: a.photo.person === b.photo.person });
    }
  }
  return pairs;
}

/** Descriptor distance of the two largest faces, undefined when a photo has no face. */
export function pairDistance({ a, b }: Pair): number | undefined {
  const [faceA] = a.faces;
  const [faceB] = b.faces;
  return faceA && faceB ? descriptorDistance(faceA.descriptor, faceB.descriptor) : undefined;
}

/** CompareFaces' Similarity of the two largest faces; 0 when a photo has no face. */
export function pairSimilarity({ a, b }: Pair): number {
  const [faceA] = a.faces;
  const [faceB] = b.faces;
  return faceA && faceB ? faceSimilarity(faceA, faceB) : 0;
}

export interface MatchFigures {
  readonly samePairs: number;
  readonly differentPairs: number;
  readonly pairsWithoutFace: number;
  readonly sameAt80: number;
  readonly sameAt95: number;
  readonly differentAt80: number;
  readonly highestDifferent: number;
  /** The different-person pair with the highest Similarity. */
  readonly closestDifferent: string;
  readonly auc: number;
}

const label = ({ photo }: Analysed<IdentityPhoto>) =>
  `${photo.person}/${photo.file.split('/').pop()}`;

export function matchFigures(pairs: readonly Pair[]): MatchFigures {
  const scored = pairs.map((pair) => ({ pair, similarity: pairSimilarity(pair) }));
  const same = scored.filter(({ pair }) => pair.same).map(({ similarity }) => similarity);
  const different = scored.filter(({ pair }) => !pair.same);
  const closest = different.reduce<(typeof different)[number] | undefined>(
    (best, item) => (best && best.similarity >= item.similarity ? best : item),
    undefined,
  );
  const differentScores = different.map(({ similarity }) => similarity);
  return {
    samePairs: same.length,
    differentPairs: different.length,
    pairsWithoutFace: pairs.filter((pair) => pairDistance(pair) === undefined).length,
    sameAt80: share(same, (value) => value >= 80),
    sameAt95: share(same, (value) => value >= 95),
    differentAt80: differentScores.filter((value) => value >= 80).length,
    highestDifferent: closest?.similarity ?? Number.NaN,
    closestDifferent: closest ? `${label(closest.pair.a)} ~ ${label(closest.pair.b)}` : '',
    auc: auc(same, differentScores),
  };
}

export interface DetectionFigures {
  readonly photos: number;
  /** Photos where no face was found. */
  readonly missed: readonly string[];
  /** Single-face photos where more than one face was reported. */
  readonly secondFaces: readonly string[];
}

export function detectionFigures(analysis: SetAnalysis): DetectionFigures {
  const all = [...analysis.identities, ...analysis.ages];
  const name = ({ photo }: (typeof all)[number]) => photo.file.split('/').slice(-2).join('/');
  return {
    photos: all.length,
    missed: all.filter(({ faces }) => faces.length === 0).map(name),
    secondFaces: all.filter(({ faces }) => faces.length > 1).map(name),
  };
}

export interface AgeFigures {
  readonly crops: number;
  readonly withoutFace: number;
  /** Share of crops whose AgeRange holds the true age (a crop without a face counts as out). */
  readonly inRange: number;
  /** Mean absolute error of the band's midpoint, over crops with a face. */
  readonly midpointMae: number;
  readonly meanWidth: number;
  readonly minorsLow23: number;
  readonly under13Low18: number;
}

export function ageFigures(ages: readonly Analysed<AgePhoto>[]): AgeFigures {
  const banded = ages.flatMap(({ photo, faces }) =>
    faces[0] ? [{ age: photo.age, range: ageRange(faces[0].age) }] : [],
  );
  const inside = banded.filter(({ age, range }) => age >= range.Low && age <= range.High);
  return {
    crops: ages.length,
    withoutFace: ages.length - banded.length,
    inRange: inside.length / ages.length,
    midpointMae: mean(banded.map(({ age, range }) => Math.abs((range.Low + range.High) / 2 - age))),
    meanWidth: mean(banded.map(({ range }) => range.High - range.Low)),
    minorsLow23: banded.filter(({ age, range }) => age < 18 && range.Low >= 23).length,
    under13Low18: banded.filter(({ age, range }) => age < 13 && range.Low >= 18).length,
  };
}
