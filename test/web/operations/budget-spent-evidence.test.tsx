// @vitest-environment jsdom
import '../setup.ts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../fake-api.ts';
import { renderExecutionDetail } from './execution-detail-page.tsx';

const caseId = '5d0c2a5e-7d4e-4c3a-8f21-6a1b2c3d4e5f';
const reference = (session: string) => `cases/${caseId}/liveness/${session}/reference.jpg`;

/** A bank case whose liveness budget was spent: the checks ran on attempt 2, the best one. */
function budgetSpent() {
  return {
    case: {
      caseId,
      profileId: 'bank-onboarding',
      status: 'IN_REVIEW',
      createdAt: '2026-12-02T10:00:00.000Z',
      updatedAt: '2026-12-02T10:05:00.000Z',
      pendingAction: 'REVIEW',
      idAttempt: 1,
      referenceImageKey: reference('s2'),
      livenessAttempts: [
        {
          sessionId: 's1',
          attempt: 1,
          status: 'SUCCEEDED',
          verdict: 'RETRY',
          confidence: 0,
          referenceImageKey: reference('s1'),
          at: '2026-12-02T10:01:00.000Z',
        },
        {
          sessionId: 's2',
          attempt: 2,
          status: 'SUCCEEDED',
          verdict: 'RETRY',
          confidence: 44.5,
          referenceImageKey: reference('s2'),
          at: '2026-12-02T10:02:00.000Z',
        },
        {
          sessionId: 's4',
          attempt: 3,
          status: 'FAILED',
          verdict: 'EXHAUSTED',
          at: '2026-12-02T10:04:00.000Z',
        },
      ],
      livenessSessions: {
        a: { sessionId: 's1', createdAt: '2026-12-02T10:00:30.000Z' },
        b: { sessionId: 's2', createdAt: '2026-12-02T10:01:30.000Z' },
        c: { sessionId: 's3', createdAt: '2026-12-02T10:02:30.000Z', settled: 'FAILURE' },
        d: { sessionId: 's4', createdAt: '2026-12-02T10:03:30.000Z' },
      },
      faceMatch: { similarity: 37.2, facesOnId: 1 },
      ageEstimate: { ageRange: { low: 30, high: 42 } },
      document: {
        idType: 'NATIONAL_ID',
        facts: {
          fields: { LAST_NAME: { text: 'MARTIN', confidence: 97 } },
          mrz: { present: true, consistent: true },
        },
      },
      decision: {
        outcome: 'REVIEW',
        reasons: [
          { code: 'LIVENESS_BUDGET_EXHAUSTED', effect: 'REVIEW', detail: '3 attempts below 90' },
          { code: 'FACE_MATCHED', effect: 'PASS', detail: 'similarity 97.00 >= 95' },
        ],
        profileId: 'bank-onboarding',
        profileVersion: '2026-12-02',
        decidedAt: '2026-12-02T10:05:00.000Z',
      },
      audit: [],
    },
    execution: null,
    timeline: [],
    evidence: {
      expiresInSeconds: 60,
      referenceImage: 'https://s3.test/reference.jpg?sig=1',
      auditImages: [],
      idImage: 'https://s3.test/id.jpg?sig=1',
    },
  };
}

describe('operations: the evidence of a case whose liveness budget was spent', () => {
  it('names the attempt compared, says which attempts failed, lists the unsubmitted session', async () => {
    fakeApi({ [`GET /ops/executions/${caseId}`]: () => ({ body: budgetSpent() }) });
    renderExecutionDetail(caseId);
    await screen.findByRole('heading', { name: 'Evidence' });
    expect(
      screen.getByRole('img', {
        name: 'Liveness reference image (attempt #2, compared with the ID)',
      }),
    ).toBeInTheDocument();
    const attempts = within(screen.getByText('Liveness attempts').nextElementSibling as HTMLElement)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(attempts).toEqual([
      '#1 failed, new attempt asked (session SUCCEEDED, confidence 0.0)',
      '#2 failed, new attempt asked (session SUCCEEDED, confidence 44.5): its reference image is the one compared',
      '#3 failed, budget spent (session FAILED)',
      expect.stringMatching(
        /^Not submitted \(session created .*\): the session ended without a passing result/,
      ),
    ]);
    // The similarity of a mismatch is a number the operator can weigh, not "no match".
    expect(screen.getByText('Face similarity (0-100)').nextElementSibling).toHaveTextContent(
      '37.2 (1 face(s) on the ID)',
    );
    expect(screen.getByText('MARTIN')).toBeInTheDocument();
    // The stored status with the name the applicant API gives it.
    expect(screen.getByText('Status').nextElementSibling).toHaveTextContent(
      'IN_REVIEW (applicant: UNDER_REVIEW)',
    );
  });

  it('has one heading per decision: the workflow’s and, in review, the form', async () => {
    fakeApi({ [`GET /ops/executions/${caseId}`]: () => ({ body: budgetSpent() }) });
    renderExecutionDetail(caseId);
    await screen.findByRole('heading', { name: 'Evidence' });
    const headings = screen.getAllByRole('heading').map((heading) => heading.textContent);
    expect(headings.filter((text) => /decision/i.test(text ?? ''))).toEqual(['Workflow decision']);
    expect(screen.getByRole('form', { name: "Reviewer's decision" })).toBeInTheDocument();
  });
});
