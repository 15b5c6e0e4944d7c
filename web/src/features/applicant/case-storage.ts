import { newClientToken } from '../../lib/client-token.ts';
import type { CaseCredentials, ProfileId } from './applicant-api.ts';

/**
 * The applicant's case lives in sessionStorage: a reload resumes it, closing the tab forgets
 * the secret (nothing outlives the tab on a shared computer).
 */
export type JourneyStage = 'id' | 'liveness' | 'status';

export interface StoredCase extends CaseCredentials {
  readonly profile: ProfileId;
  readonly stage: JourneyStage;
  /** The session to stream to; replaced, never reused, after a failed or finished attempt. */
  readonly livenessSessionId?: string;
  /** When the app got that session (epoch ms, this device's clock): sessions expire. */
  readonly livenessSessionAt?: number;
  /** Set when the ID step asked for a new photo, so that uploading it submits the case. */
  readonly resubmittingId?: boolean;
}

const caseKey = 'kyc.applicant.case';
const tokenKey = (purpose: string) => `kyc.applicant.token.${purpose}`;

export function loadCase(): StoredCase | null {
  const raw = sessionStorage.getItem(caseKey);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredCase>;
    if (typeof parsed.caseId === 'string' && typeof parsed.caseSecret === 'string') {
      return parsed as StoredCase;
    }
  } catch {
    // A corrupt entry is treated as no case: the applicant starts again.
  }
  sessionStorage.removeItem(caseKey);
  return null;
}

export function saveCase(stored: StoredCase): void {
  sessionStorage.setItem(caseKey, JSON.stringify(stored));
}

export function forgetCase(): void {
  sessionStorage.removeItem(caseKey);
}

/**
 * The idempotency token of one attempt (creating the case, asking for a session): kept until
 * the attempt succeeds, so a StrictMode double effect or a reload mid-request sends the same
 * token and the API answers with the same case or session.
 */
export function attemptToken(purpose: 'create-case' | 'liveness-session'): string {
  const existing = sessionStorage.getItem(tokenKey(purpose));
  if (existing) return existing;
  const token = newClientToken();
  sessionStorage.setItem(tokenKey(purpose), token);
  return token;
}

export function finishAttempt(purpose: 'create-case' | 'liveness-session'): void {
  sessionStorage.removeItem(tokenKey(purpose));
}

/** Rekognition expires a session 3 minutes after its creation, started or not. */
export const SESSION_LIFETIME_MS = 3 * 60 * 1000;
/**
 * A session with less than this left is not handed to the detector: the start screen and the
 * check need time, and a session made before a long ID step would expire under the applicant.
 */
const MIN_SESSION_LEFT_MS = 2 * 60 * 1000;

/** The stored session if it has time enough left, else undefined (a new one is asked for). */
export function usableSession(stored: StoredCase, now = Date.now()): string | undefined {
  const at = stored.livenessSessionAt;
  if (at !== undefined && now - at > SESSION_LIFETIME_MS - MIN_SESSION_LEFT_MS) return undefined;
  return stored.livenessSessionId;
}
