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

export interface ApplicantView {
  readonly status: ApplicantStatus;
  readonly nextStep: NextStep;
}

/**
 * The only view of a case the applicant gets: no scores, no reasons (they would teach an
 * attacker what to change). A failed execution is still in the operators' hands.
 */
export function applicantView(status: CaseStatus): ApplicantView {
  switch (status) {
    case 'CREATED':
      return { status: 'IN_PROGRESS', nextStep: 'COMPLETE_AND_SUBMIT' };
    case 'PROCESSING':
      return { status: 'IN_PROGRESS', nextStep: 'WAIT' };
    case 'AWAITING_LIVENESS_RETRY':
      return { status: 'ACTION_REQUIRED', nextStep: 'RETRY_LIVENESS' };
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
