// @vitest-environment jsdom
import '../setup.ts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApplicantApp } from '../../../web/src/features/applicant/applicant-app.tsx';
import { apiUrl, fakeApi } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

vi.mock('../../../web/src/features/applicant/liveness-detector.tsx', () => ({
  default: ({ sessionId }: { sessionId: string }) => <p>detector for {sessionId}</p>,
}));

const created = { caseId: 'case-1', caseSecret: 'secret-1', livenessSessionId: 'session-1' };
const uploadUrl = 'https://s3.test/bucket/id.png?X-Amz-Signature=abc';

function journeyApi() {
  return fakeApi({
    'POST /cases': () => ({ status: 201, body: { ...created, profile: 'bank-onboarding' } }),
    'POST /cases/case-1/id-upload-url': (call) => ({
      status: 201,
      body: {
        idUpload: {
          url: uploadUrl,
          method: 'PUT',
          headers: { 'content-type': (call.body as { contentType: string }).contentType },
          maxBytes: 5 * 1024 * 1024,
        },
      },
    }),
    'PUT https://s3.test/bucket/id.png': () => ({ status: 200 }),
  });
}

async function consentAndStart(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
  await user.click(screen.getByRole('button', { name: 'Start' }));
}

describe('applicant: start and ID capture', () => {
  it('shows the photosensitivity warning and refuses to start without consent', async () => {
    const api = journeyApi();
    const user = userEvent.setup();
    renderApp(<ApplicantApp profile="bank-onboarding" />);

    expect(screen.getByRole('heading', { level: 1, name: 'Verify your identity' })).toHaveFocus();
    expect(screen.getByRole('note', { name: 'Photosensitivity warning' })).toHaveTextContent(
      /flashing colours/,
    );
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Tick the box to agree');
    expect(api.calls).toHaveLength(0);
  });

  it('consent creates the case and moves focus to the ID step', async () => {
    const api = journeyApi();
    const user = userEvent.setup();
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    await consentAndStart(user);

    const heading = await screen.findByRole('heading', { level: 1, name: 'Photograph your ID' });
    expect(heading).toHaveFocus();
    expect(api.callsTo('POST', '/cases')).toHaveLength(1);
    expect(JSON.parse(sessionStorage.getItem('kyc.applicant.case') ?? '{}')).toMatchObject({
      caseId: 'case-1',
      caseSecret: 'secret-1',
      stage: 'id',
    });
  });

  it('under StrictMode one attempt makes one create call; a retry resends the same token', async () => {
    let failNext = true;
    const api = fakeApi({
      'POST /cases': () => {
        if (failNext) {
          failNext = false;
          return { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: 'busy' } };
        }
        return { status: 201, body: created };
      },
    });
    const user = userEvent.setup();
    renderApp(<ApplicantApp profile="age-gate" />);
    await consentAndStart(user);

    await screen.findByRole('alert');
    expect(api.callsTo('POST', '/cases')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    // The age gate's ID step says the ID is optional, and how the age is told without one.
    await screen.findByRole('heading', { level: 1, name: 'Your age: ID optional' });
    expect(
      screen.getByText(/continue without one: the face check then estimates your age/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Continue without an ID' })).toBeInTheDocument();

    const bodies = api.callsTo('POST', '/cases').map((call) => call.body as Record<string, string>);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.profile).toBe('age-gate');
    expect(bodies[0]?.clientToken).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(bodies[1]?.clientToken).toBe(bodies[0]?.clientToken);
  });

  it.each([
    {
      what: 'a file that is not JPEG or PNG',
      file: new File(['%PDF-1.7'], 'id.pdf', { type: 'application/pdf' }),
      message: 'This file is not a JPEG or PNG image',
    },
    {
      what: 'a photo over 5 MB',
      file: new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'id.png', { type: 'image/png' }),
      message: 'the limit is 5 MB',
    },
  ])('refuses $what before any upload', async ({ file, message }) => {
    const api = journeyApi();
    const user = userEvent.setup({ applyAccept: false });
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    await consentAndStart(user);

    await user.upload(await screen.findByLabelText(/upload a photo of your ID/), file);
    expect(screen.getByRole('alert')).toHaveTextContent(message);
    expect(screen.getByRole('button', { name: 'Send and continue' })).toBeDisabled();
    expect(api.callsTo('POST', '/cases/case-1/id-upload-url')).toHaveLength(0);
  });

  it('uploads a PNG with the signed content type, then starts the face check', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
    const api = journeyApi();
    const user = userEvent.setup();
    renderApp(<ApplicantApp profile="bank-onboarding" />);
    await consentAndStart(user);

    const photo = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'id.png', {
      type: 'image/png',
    });
    await user.upload(await screen.findByLabelText(/upload a photo of your ID/), photo);
    await user.click(screen.getByRole('button', { name: 'Send and continue' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Face check' })).toHaveFocus();
    expect(await screen.findByText('detector for session-1')).toBeInTheDocument();
    const [urlCall] = api.callsTo('POST', '/cases/case-1/id-upload-url');
    expect(urlCall?.body).toEqual({ contentType: 'image/png' });
    expect(urlCall?.headers.get('x-case-secret')).toBe('secret-1');
    const put = api.calls.find((call) => call.method === 'PUT');
    expect(put?.url.href).toBe(uploadUrl);
    expect(put?.headers.get('content-type')).toBe('image/png');
    expect(put?.body).toBe(photo);
    expect(api.calls.every((call) => call.url.origin === apiUrl || call.method === 'PUT')).toBe(
      true,
    );
  });
});
