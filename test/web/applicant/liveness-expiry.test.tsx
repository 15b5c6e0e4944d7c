// @vitest-environment jsdom
import '../setup.ts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApplicantApp } from '../../../web/src/features/applicant/applicant-app.tsx';
import { usableSession } from '../../../web/src/features/applicant/case-storage.ts';
import type { LivenessDetectorProps } from '../../../web/src/features/applicant/liveness-detector.tsx';
import { fakeApi } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

// Stands in for the lazily loaded FaceLivenessDetector: a refused stream is a SERVER_ERROR.
vi.mock('../../../web/src/features/applicant/liveness-detector.tsx', () => ({
  default: ({ sessionId, onError }: LivenessDetectorProps) => (
    <div>
      <p>detector for {sessionId}</p>
      <button type="button" onClick={() => onError('SERVER_ERROR')}>
        simulate refused stream
      </button>
    </div>
  ),
}));

const start = Date.parse('2026-12-02T10:00:00.000Z');

/** A case on its face check step; the app asks for a session (a reload never reuses one). */
function storeCase() {
  sessionStorage.setItem(
    'kyc.applicant.case',
    JSON.stringify({
      caseId: 'case-1',
      caseSecret: 'secret-1',
      profile: 'bank-onboarding',
      stage: 'liveness',
    }),
  );
}

function livenessApi() {
  return fakeApi({
    'POST /cases/case-1/liveness-sessions': () => ({
      status: 201,
      body: { livenessSessionId: 'session-2' },
    }),
  });
}

afterEach(() => vi.restoreAllMocks());

describe('applicant: the liveness session’s 3 minutes', () => {
  const stored = (sessionAgeMs?: number) => ({
    caseId: 'case-1',
    caseSecret: 'secret-1',
    profile: 'bank-onboarding' as const,
    stage: 'liveness' as const,
    livenessSessionId: 'session-1',
    ...(sessionAgeMs === undefined ? {} : { livenessSessionAt: start - sessionAgeMs }),
  });

  it('a session made before a long ID step is not handed to the detector; a fresh one is', () => {
    expect(usableSession(stored(90_000), start)).toBeUndefined();
    expect(usableSession(stored(20_000), start)).toBe('session-1');
    expect(usableSession(stored(), start)).toBe('session-1');
  });

  it('a stream refused after the expiry is explained as the expiry, not a service problem', async () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(start);
    livenessApi();
    storeCase();
    const user = userEvent.setup();
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    await screen.findByText('detector for session-2');
    // The applicant read the start screen past the session's expiry.
    now.mockReturnValue(start + 180_000);
    await user.click(screen.getByRole('button', { name: 'simulate refused stream' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The face check expired: it must be started within 3 minutes.',
    );
    expect(screen.getByRole('alert')).not.toHaveTextContent('service had a problem');
  });

  it('a stream refused before the expiry is still the service’s problem', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(start);
    livenessApi();
    storeCase();
    const user = userEvent.setup();
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    await screen.findByText('detector for session-2');
    await user.click(screen.getByRole('button', { name: 'simulate refused stream' }));
    expect(screen.getByRole('alert')).toHaveTextContent('The face check service had a problem.');
  });
});
