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
