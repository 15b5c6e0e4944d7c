import { describe, expect, it } from 'vitest';
import type {
  LivenessObservation,
  LivenessSessionStatus,
} from '../../../functions/domain/liveness-gate.js';
import {
  emptyLimitState,
  isFailedAttempt,
  isSettled,
  type LimitStatus,
  type LivenessLimitPolicy,
  type LivenessLimitState,
  limitStatus,
  longestWait,
  recordFailure,
  stateExpiry,
} from '../../../functions/domain/liveness-limits.js';
import { profiles } from './fixtures.js';

const policy: LivenessLimitPolicy = { failureLimit: 5, windowSeconds: 180, coolDownSeconds: 1800 };
const T = 1_000_000;

/** Records failures of sessions s1, s2... at the given times, one after another. */
function afterFailures(times: readonly number[], start: LivenessLimitState = emptyLimitState) {
  let state = start;
  const started: number[] = [];
  times.forEach((at, index) => {
    const outcome = recordFailure(policy, state, `s${index + 1}`, at);
    if (outcome.coolDownStarted) started.push(index + 1);
    state = outcome.state;
  });
  return { state, started };
}

describe('recordFailure: when a cool-down starts', () => {
  // biome-ignore format: one table row per line
  const rows: [string, number[], number[], number | undefined][] = [
    ['four failures: no cool-down', [T, T + 1, T + 2, T + 3], [], undefined],
    ['the fifth failure within 3 minutes starts it', [T, T + 10, T + 20, T + 30, T + 40], [5], T + 40 + 1800],
    ['five failures spread over more than 3 minutes: none', [T, T + 60, T + 120, T + 180, T + 240], [], undefined],
    ['the oldest leaves the window exactly at 180 s', [T, T + 1, T + 2, T + 3, T + 180], [], undefined],
    ['179 s apart still counts', [T, T + 1, T + 2, T + 3, T + 179], [5], T + 179 + 1800],
    ['failures during a cool-down do not extend it', [T, T, T, T, T, T + 5, T + 6, T + 7, T + 8, T + 9], [5], T + 1800],
    ['after the cool-down the count starts afresh', [T, T, T, T, T, T + 1800, T + 1801, T + 1802, T + 1803], [5], T + 1800],
    ['a second cool-down after five new failures', [T, T, T, T, T, T + 1800, T + 1801, T + 1802, T + 1803, T + 1804], [5, 10], T + 1804 + 1800],
  ];
  it.each(rows)('%s', (_name, times, startedAt, coolDownUntil) => {
    const { state, started } = afterFailures(times);
    expect(started).toEqual(startedAt);
    expect(state.coolDownUntil).toBe(coolDownUntil);
  });

  it('counts a session once, however often its failure is learned', () => {
    const first = recordFailure(policy, emptyLimitState, 's1', T);
    const again = recordFailure(policy, first.state, 's1', T + 5);
    expect(first.counted).toBe(true);
    expect(again).toEqual({ state: first.state, counted: false, coolDownStarted: false });
  });

  it('keeps a bounded list: only recent failures', () => {
    const { state } = afterFailures(Array.from({ length: 30 }, (_, index) => T + index));
    expect(state.failures.length).toBeLessThanOrEqual(2 * policy.failureLimit);
    expect(state.failures.at(-1)).toEqual({ sessionId: 's30', at: T + 29 });
  });

  it('follows the configured limit', () => {
    const strict = { ...policy, failureLimit: 1 };
    expect(recordFailure(strict, emptyLimitState, 's1', T)).toMatchObject({
      coolDownStarted: true,
      state: { coolDownUntil: T + 1800 },
    });
  });
});

describe('limitStatus', () => {
  const cooling = afterFailures([T, T, T, T, T]).state;
  // biome-ignore format: one table row per line
  const rows: [string, LivenessLimitState, number, LimitStatus][] = [
    ['nothing recorded', emptyLimitState, T, { failuresInWindow: 0, coolDownUntil: null, retryAfterSeconds: 0 }],
    ['two recent failures', afterFailures([T, T + 1]).state, T + 2, { failuresInWindow: 2, coolDownUntil: null, retryAfterSeconds: 0 }],
    ['failures out of the window', afterFailures([T, T + 1]).state, T + 181, { failuresInWindow: 0, coolDownUntil: null, retryAfterSeconds: 0 }],
    ['in a cool-down', cooling, T + 100, { failuresInWindow: 5, coolDownUntil: T + 1800, retryAfterSeconds: 1700 }],
    ['one second left', cooling, T + 1799, { failuresInWindow: 0, coolDownUntil: T + 1800, retryAfterSeconds: 1 }],
    ['cool-down over', cooling, T + 1800, { failuresInWindow: 0, coolDownUntil: null, retryAfterSeconds: 0 }],
  ];
  it.each(rows)('%s', (_name, state, now, expected) => {
    expect(limitStatus(policy, state, now)).toEqual(expected);
  });

  it('the longest wait of a case and a device applies', () => {
    const status = (retryAfterSeconds: number): LimitStatus => ({
      failuresInWindow: 0,
      coolDownUntil: null,
      retryAfterSeconds,
    });
    expect(longestWait([])).toBe(0);
    expect(longestWait([status(0), status(0)])).toBe(0);
    expect(longestWait([status(0), status(120)])).toBe(120);
    expect(longestWait([status(900), status(120)])).toBe(900);
  });
});

describe('stateExpiry', () => {
  it('outlives the window of the last failure and the cool-down', () => {
    expect(stateExpiry(policy, afterFailures([T, T + 10]).state, T + 10)).toBe(T + 10 + 180 + 60);
    expect(stateExpiry(policy, afterFailures([T, T, T, T, T]).state, T)).toBe(T + 1800 + 60);
  });
});

describe('isFailedAttempt', () => {
  const seen = (status: LivenessSessionStatus, confidence?: number): LivenessObservation =>
    confidence === undefined ? { status } : { status, confidence };
  // bank-onboarding passes at 90.
  // biome-ignore format: one table row per line
  const rows: [LivenessObservation, boolean, boolean, boolean][] = [
    // observation, submitted, failed attempt, settled
    [seen('SUCCEEDED', 90), true, false, true],
    [seen('SUCCEEDED', 89.9), true, true, true],
    [seen('SUCCEEDED', 89.9), false, true, true],
    [seen('SUCCEEDED', 99), false, false, true],
    [seen('SUCCEEDED'), false, true, true],
    [seen('FAILED'), true, true, true],
    [seen('FAILED'), false, true, true],
    [seen('EXPIRED'), true, true, true],
    [seen('EXPIRED'), false, false, true],
    [seen('IN_PROGRESS'), false, true, true],
    [seen('CREATED'), false, false, false],
  ];
  it.each(rows)(
    '%o submitted=%s -> failed %s, settled %s',
    (observation, submitted, failed, settled) => {
      expect(isFailedAttempt(profiles['bank-onboarding'], observation, submitted)).toBe(failed);
      expect(isSettled(observation)).toBe(settled);
    },
  );
});
