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
