import { describe, expect, it } from 'vitest';
import {
  type ApplicantStatus,
  applicantView,
  type CaseStatus,
  caseStatuses,
  type NextStep,
  operatorStatusLabel,
  pendingStatusOf,
} from '../../../functions/domain/case.js';
import { decide } from '../../../functions/domain/decision.js';
import { bank, bankCase, caseStatusOf, date, doc, face, YESTERDAY } from './fixtures.js';

describe('applicantView', () => {
  // biome-ignore format: one table row per line
  const rows: [CaseStatus, ApplicantStatus, NextStep][] = [
    ['CREATED', 'IN_PROGRESS', 'COMPLETE_AND_SUBMIT'],
    ['PROCESSING', 'IN_PROGRESS', 'WAIT'],
    ['AWAITING_LIVENESS_RETRY', 'ACTION_REQUIRED', 'RETRY_LIVENESS'],
    ['AWAITING_ID', 'ACTION_REQUIRED', 'RESUBMIT_ID'],
    ['IN_REVIEW', 'UNDER_REVIEW', 'WAIT'],
    ['FAILED', 'UNDER_REVIEW', 'WAIT'], // a failed execution is still in the operators' hands
    ['APPROVED', 'APPROVED', 'NONE'],
    ['REJECTED', 'REJECTED', 'NONE'],
    ['ABANDONED', 'EXPIRED', 'NONE'],
  ];
  it.each(rows)('%s -> %s / %s, and nothing else', (caseStatus, status, nextStep) => {
    const view = applicantView(caseStatus, 'SUCCEEDED');
    const { retryAdvice: _advice, ...rest } = view;
    expect(rest).toStrictEqual({ status, nextStep });
    expect(Object.keys(view).sort()).toEqual(
      nextStep === 'RETRY_LIVENESS'
        ? ['nextStep', 'retryAdvice', 'status']
        : ['nextStep', 'status'],
    );
  });

  // biome-ignore format: one table row per line
  it.each([
    ['SUCCEEDED', 'FACE_AND_LIGHT'], // judged, below the threshold
    ['FAILED', 'COMPLETE_THE_CHECK'], // could not be completed: the stream failed, or too few frames to judge
    ['EXPIRED', 'COMPLETE_THE_CHECK'],
    [undefined, 'FACE_AND_LIGHT'],
  ] as const)('a retry after a session %s advises %s, and says nothing of a score', (last, advice) => {
    expect(applicantView('AWAITING_LIVENESS_RETRY', last)).toStrictEqual({
      status: 'ACTION_REQUIRED',
      nextStep: 'RETRY_LIVENESS',
      retryAdvice: advice,
    });
  });

  it('the table covers every case status', () => {
    expect(rows.map(([status]) => status).sort()).toEqual([...caseStatuses].sort());
  });

  it('never shows the decision behind a status: the same view for any reasons', () => {
    const rejectedByFace = decide(bank, bankCase({ faceMatch: face(12.5) }));
    const rejectedByExpiry = decide(
      bank,
      bankCase({ document: doc({ EXPIRATION_DATE: date(YESTERDAY) }) }),
    );
    expect(rejectedByFace.outcome).toBe('REJECTED');
    expect(rejectedByExpiry.outcome).toBe('REJECTED');
    const a = JSON.stringify(applicantView(caseStatusOf[rejectedByFace.outcome]));
    const b = JSON.stringify(applicantView(caseStatusOf[rejectedByExpiry.outcome]));
    expect(a).toBe(b);
    expect(a).not.toMatch(/FACE|EXPIRED_|12\.5|similarity|bank-onboarding/);
  });
});

describe('pendingStatusOf', () => {
  // biome-ignore format: one table row per line
  const rows = [
    ['LIVENESS_RETRY', 'AWAITING_LIVENESS_RETRY', 'RETRY_LIVENESS'],
    ['ID_RESUBMIT', 'AWAITING_ID', 'RESUBMIT_ID'],
    ['REVIEW', 'IN_REVIEW', 'WAIT'],
  ] as const;
  it.each(rows)('%s -> %s (applicant asked to %s)', (action, status, nextStep) => {
    expect(pendingStatusOf[action]).toBe(status);
    expect(applicantView(pendingStatusOf[action]).nextStep).toBe(nextStep);
  });
});

describe('operatorStatusLabel', () => {
  // biome-ignore format: one table row per line
  it.each([
    ['IN_REVIEW', 'IN_REVIEW (applicant: UNDER_REVIEW)'],
    ['AWAITING_LIVENESS_RETRY', 'AWAITING_LIVENESS_RETRY (applicant: ACTION_REQUIRED)'],
    ['APPROVED', 'APPROVED'],
    ['SOMETHING_NEW', 'SOMETHING_NEW'],
  ])('%s reads "%s"', (status, label) => {
    expect(operatorStatusLabel(status)).toBe(label);
  });
});
