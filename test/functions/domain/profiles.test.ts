import { describe, expect, it } from 'vitest';
import {
  documentFieldNames,
  isProfileId,
  type PolicyProfile,
  policyProfiles,
  profileIds,
} from '../../../functions/domain/profiles.js';

const DAY = 86_400;
const defaults = policyProfiles();

describe('policyProfiles (defaults)', () => {
  // biome-ignore format: one table row per line
  const rows: [path: string, pick: (p: PolicyProfile) => unknown, bank: unknown, ageGate: unknown][] = [
    ['id', (p) => p.id, 'bank-onboarding', 'age-gate'],
    ['version', (p) => p.version, '2026-12-02', '2026-11-01'],
    ['idDocument', (p) => p.idDocument, 'REQUIRED', 'OPTIONAL'],
    ['liveness.passThreshold', (p) => p.liveness.passThreshold, 90, 80],
    ['liveness.maxAttempts', (p) => p.liveness.maxAttempts, 3, 3],
    ['liveness.onBudgetExhausted', (p) => p.liveness.onBudgetExhausted, 'REVIEW', 'REJECT'],
    ['faceMatch.similarityThreshold', (p) => p.faceMatch.similarityThreshold, 80, 80],
    ['faceMatch.acceptSimilarity', (p) => p.faceMatch.acceptSimilarity, 95, 90],
    ['faceMatch.qualityFilter', (p) => p.faceMatch.qualityFilter, 'AUTO', 'AUTO'],
    ['document.requiredFields', (p) => [...p.document.requiredFields], [...documentFieldNames], ['DATE_OF_BIRTH']],
    ['document.minFieldConfidence', (p) => p.document.minFieldConfidence, 80, 80],
    ['document.rejectExpired', (p) => p.document.rejectExpired, true, false],
    ['document.maxIdAttempts', (p) => p.document.maxIdAttempts, 3, 2],
    ['age.minimumAge', (p) => p.age.minimumAge, 18, 18],
    ['age.estimateBufferYears', (p) => p.age.estimateBufferYears, 0, 5],
    ['age.dobToleranceYears', (p) => p.age.dobToleranceYears, 10, 8],
    ['review.timeoutSeconds', (p) => p.review.timeoutSeconds, 3 * DAY, 1 * DAY],
    ['review.onTimeout', (p) => p.review.onTimeout, 'REJECTED', 'REJECTED'],
  ];
  it.each(rows)('%s: bank %j, age-gate %j', (_path, pick, bank, ageGate) => {
    expect(pick(defaults['bank-onboarding'])).toEqual(bank);
    expect(pick(defaults['age-gate'])).toEqual(ageGate);
  });

  it('keys the profiles by their id', () => {
    expect(Object.keys(defaults).sort()).toEqual([...profileIds].sort());
    for (const id of profileIds) expect(defaults[id].id).toBe(id);
  });

  it('acceptance is never below the match threshold', () => {
    for (const id of profileIds) {
      const { similarityThreshold, acceptSimilarity } = defaults[id].faceMatch;
      expect(acceptSimilarity).toBeGreaterThanOrEqual(similarityThreshold);
    }
  });

  it('the profile table is frozen', () => {
    expect(Object.isFrozen(defaults)).toBe(true);
  });
});

describe('policyProfiles (settings)', () => {
  // biome-ignore format: one table row per line
  const rows: [minimumAge: number, buffer: number][] = [
    [21, 4],
    [16, 0],
    [18, 5],
  ];
  it.each(rows)('age gate %i + %i; bank unchanged', (minimumAge, buffer) => {
    const p = policyProfiles({ ageGateMinimumAge: minimumAge, ageGateBufferYears: buffer });
    expect(p['age-gate'].age).toEqual({
      minimumAge,
      estimateBufferYears: buffer,
      dobToleranceYears: 8,
    });
    expect(p['bank-onboarding']).toEqual(defaults['bank-onboarding']);
  });
});

describe('isProfileId', () => {
  // biome-ignore format: one table row per line
  const rows: [value: unknown, valid: boolean][] = [
    ['bank-onboarding', true],
    ['age-gate', true],
    ['Bank-Onboarding', false],
    ['bank', false],
    ['', false],
    [undefined, false],
    [null, false],
    [1, false],
    [['age-gate'], false],
  ];
  it.each(rows)('%j -> %s', (value, valid) => {
    expect(isProfileId(value)).toBe(valid);
  });
});
