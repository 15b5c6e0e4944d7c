// @vitest-environment jsdom
import '../setup.ts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../fake-api.ts';
import { renderExecutionDetail } from './execution-detail-page.tsx';

const caseId = '0b6f5f8e-1c1d-4a55-9b0a-3c2d1e0f9a87';

function detail(review?: Record<string, string>) {
  return {
    case: {
      caseId,
      profileId: 'bank-onboarding',
      status: review ? 'APPROVED' : 'IN_REVIEW',
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:05:00.000Z',
      pendingAction: review ? null : 'REVIEW',
      idAttempt: 1,
      livenessAttempts: [
        {
          sessionId: 's1',
          attempt: 1,
          status: 'SUCCEEDED',
          confidence: 20,
          at: '2026-11-20T10:01:00.000Z',
        },
      ],
      faceMatch: { similarity: 91.2, facesOnId: 1 },
      ageEstimate: { ageRange: { low: 28, high: 40 } },
      document: {
        idType: 'NATIONAL_ID',
        facts: {
          fields: { LAST_NAME: { text: 'MARTIN', confidence: 96 } },
          mrz: { present: true, consistent: true },
        },
      },
      decision: {
        outcome: 'REVIEW',
        reasons: [
          {
            code: 'FACE_MATCH_BORDERLINE',
            effect: 'REVIEW',
            detail: 'similarity 91.2 in [80, 95)',
          },
        ],
        profileId: 'bank-onboarding',
        profileVersion: '2026-11-01',
        decidedAt: '2026-11-20T10:02:00.000Z',
      },
      ...(review ? { review } : {}),
      audit: [{ at: '2026-11-20T10:00:00.000Z', actor: 'applicant', action: 'CREATED' }],
    },
    execution: {
      executionArn: 'arn:x',
      status: 'RUNNING',
      startDate: '2026-11-20T10:00:01.000Z',
      stopDate: null,
      error: null,
      cause: null,
    },
    timeline: [
      { id: 1, timestamp: '2026-11-20T10:00:01.000Z', type: 'ExecutionStarted' },
      {
        id: 2,
        timestamp: '2026-11-20T10:00:01.100Z',
        type: 'TaskStateEntered',
        state: 'CompareFaces',
      },
      {
        id: 3,
        timestamp: '2026-11-20T10:00:01.200Z',
        type: 'TaskScheduled',
        function: 'kyc-compare-faces',
      },
      {
        id: 4,
        timestamp: '2026-11-20T10:00:01.300Z',
        type: 'TaskFailed',
        error: 'ServiceThrottledError',
        cause: 'Rate exceeded',
      },
      {
        id: 5,
        timestamp: '2026-11-20T10:00:02.300Z',
        type: 'TaskScheduled',
        function: 'kyc-compare-faces',
      },
      { id: 6, timestamp: '2026-11-20T10:00:02.400Z', type: 'TaskSucceeded' },
    ],
    evidence: {
      expiresInSeconds: 60,
      referenceImage: 'https://s3.test/reference.jpg?sig=1',
      auditImages: ['https://s3.test/audit-0.jpg?sig=1'],
      idImage: 'https://s3.test/id.jpg?sig=1',
    },
  };
}

describe('operations: execution detail and review', () => {
  it('shows the timeline with the caught error and the retry, and the evidence side by side', async () => {
    fakeApi({ [`GET /ops/executions/${caseId}`]: () => ({ body: detail() }) });
    renderExecutionDetail(caseId);
    const timeline = (await screen.findByRole('heading', { name: 'Timeline' }))
      .nextElementSibling as HTMLElement;
    const rows = within(timeline)
      .getAllByRole('listitem')
      .map((row) => row.textContent);
    expect(rows.join('\n')).toMatch(
      /TaskFailed: ServiceThrottledError[\s\S]*Rate exceeded[\s\S]*Retry 1 of CompareFaces/,
    );
    for (const name of [
      'Liveness reference image',
      'Liveness audit image 1',
      'ID document photo',
    ]) {
      expect(screen.getByRole('img', { name })).toHaveAttribute(
        'src',
        expect.stringMatching(/^https:\/\/s3\.test\//),
      );
    }
    expect(screen.getByText('Face similarity (0-100)').nextElementSibling).toHaveTextContent(
      '91.2 (1 face(s) on the ID)',
    );
    expect(screen.getByText('28-40')).toBeInTheDocument();
    expect(screen.getByText(/version 2026-11-01/)).toBeInTheDocument();
    expect(screen.getByText(/FACE_MATCH_BORDERLINE/)).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /ID document back/ })).not.toBeInTheDocument();
  });

  it("shows a licence's back page next to its front", async () => {
    const withBack = {
      ...detail(),
      evidence: { ...detail().evidence, idBackImage: 'https://s3.test/id-back.jpg?sig=1' },
    };
    fakeApi({ [`GET /ops/executions/${caseId}`]: () => ({ body: withBack }) });
    renderExecutionDetail(caseId);
    expect(
      await screen.findByRole('img', { name: 'ID document back (barcode side)' }),
    ).toHaveAttribute('src', 'https://s3.test/id-back.jpg?sig=1');
  });

  it('requires an outcome and a reason, then shows the decision recorded with operator and time', async () => {
    let decided = false;
    const api = fakeApi({
      [`GET /ops/executions/${caseId}`]: () => ({
        body: decided
          ? detail({
              outcome: 'APPROVED',
              reason: 'Matched on a video call',
              reviewerId: 'ops-1',
              decidedAt: '2026-11-20T11:00:00.000Z',
            })
          : detail(),
      }),
      [`POST /ops/reviews/${caseId}`]: () => {
        decided = true;
        return {
          body: {
            caseId,
            outcome: 'APPROVED',
            reviewerId: 'ops-1',
            decidedAt: '2026-11-20T11:00:00.000Z',
          },
        };
      },
    });
    const user = userEvent.setup();
    renderExecutionDetail(caseId);
    const record = await screen.findByRole('button', { name: 'Record decision' });

    await user.click(record);
    expect(screen.getByRole('alert')).toHaveTextContent('Choose approve or reject');
    await user.click(screen.getByRole('radio', { name: 'Approve' }));
    await user.type(screen.getByRole('textbox', { name: /Reason/ }), '  ');
    await user.click(record);
    expect(screen.getByRole('alert')).toHaveTextContent('Give a reason');
    expect(api.callsTo('POST', `/ops/reviews/${caseId}`)).toHaveLength(0);

    await user.type(screen.getByRole('textbox', { name: /Reason/ }), 'Matched on a video call');
    await user.click(record);

    const recorded = await screen.findByRole('heading', { name: 'Review decision' });
    expect(recorded.nextElementSibling).toHaveTextContent(
      /APPROVED by ops-1 at .*Matched on a video call/,
    );
    expect(api.callsTo('POST', `/ops/reviews/${caseId}`).map((call) => call.body)).toEqual([
      { outcome: 'APPROVED', reason: 'Matched on a video call' },
    ]);
    expect(screen.queryByRole('button', { name: 'Record decision' })).toBeNull();
  });
});
