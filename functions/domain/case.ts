/** Lifecycle of an onboarding case as stored; the applicant sees a coarser view. */
export const caseStatuses = [
  'CREATED',
  'PROCESSING',
  'AWAITING_LIVENESS_RETRY',
  'AWAITING_ID',
  'IN_REVIEW',
  'APPROVED',
  'REJECTED',
  'ABANDONED',
  'FAILED',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** What a task token held on the case is waiting for. */
export type PendingAction = 'LIVENESS_RETRY' | 'ID_RESUBMIT' | 'REVIEW';

export const pendingStatusOf: Readonly<Record<PendingAction, CaseStatus>> = {
  LIVENESS_RETRY: 'AWAITING_LIVENESS_RETRY',
  ID_RESUBMIT: 'AWAITING_ID',
  REVIEW: 'IN_REVIEW',
};

export type ApplicantStatus =
  | 'IN_PROGRESS'
  | 'ACTION_REQUIRED'
  | 'UNDER_REVIEW'
  | 'APPROVED'
  | 'REJECTED'
  | 'EXPIRED';
export type NextStep = 'COMPLETE_AND_SUBMIT' | 'WAIT' | 'RETRY_LIVENESS' | 'RESUBMIT_ID' | 'NONE';

/**
 * What to do differently on a new face check, from how the last session ended: it could not be
 * completed (the stream failed, or too few frames arrived to judge: keep the page in front
 * and the device free) or it was judged and not passed (face and light). Never a score.
 */
export type RetryAdvice = 'COMPLETE_THE_CHECK' | 'FACE_AND_LIGHT';

export interface ApplicantView {
  readonly status: ApplicantStatus;
  readonly nextStep: NextStep;
  /** With RETRY_LIVENESS only. */
  readonly retryAdvice?: RetryAdvice;
}

export function retryAdviceOf(lastSessionStatus: string | undefined): RetryAdvice {
  return lastSessionStatus === 'FAILED' || lastSessionStatus === 'EXPIRED'
    ? 'COMPLETE_THE_CHECK'
    : 'FACE_AND_LIGHT';
}

/**
 * The only view of a case the applicant gets: no scores, no reasons (they would teach an
 * attacker what to change), only retry advice from the last session's status. A failed
 * execution is still in the operators' hands.
 */
export function applicantView(status: CaseStatus, lastSessionStatus?: string): ApplicantView {
  switch (status) {
    case 'CREATED':
      return { status: 'IN_PROGRESS', nextStep: 'COMPLETE_AND_SUBMIT' };
    case 'PROCESSING':
      return { status: 'IN_PROGRESS', nextStep: 'WAIT' };
    case 'AWAITING_LIVENESS_RETRY':
      return {
        status: 'ACTION_REQUIRED',
        nextStep: 'RETRY_LIVENESS',
        retryAdvice: retryAdviceOf(lastSessionStatus),
      };
    case 'AWAITING_ID':
      return { status: 'ACTION_REQUIRED', nextStep: 'RESUBMIT_ID' };
    case 'IN_REVIEW':
    case 'FAILED':
      return { status: 'UNDER_REVIEW', nextStep: 'WAIT' };
    case 'APPROVED':
      return { status: 'APPROVED', nextStep: 'NONE' };
    case 'REJECTED':
      return { status: 'REJECTED', nextStep: 'NONE' };
    case 'ABANDONED':
      return { status: 'EXPIRED', nextStep: 'NONE' };
  }
}

/**
 * How the operations console names a stored status: with the status the applicant API answers
 * when the two differ (IN_REVIEW is UNDER_REVIEW to the applicant), so that an operator and an
 * applicant on the phone speak of one state.
 */
export function operatorStatusLabel(status: string): string {
  if (!(caseStatuses as readonly string[]).includes(status)) return status;
  const seen = applicantView(status as CaseStatus).status;
  return seen === status ? status : `${status} (applicant: ${seen})`;
}
