// @vitest-environment jsdom
import '../setup.ts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApplicantApp } from '../../../web/src/features/applicant/applicant-app.tsx';
import { fakeApi } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

vi.mock('../../../web/src/features/applicant/liveness-detector.tsx', () => ({
  default: ({ sessionId }: { sessionId: string }) => <p>detector for {sessionId}</p>,
}));

const coolDown = (seconds: number) => ({
  status: 429,
  body: {
    code: 'LIVENESS_COOL_DOWN',
    message: 'Too many face check attempts. Please try again later.',
    retryAfterSeconds: seconds,
  },
});

function storeCaseAtLiveness() {
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

afterEach(() => {
  localStorage.clear();
});

describe('applicant: too many failed face checks', () => {
  it('a new session refused for a cool-down says how long to wait, then tries again', async () => {
    let refusals = 1;
    const api = fakeApi({
      'POST /cases/case-1/liveness-sessions': () =>
        refusals-- > 0 ? coolDown(1500) : { status: 201, body: { livenessSessionId: 'session-2' } },
    });
    const user = userEvent.setup();
    storeCaseAtLiveness();
    renderApp(<ApplicantApp profile="bank-onboarding" />);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Too many attempts' }),
    ).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent(/try again in 25 minutes/);
    expect(screen.queryByText(/busy/)).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('detector for session-2')).toBeInTheDocument();
    // The retry is the same attempt: the same idempotency token.
    const tokens = api
      .callsTo('POST', '/cases/case-1/liveness-sessions')
      .map((call) => (call.body as { clientToken: string }).clientToken);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(1);
  });

  it('a device in a cool-down cannot start a new case either', async () => {
    fakeApi({ 'POST /cases': () => coolDown(45) });
    const user = userEvent.setup();
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
    await user.click(screen.getByRole('button', { name: 'Start' }));

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Too many attempts' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(/try again in a minute/);
  });

  it('reads the wait from Retry-After when the body has none', async () => {
    fakeApi({
      'POST /cases/case-1/liveness-sessions': () =>
        new Response(JSON.stringify({ code: 'LIVENESS_COOL_DOWN', message: 'Too many' }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '600' },
        }),
    });
    storeCaseAtLiveness();
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    expect(await screen.findByRole('alert')).toHaveTextContent(/try again in 10 minutes/);
  });

  it('sends one device id, kept across cases, when creating a case and asking for a session', async () => {
    const api = fakeApi({
      'POST /cases': () => ({
        status: 201,
        body: { caseId: 'case-1', caseSecret: 'secret-1', livenessSessionId: 'session-1' },
      }),
      'POST /cases/case-1/liveness-sessions': () => ({
        status: 201,
        body: { livenessSessionId: 'session-2' },
      }),
    });
    const user = userEvent.setup();
    const first = renderApp(<ApplicantApp profile="age-gate" />);
    await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await screen.findByRole('button', { name: 'Continue without an ID' });
    first.unmount();

    storeCaseAtLiveness();
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    await screen.findByText('detector for session-2');

    const created = api.callsTo('POST', '/cases')[0]?.body as { deviceId?: string };
    const asked = api.callsTo('POST', '/cases/case-1/liveness-sessions')[0]?.body as {
      deviceId?: string;
    };
    expect(created.deviceId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(asked.deviceId).toBe(created.deviceId);
    expect(localStorage.getItem('kyc.device.id')).toBe(created.deviceId);
  });
});
