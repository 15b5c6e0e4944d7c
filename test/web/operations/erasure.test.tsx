// @vitest-environment jsdom
import '../setup.ts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../fake-api.ts';
import { renderExecutionDetail } from './execution-detail-page.tsx';

const caseId = '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const erasure = {
  erasedAt: '2026-11-21T12:00:00.000Z',
  erasedBy: 'ops-1',
  reason: 'Applicant request, ticket 42',
  imagesDeleted: 3,
  fieldsErased: ['document', 'ageEstimate'],
};

function detail(options: { status?: string; erased?: boolean; missing?: string[] } = {}) {
  const erased = options.erased ?? false;
  return {
    case: {
      caseId,
      profileId: 'bank-onboarding',
      status: options.status ?? 'APPROVED',
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:05:00.000Z',
      pendingAction: null,
      idAttempt: 1,
      livenessAttempts: [],
      ...(erased
        ? { erasure }
        : {
            document: {
              idType: 'NATIONAL_ID',
              facts: {
                fields: { LAST_NAME: { text: 'MARTIN', confidence: 96 } },
                mrz: { present: true, consistent: true },
              },
            },
          }),
      audit: [
        { at: '2026-11-20T10:00:00.000Z', actor: 'applicant', action: 'CREATED' },
        ...(erased
          ? [
              {
                at: erasure.erasedAt,
                actor: 'operator:ops-1',
                action: 'PERSONAL_DATA_ERASED',
                detail: erasure.reason,
              },
            ]
          : []),
      ],
    },
    execution: null,
    timeline: [],
    evidence: {
      expiresInSeconds: 60,
      referenceImage: erased || options.missing ? null : 'https://s3.test/reference.jpg?sig=1',
      auditImages: [],
      idImage: erased || options.missing ? null : 'https://s3.test/id.jpg?sig=1',
      missing: options.missing ?? [],
    },
  };
}

const render = () => renderExecutionDetail(caseId);

describe('operations: erasing a case’s personal data', () => {
  it('requires a reason and a confirmation, then shows the tombstone and no personal field', async () => {
    let erased = false;
    const api = fakeApi({
      [`GET /ops/executions/${caseId}`]: () => ({ body: detail({ erased }) }),
      [`POST /ops/cases/${caseId}/erasure`]: () => {
        erased = true;
        return { body: { caseId, erasure } };
      },
    });
    const user = userEvent.setup();
    render();
    expect(await screen.findByText('MARTIN', { exact: false })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Erase personal data' }));
    const form = screen.getByRole('form', { name: 'Erase personal data' });
    const erase = screen.getByRole('button', { name: 'Erase now' });

    await user.click(erase);
    expect(screen.getByRole('alert')).toHaveTextContent('Give a reason');
    await user.type(
      screen.getByRole('textbox', { name: /Reason/ }),
      'Applicant request, ticket 42',
    );
    await user.click(erase);
    expect(screen.getByRole('alert')).toHaveTextContent('Confirm');
    expect(api.callsTo('POST', `/ops/cases/${caseId}/erasure`)).toHaveLength(0);

    await user.click(screen.getByRole('checkbox', { name: /delete this case’s images/ }));
    await user.click(erase);

    const heading = await screen.findByRole('heading', { name: 'Personal data erased' });
    expect(heading.nextElementSibling).toHaveTextContent(
      /Erased by ops-1 at .*Applicant request, ticket 42.*3 image\(s\) deleted; removed: document, ageEstimate/,
    );
    expect(api.callsTo('POST', `/ops/cases/${caseId}/erasure`).map((call) => call.body)).toEqual([
      { reason: 'Applicant request, ticket 42' },
    ]);
    expect(form).not.toBeInTheDocument();
    expect(screen.queryByText('MARTIN', { exact: false })).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText('Images and personal fields erased.')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Audit trail' })).toHaveTextContent(
      'PERSONAL_DATA_ERASED: Applicant request, ticket 42',
    );
    expect(screen.queryByRole('button', { name: 'Erase personal data' })).toBeNull();
  });

  it('offers no erasure while the workflow runs', async () => {
    fakeApi({
      [`GET /ops/executions/${caseId}`]: () => ({ body: detail({ status: 'IN_REVIEW' }) }),
    });
    render();
    await screen.findByRole('heading', { name: 'Evidence' });
    expect(screen.queryByRole('button', { name: 'Erase personal data' })).toBeNull();
  });

  it('shows the API’s refusal', async () => {
    fakeApi({
      [`GET /ops/executions/${caseId}`]: () => ({ body: detail() }),
      [`POST /ops/cases/${caseId}/erasure`]: () => ({
        status: 409,
        body: {
          code: 'CASE_STATE_CONFLICT',
          message: 'Only a case whose workflow has ended can be erased',
        },
      }),
    });
    const user = userEvent.setup();
    render();
    await user.click(await screen.findByRole('button', { name: 'Erase personal data' }));
    await user.type(screen.getByRole('textbox', { name: /Reason/ }), 'Applicant request');
    await user.click(screen.getByRole('checkbox', { name: /delete this case’s images/ }));
    await user.click(screen.getByRole('button', { name: 'Erase now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/ended/);
  });

  it('names the images the retention rule deleted', async () => {
    fakeApi({
      [`GET /ops/executions/${caseId}`]: () => ({
        body: detail({ missing: ['referenceImage', 'idImage', 'auditImage1'] }),
      }),
    });
    render();
    expect(
      await screen.findByText(
        /No longer stored \(deleted after the retention period\): liveness reference image, ID document photo, liveness audit image 1/,
      ),
    ).toBeInTheDocument();
  });
});
