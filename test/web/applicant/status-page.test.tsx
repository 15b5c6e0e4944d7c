// @vitest-environment jsdom
import '../setup.ts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApplicantApp } from '../../../web/src/features/applicant/applicant-app.tsx';
import { fakeApi } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

function storeCase() {
  sessionStorage.setItem(
    'kyc.applicant.case',
    JSON.stringify({
      caseId: 'case-1',
      caseSecret: 'secret-1',
      profile: 'bank-onboarding',
      stage: 'status',
    }),
  );
}

// Even if an answer carried scores or reasons, the page must not show them.
const leaked = { confidence: 97.25, similarity: 88.5, reasons: ['FACE_MISMATCH'] };

describe('applicant: status page', () => {
  it.each([
    { status: 'APPROVED', nextStep: 'NONE', title: 'You are verified', button: null },
    {
      status: 'REJECTED',
      nextStep: 'NONE',
      title: 'We could not verify your identity',
      button: null,
    },
    {
      status: 'ACTION_REQUIRED',
      nextStep: 'RETRY_LIVENESS',
      title: 'Let us try the face check again',
      button: 'Try again',
    },
    {
      status: 'ACTION_REQUIRED',
      nextStep: 'RESUBMIT_ID',
      title: 'Show your ID again',
      button: 'Show your ID again',
    },
    {
      status: 'UNDER_REVIEW',
      nextStep: 'WAIT',
      title: 'Your verification is being reviewed',
      button: null,
    },
    { status: 'IN_PROGRESS', nextStep: 'WAIT', title: 'Checking your details', button: null },
    {
      status: 'EXPIRED',
      nextStep: 'NONE',
      title: 'This verification has expired',
      button: 'Start again',
    },
  ])('$status / $nextStep: "$title", no score', async ({ status, nextStep, title, button }) => {
    fakeApi({
      'GET /cases/case-1': () => ({ body: { caseId: 'case-1', status, nextStep, ...leaked } }),
    });
    storeCase();
    renderApp(<ApplicantApp profile="bank-onboarding" pollIntervalMs={5} />);

    const live = screen.getByRole('status');
    expect(live).toHaveAttribute('aria-live', 'polite');
    await waitFor(() => expect(live).toHaveTextContent(title));
    if (button) expect(screen.getByRole('button', { name: button })).toBeInTheDocument();
    else expect(screen.queryByRole('button')).toBeNull();
    const text = document.body.textContent ?? '';
    expect(text).not.toMatch(/97|88|score|confidence|similarity|FACE_MISMATCH/i);
  });

  it.each([
    {
      retryAdvice: 'COMPLETE_THE_CHECK',
      advice: /could not be completed\. Keep this page open and in front/,
      not: /light/,
    },
    { retryAdvice: 'FACE_AND_LIGHT', advice: /try again in good light/, not: /in front/ },
  ])(
    'retry advice fits how the check ended: $retryAdvice',
    async ({ retryAdvice, advice, not }) => {
      fakeApi({
        'GET /cases/case-1': () => ({
          body: {
            caseId: 'case-1',
            status: 'ACTION_REQUIRED',
            nextStep: 'RETRY_LIVENESS',
            retryAdvice,
          },
        }),
      });
      storeCase();
      renderApp(<ApplicantApp profile="bank-onboarding" pollIntervalMs={5} />);
      const live = screen.getByRole('status');
      await waitFor(() => expect(live).toHaveTextContent('Let us try the face check again'));
      expect(live).toHaveTextContent(advice);
      expect(live).not.toHaveTextContent(not);
    },
  );

  it('keeps polling while the case is under review, and stops at the verdict', async () => {
    let polls = 0;
    const api = fakeApi({
      'GET /cases/case-1': () => {
        polls += 1;
        return {
          body:
            polls < 3
              ? { caseId: 'case-1', status: 'UNDER_REVIEW', nextStep: 'WAIT' }
              : { caseId: 'case-1', status: 'APPROVED', nextStep: 'NONE' },
        };
      },
    });
    storeCase();
    renderApp(<ApplicantApp profile="bank-onboarding" pollIntervalMs={5} />);

    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('You are verified'));
    // Three answers were needed; StrictMode's first, discarded effect may add one request.
    const settled = api.callsTo('GET', '/cases/case-1').length;
    expect(settled).toBeGreaterThanOrEqual(3);
    expect(settled).toBeLessThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.callsTo('GET', '/cases/case-1')).toHaveLength(settled);
    expect(api.calls[0]?.headers.get('x-case-secret')).toBe('secret-1');
  });

  it('"Show your ID again" gets a new upload URL, uploads, and resubmits without a session', async () => {
    const api = fakeApi({
      'GET /cases/case-1': () => ({
        body: { caseId: 'case-1', status: 'ACTION_REQUIRED', nextStep: 'RESUBMIT_ID' },
      }),
      'POST /cases/case-1/id-upload-url': () => ({
        status: 201,
        body: {
          idUpload: {
            url: 'https://s3.test/id-2.jpg?sig=1',
            method: 'PUT',
            headers: { 'content-type': 'image/jpeg' },
            maxBytes: 5242880,
          },
        },
      }),
      'PUT https://s3.test/id-2.jpg': () => ({ status: 200 }),
      'POST /cases/case-1/submit': () => ({
        status: 202,
        body: { caseId: 'case-1', status: 'IN_PROGRESS', nextStep: 'WAIT' },
      }),
    });
    URL.createObjectURL = () => 'blob:preview';
    URL.revokeObjectURL = () => undefined;
    const user = userEvent.setup();
    storeCase();
    renderApp(<ApplicantApp profile="bank-onboarding" pollIntervalMs={5} />);

    await user.click(await screen.findByRole('button', { name: 'Show your ID again' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Show your ID again' })).toHaveFocus();
    await user.upload(
      screen.getByLabelText(/upload a photo of your ID/),
      new File([new Uint8Array([0xff, 0xd8, 0xff])], 'id.jpg', { type: 'image/jpeg' }),
    );
    await user.click(screen.getByRole('button', { name: 'Send and continue' }));

    await screen.findByRole('heading', { level: 1, name: 'Your verification' });
    expect(api.callsTo('POST', '/cases/case-1/submit').map((call) => call.body)).toEqual([{}]);
  });
});
