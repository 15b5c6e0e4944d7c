// @vitest-environment jsdom
import '../setup.ts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApplicantApp } from '../../../web/src/features/applicant/applicant-app.tsx';
import { fakeApi } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

vi.mock('../../../web/src/features/applicant/liveness-detector.tsx', () => ({
  default: ({ sessionId }: { sessionId: string }) => <p>detector for {sessionId}</p>,
}));

const created = { caseId: 'case-1', caseSecret: 'secret-1', livenessSessionId: 'session-1' };
const uploadUrl = (page: string) => `https://s3.test/bucket/id-${page}.jpg?X-Amz-Signature=abc`;

function journeyApi() {
  return fakeApi({
    'POST /cases': () => ({ status: 201, body: { ...created, profile: 'bank-onboarding' } }),
    'POST /cases/case-1/id-upload-url': (call) => {
      const body = call.body as { contentType: string; page?: string };
      return {
        status: 201,
        body: {
          idUpload: {
            url: uploadUrl(body.page ?? 'front'),
            method: 'PUT',
            headers: { 'content-type': body.contentType },
            maxBytes: 5 * 1024 * 1024,
          },
        },
      };
    },
    'PUT https://s3.test/bucket/id-front.jpg': () => ({ status: 200 }),
    'PUT https://s3.test/bucket/id-back.jpg': () => ({ status: 200 }),
  });
}

const jpeg = (name: string) =>
  new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], name, { type: 'image/jpeg' });

async function startCase(user: ReturnType<typeof userEvent.setup>) {
  renderApp(<ApplicantApp profile="bank-onboarding" />);
  await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
  await user.click(screen.getByRole('button', { name: 'Start' }));
  await screen.findByRole('heading', { level: 1, name: 'Photograph your ID' });
}

describe('applicant: a US driver licence gives its front and its back', () => {
  it('a passport asks for one page only', async () => {
    journeyApi();
    const user = userEvent.setup();
    await startCase(user);
    expect(screen.getByRole('radio', { name: 'Passport' })).toBeChecked();
    expect(screen.queryByLabelText(/back of your licence/)).not.toBeInTheDocument();
  });

  it('asks for the back too, waits for both, and uploads the back as the second page', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
    const api = journeyApi();
    const user = userEvent.setup();
    await startCase(user);

    await user.click(screen.getByRole('radio', { name: 'US driver licence' }));
    const front = jpeg('front.jpg');
    const back = jpeg('back.jpg');
    await user.upload(screen.getByLabelText(/upload a photo of your ID/), front);
    // One page is not enough for a licence.
    expect(screen.getByRole('button', { name: 'Send and continue' })).toBeDisabled();
    await user.upload(screen.getByLabelText(/upload a photo of the back of your licence/), back);
    expect(
      screen.getByRole('img', { name: 'Back of your licence, ready to send' }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send and continue' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Face check' })).toHaveFocus();
    expect(api.callsTo('POST', '/cases/case-1/id-upload-url').map((call) => call.body)).toEqual([
      { contentType: 'image/jpeg' },
      { contentType: 'image/jpeg', page: 'back' },
    ]);
    const puts = api.calls.filter((call) => call.method === 'PUT');
    expect(puts.map((call) => [call.url.href, call.body])).toEqual([
      [uploadUrl('front'), front],
      [uploadUrl('back'), back],
    ]);
  });

  it('refuses a back page that is not an image before any upload', async () => {
    const api = journeyApi();
    const user = userEvent.setup({ applyAccept: false });
    await startCase(user);
    await user.click(screen.getByRole('radio', { name: 'US driver licence' }));
    await user.upload(screen.getByLabelText(/upload a photo of your ID/), jpeg('front.jpg'));
    await user.upload(
      screen.getByLabelText(/upload a photo of the back of your licence/),
      new File(['%PDF-1.7'], 'back.pdf', { type: 'application/pdf' }),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('This file is not a JPEG or PNG image');
    expect(screen.getByRole('button', { name: 'Send and continue' })).toBeDisabled();
    expect(api.callsTo('POST', '/cases/case-1/id-upload-url')).toHaveLength(0);
  });
});
