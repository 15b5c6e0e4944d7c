import { describe, expect, it } from 'vitest';
import {
  type ApplicantStatus,
  applicantView,
  type CaseStatus,
  caseStatuses,
  type NextStep,
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
    const view = applicantView(caseStatus);
    expect(view).toStrictEqual({ status, nextStep });
    expect(Object.keys(view).sort()).toEqual(['nextStep', 'status']);
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
