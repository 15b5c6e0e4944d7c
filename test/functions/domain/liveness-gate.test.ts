import { describe, expect, it } from 'vitest';
import {
  bestAttempt,
  evaluateLiveness,
  isLivenessPending,
  type LivenessObservation,
  type LivenessSessionStatus,
  type LivenessVerdict,
  livenessSessionStatuses,
} from '../../../functions/domain/liveness-gate.js';
import type { ProfileId } from '../../../functions/domain/profiles.js';
import { profiles } from './fixtures.js';

const seen = (
  confidence?: number,
  status: LivenessSessionStatus = 'SUCCEEDED',
): LivenessObservation => (confidence === undefined ? { status } : { status, confidence });

describe('evaluateLiveness', () => {
  // bank-onboarding: pass at 90, 3 attempts; age-gate: pass at 80, 3 attempts.
  // biome-ignore format: one table row per line
  const rows: [ProfileId, LivenessObservation, number, LivenessVerdict][] = [
    ['bank-onboarding', seen(90), 1, 'PASS'],
    ['bank-onboarding', seen(100), 1, 'PASS'],
    ['bank-onboarding', seen(89.99), 1, 'RETRY'],
    ['bank-onboarding', seen(89.99), 2, 'RETRY'],
    ['bank-onboarding', seen(89.99), 3, 'EXHAUSTED'],
    ['bank-onboarding', seen(89.99), 4, 'EXHAUSTED'],
    ['bank-onboarding', seen(90), 3, 'PASS'],
    ['bank-onboarding', seen(0), 1, 'RETRY'],
    ['bank-onboarding', seen(undefined), 1, 'RETRY'],
    ['bank-onboarding', seen(undefined), 3, 'EXHAUSTED'],
    ['bank-onboarding', seen(99, 'FAILED'), 1, 'RETRY'],
    ['bank-onboarding', seen(99, 'FAILED'), 3, 'EXHAUSTED'],
    ['bank-onboarding', seen(99, 'EXPIRED'), 2, 'RETRY'],
    ['bank-onboarding', seen(99, 'EXPIRED'), 3, 'EXHAUSTED'],
    ['bank-onboarding', seen(99, 'CREATED'), 1, 'RETRY'],
    ['bank-onboarding', seen(99, 'IN_PROGRESS'), 1, 'RETRY'],
    ['bank-onboarding', seen(99, 'IN_PROGRESS'), 3, 'EXHAUSTED'],
    ['age-gate', seen(80), 1, 'PASS'],
    ['age-gate', seen(79.99), 1, 'RETRY'],
    ['age-gate', seen(79.99), 2, 'RETRY'],
    ['age-gate', seen(79.99), 3, 'EXHAUSTED'],
    ['age-gate', seen(85), 3, 'PASS'],
    ['age-gate', seen(100, 'FAILED'), 1, 'RETRY'],
    ['age-gate', seen(100, 'EXPIRED'), 3, 'EXHAUSTED'],
  ];
  it.each(rows)('%s: %o on attempt %i -> %s', (id, observation, attempt, verdict) => {
    expect(evaluateLiveness(profiles[id], observation, attempt)).toBe(verdict);
  });

  it('follows the budget of the profile it is given', () => {
    const bank = profiles['bank-onboarding'];
    const generous = { ...bank, liveness: { ...bank.liveness, maxAttempts: 5 } };
    expect(evaluateLiveness(generous, seen(10), 3)).toBe('RETRY');
    expect(evaluateLiveness(generous, seen(10), 5)).toBe('EXHAUSTED');
  });
});

describe('isLivenessPending', () => {
  // biome-ignore format: one table row per line
  const rows: [LivenessSessionStatus, boolean][] = [
    ['CREATED', true],
    ['IN_PROGRESS', true],
    ['SUCCEEDED', false],
    ['FAILED', false],
    ['EXPIRED', false],
  ];
  it.each(rows)('%s -> %s', (status, pending) => {
    expect(isLivenessPending(status)).toBe(pending);
  });

  it('the table covers every session status', () => {
    expect(rows.map(([status]) => status)).toEqual([...livenessSessionStatuses]);
  });
});

describe('bestAttempt', () => {
  const key = (n: number) => `cases/c/liveness/s${n}/reference.jpg`;
  it('is the highest confidence among the attempts with a reference image', () => {
    const attempts = [
      { attempt: 1, confidence: 40, referenceImageKey: key(1) },
      { attempt: 2, confidence: 70 },
      { attempt: 3, confidence: 55, referenceImageKey: key(3) },
    ];
    expect(bestAttempt(attempts)?.attempt).toBe(3);
  });

  it('takes the later attempt on a tie, and a missing confidence as 0', () => {
    expect(
      bestAttempt([
        { attempt: 1, confidence: 30, referenceImageKey: key(1) },
        { attempt: 2, confidence: 30, referenceImageKey: key(2) },
        { attempt: 3, referenceImageKey: key(3) },
      ])?.attempt,
    ).toBe(2);
  });

  it('is undefined when no attempt left a reference image', () => {
    expect(bestAttempt([{ attempt: 1, confidence: 10 }])).toBeUndefined();
  });
});
