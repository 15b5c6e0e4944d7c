// @vitest-environment jsdom
import '../setup.ts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApplicantApp } from '../../../web/src/features/applicant/applicant-app.tsx';
import type { LivenessDetectorProps } from '../../../web/src/features/applicant/liveness-detector.tsx';
import { fakeApi } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

// Stands in for the lazily loaded FaceLivenessDetector: it reports what the real one would.
vi.mock('../../../web/src/features/applicant/liveness-detector.tsx', () => ({
  default: ({ sessionId, onAnalysisComplete, onError }: LivenessDetectorProps) => (
    <div>
      <p>detector for {sessionId}</p>
      <button type="button" onClick={() => onError('CONNECTION_TIMEOUT')}>
        simulate timeout
      </button>
      <button type="button" onClick={() => void onAnalysisComplete()}>
        simulate analysis complete
      </button>
    </div>
  ),
}));

function storeCase(stage: 'liveness' | 'status', livenessSessionId?: string) {
  sessionStorage.setItem(
    'kyc.applicant.case',
    JSON.stringify({
      caseId: 'case-1',
      caseSecret: 'secret-1',
      profile: 'bank-onboarding',
      stage,
      ...(livenessSessionId ? { livenessSessionId } : {}),
    }),
  );
}

function livenessApi() {
  let sessions = 1;
  return fakeApi({
    'POST /cases': () => ({ status: 201, body: {} }),
    'POST /cases/case-1/liveness-sessions': () => {
      sessions += 1;
      return { status: 201, body: { livenessSessionId: `session-${sessions}` } };
    },
    'POST /cases/case-1/submit': () => ({
      status: 202,
      body: { caseId: 'case-1', status: 'IN_PROGRESS', nextStep: 'WAIT' },
    }),
    'GET /cases/case-1': () => ({
      body: { caseId: 'case-1', status: 'IN_PROGRESS', nextStep: 'WAIT' },
    }),
  });
}

describe('applicant: face check', () => {
  it('after a connection timeout, "Try again" asks the backend for a new session', async () => {
    const api = livenessApi();
    const user = userEvent.setup();
    storeCase('liveness', 'session-1');
    renderApp(<ApplicantApp profile="bank-onboarding" />);

    // A reload in the middle of a check may have spent the stored session: a new one is made.
    expect(await screen.findByText('detector for session-2')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'simulate timeout' }));
    expect(screen.getByRole('alert')).toHaveTextContent('The connection timed out');
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('detector for session-3')).toBeInTheDocument();
    const tokens = api
      .callsTo('POST', '/cases/case-1/liveness-sessions')
      .map((call) => (call.body as { clientToken: string }).clientToken);
    // StrictMode's double effects included: one call per attempt, a new token per attempt.
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    expect(api.callsTo('POST', '/cases/case-1/submit')).toHaveLength(0);
  });

  it('submits the session the check ran on, then shows the status page', async () => {
    const api = livenessApi();
    const user = userEvent.setup();
    storeCase('liveness');
    renderApp(<ApplicantApp profile="bank-onboarding" />);

    await screen.findByText('detector for session-2');
    await user.click(screen.getByRole('button', { name: 'simulate analysis complete' }));

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your verification' }),
    ).toHaveFocus();
    expect(api.callsTo('POST', '/cases/case-1/submit').map((call) => call.body)).toEqual([
      { livenessSessionId: 'session-2' },
    ]);
    expect(await screen.findByRole('status')).toHaveTextContent('Checking your details');
  });

  it('a "try again" verdict leads to a fresh session, never the one already submitted', async () => {
    const api = fakeApi({
      'GET /cases/case-1': () => ({
        body: { caseId: 'case-1', status: 'ACTION_REQUIRED', nextStep: 'RETRY_LIVENESS' },
      }),
      'POST /cases/case-1/liveness-sessions': () => ({
        status: 201,
        body: { livenessSessionId: 'session-new' },
      }),
    });
    const user = userEvent.setup();
    storeCase('status', 'session-submitted');
    renderApp(<ApplicantApp profile="bank-onboarding" pollIntervalMs={5} />);

    await user.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('detector for session-new')).toBeInTheDocument();
    expect(api.callsTo('POST', '/cases/case-1/liveness-sessions')).toHaveLength(1);
  });

  it('a reload after the case was submitted goes to the status page, not a new check', async () => {
    const api = fakeApi({
      'POST /cases/case-1/liveness-sessions': () => ({
        status: 409,
        body: {
          code: 'CASE_STATE_CONFLICT',
          message: 'The case does not expect a liveness check now',
        },
      }),
      'GET /cases/case-1': () => ({
        body: { caseId: 'case-1', status: 'APPROVED', nextStep: 'NONE' },
      }),
    });
    storeCase('liveness', 'session-1');
    renderApp(<ApplicantApp profile="bank-onboarding" pollIntervalMs={5} />);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your verification' }),
    ).toHaveFocus();
    expect(await screen.findByText('You are verified')).toBeInTheDocument();
    expect(api.callsTo('POST', '/cases/case-1/liveness-sessions')).toHaveLength(1);
  });
});
