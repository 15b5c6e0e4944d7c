import { describe, expect, it } from 'vitest';
import { facesFolderFrom } from '../../../local/face-engine/calibration/face-set.js';
import {
  ACCEPT_MARGIN,
  crossValidate,
  curveThrough,
  fitCurve,
  type LabelledDistance,
  MATCH_FALSE_MATCH_RATE,
} from '../../../local/face-engine/calibration/fit-curve.js';
import { auc, quantile } from '../../../local/face-engine/calibration/statistics.js';
import { similarityFromDistance } from '../../../local/face-engine/similarity.js';

describe('facesFolderFrom', () => {
  it.each([
    [['quality', '--faces', '/a'], {}, '/a'],
    [['--faces=/b'], { KYC_FACES_DIR: '/c' }, '/b'],
    [['quality'], { KYC_FACES_DIR: '/c' }, '/c'],
    [['quality'], { KYC_FACES_DIR: '' }, undefined],
  ])('reads %j with %j as %s', (argv, env, expected) => {
    expect(facesFolderFrom(argv, env)).toBe(expected);
  });
});

describe('statistics', () => {
  it('computes AUC with ties counted half', () => {
    expect(auc([3, 4], [1, 2])).toBe(1);
    expect(auc([1], [2])).toBe(0);
    expect(auc([2], [2])).toBe(0.5);
  });

  it('takes nearest-rank quantiles', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([5, 1, 3, 2, 4], 1)).toBe(5);
  });
});

describe('fitCurve', () => {
  const curveScore = (distance: number, curve: { midpoint: number; slope: number }) =>
    similarityFromDistance(distance, curve.midpoint, curve.slope);

  it('passes through its anchors', () => {
    const curve = curveThrough(0.4, 0.3);
    expect(curveScore(0.4, curve)).toBeCloseTo(80, 8);
    expect(curveScore(0.3, curve)).toBeCloseTo(95, 8);
  });

  it('puts 80 at the false-match quantile and 95 below the closest different-person pair', () => {
    // 2000 different-person pairs: the 0.1% quantile is the second closest.
    const pairs: LabelledDistance[] = [
      { distance: 0.3, same: true, people: ['a', 'a'] },
      ...Array.from({ length: 2000 }, (_, index) => ({
        distance: 0.5 + index / 1000,
        same: false,
        people: ['a', 'b'] as const,
      })),
    ];
    const curve = fitCurve(pairs);
    expect(MATCH_FALSE_MATCH_RATE).toBe(0.001);
    expect(curveScore(0.501, curve)).toBeCloseTo(80, 8);
    expect(curveScore(0.5 * (1 - ACCEPT_MARGIN), curve)).toBeCloseTo(95, 8);
    expect(curveScore(0.5, curve)).toBeLessThan(95);
  });

  it('scores each pair once, with a curve fitted without its people', () => {
    const people = ['a', 'b', 'c', 'd'];
    const pairs: LabelledDistance[] = people.flatMap((x, i) =>
      people.slice(i + 1).map((y, j) => ({
        distance: 0.5 + 0.1 * (i + j),
        same: false,
        people: [x, y] as const,
      })),
    );
    pairs.push({ distance: 0.2, same: true, people: ['a', 'a'] });
    const held = crossValidate(pairs, 2, curveScore);
    expect(held).toHaveLength(pairs.length);
    // a and c share fold 0: its curve is fitted on the b-d pair alone.
    const [aa] = held.filter(({ pair }) => pair.same);
    expect(aa?.similarity).toBeCloseTo(
      curveScore(0.2, fitCurve([pairs[4] as LabelledDistance])),
      8,
    );
  });
});
