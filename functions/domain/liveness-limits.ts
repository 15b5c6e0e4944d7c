import type { LivenessObservation } from './liveness-gate.js';
import type { PolicyProfile } from './profiles.js';

/**
 * Rate limit on failed liveness attempts, after AWS's guidance for Face Liveness: at most
 * `failureLimit` failures per device and per case within `windowSeconds`, then a cool-down.
 * Times are epoch seconds; the caller reads the clock.
 */
export interface LivenessLimitPolicy {
  readonly failureLimit: number;
  readonly windowSeconds: number;
  readonly coolDownSeconds: number;
}

export const defaultLivenessLimitPolicy: LivenessLimitPolicy = Object.freeze({
  failureLimit: 5,
  windowSeconds: 180,
  coolDownSeconds: 1800,
});

export interface LivenessFailure {
  readonly sessionId: string;
  /** When the failure was learned (epoch seconds). */
  readonly at: number;
}

/** What is kept per device and per case. */
export interface LivenessLimitState {
  readonly failures: readonly LivenessFailure[];
  /** End of the latest cool-down (epoch seconds), current or past. */
  readonly coolDownUntil?: number;
}

export const emptyLimitState: LivenessLimitState = Object.freeze({ failures: [] });

export interface FailureOutcome {
  readonly state: LivenessLimitState;
  /** False when this session's failure was already counted (a retried step, a race). */
  readonly counted: boolean;
  readonly coolDownStarted: boolean;
}

export interface LimitStatus {
  readonly failuresInWindow: number;
  /** End of the cool-down in force, or null. */
  readonly coolDownUntil: number | null;
  /** Seconds until a new attempt is allowed; 0 when allowed now. */
  readonly retryAfterSeconds: number;
}

const coolingDown = (state: LivenessLimitState, now: number) =>
  state.coolDownUntil !== undefined && state.coolDownUntil > now;

/**
 * Counts one failed session, once. The failure that brings the failures since the last
 * cool-down within the window to the limit starts a cool-down; failures during a cool-down are
 * kept for the record but never extend it, and none of them counts after it.
 */
export function recordFailure(
  policy: LivenessLimitPolicy,
  state: LivenessLimitState,
  sessionId: string,
  now: number,
): FailureOutcome {
  if (state.failures.some((failure) => failure.sessionId === sessionId)) {
    return { state, counted: false, coolDownStarted: false };
  }
  const horizon = now - policy.windowSeconds;
  const failures = [
    ...state.failures.filter((failure) => failure.at > horizon),
    { sessionId, at: now },
  ].slice(-2 * policy.failureLimit);
  if (coolingDown(state, now)) {
    return { state: { ...state, failures }, counted: true, coolDownStarted: false };
  }
  const since = state.coolDownUntil ?? Number.NEGATIVE_INFINITY;
  const countable = failures.filter((failure) => failure.at >= since).length;
  if (countable < policy.failureLimit) {
    return { state: { ...state, failures }, counted: true, coolDownStarted: false };
  }
  return {
    state: { failures, coolDownUntil: now + policy.coolDownSeconds },
    counted: true,
    coolDownStarted: true,
  };
}

export function limitStatus(
  policy: LivenessLimitPolicy,
  state: LivenessLimitState,
  now: number,
): LimitStatus {
  const horizon = now - policy.windowSeconds;
  const active = coolingDown(state, now);
  return {
    failuresInWindow: state.failures.filter((failure) => failure.at > horizon).length,
    coolDownUntil: active ? (state.coolDownUntil ?? null) : null,
    retryAfterSeconds: active ? (state.coolDownUntil ?? now) - now : 0,
  };
}

/** The longest wait among several limits (a case and a device): both must allow an attempt. */
export function longestWait(statuses: readonly LimitStatus[]): number {
  return Math.max(0, ...statuses.map((status) => status.retryAfterSeconds));
}

/** When the stored state stops mattering, for the table's TTL (epoch seconds). */
export function stateExpiry(
  policy: LivenessLimitPolicy,
  state: LivenessLimitState,
  now: number,
): number {
  const lastFailure = Math.max(now, ...state.failures.map((failure) => failure.at));
  return Math.max(lastFailure + policy.windowSeconds, state.coolDownUntil ?? 0) + 60;
}

/**
 * Whether a session's outcome is a failed attempt. `submitted`: the applicant handed the
 * session in, so it was started; an unsubmitted session that expired may never have been
 * started (Rekognition reports both as EXPIRED) and is not held against anyone, while one still
 * in progress when a new session is asked for was started and given up.
 */
export function isFailedAttempt(
  profile: PolicyProfile,
  observation: LivenessObservation,
  submitted: boolean,
): boolean {
  switch (observation.status) {
    case 'SUCCEEDED':
      return (observation.confidence ?? 0) < profile.liveness.passThreshold;
    case 'FAILED':
      return true;
    case 'EXPIRED':
      return submitted;
    case 'IN_PROGRESS':
      return !submitted;
    case 'CREATED':
      return false;
  }
}

/** Whether an unsubmitted session's outcome can no longer change. */
export function isSettled(observation: LivenessObservation): boolean {
  return observation.status !== 'CREATED';
}
