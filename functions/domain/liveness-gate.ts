import type { PolicyProfile } from './profiles.js';

export const livenessSessionStatuses = [
  'CREATED',
  'IN_PROGRESS',
  'SUCCEEDED',
  'FAILED',
  'EXPIRED',
] as const;
export type LivenessSessionStatus = (typeof livenessSessionStatuses)[number];

export type LivenessVerdict = 'PASS' | 'RETRY' | 'EXHAUSTED';

export interface LivenessObservation {
  readonly status: LivenessSessionStatus;
  /** 0-100; absent when the session did not succeed. */
  readonly confidence?: number;
}

/** Whether a session is still running and its result must be awaited. */
export function isLivenessPending(status: LivenessSessionStatus): boolean {
  return status === 'CREATED' || status === 'IN_PROGRESS';
}

/**
 * Gate on one liveness attempt: pass at or above the profile's threshold; otherwise ask for
 * another attempt while the per-case budget lasts.
 */
export function evaluateLiveness(
  profile: PolicyProfile,
  observation: LivenessObservation,
  attempt: number,
): LivenessVerdict {
  const confidence = observation.status === 'SUCCEEDED' ? (observation.confidence ?? 0) : 0;
  if (confidence >= profile.liveness.passThreshold) return 'PASS';
  return attempt < profile.liveness.maxAttempts ? 'RETRY' : 'EXHAUSTED';
}

export interface ScoredAttempt {
  readonly attempt: number;
  readonly confidence?: number;
  readonly referenceImageKey?: string;
}

/**
 * The attempt whose reference image the identity checks judge: the highest confidence among
 * the attempts that left a reference image, the later one on a tie. With the budget spent, it
 * is the applicant's best showing that the reviewer sees compared with the ID.
 */
export function bestAttempt<T extends ScoredAttempt>(attempts: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const attempt of attempts) {
    if (!attempt.referenceImageKey) continue;
    if (!best || (attempt.confidence ?? 0) >= (best.confidence ?? 0)) best = attempt;
  }
  return best;
}
