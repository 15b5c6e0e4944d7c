// @vitest-environment jsdom
import '../setup.ts';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../fake-api.ts';
import { renderExecutionDetail } from './execution-detail-page.tsx';

const caseId = '0b6f5f8e-1c1d-4a55-9b0a-3c2d1e0f9a87';
const until = '2026-11-20T10:35:00.000Z';

function detail(withLimits: boolean) {
  return {
    case: {
      caseId,
      profileId: 'bank-onboarding',
      status: 'CREATED',
      createdAt: '2026-11-20T10:00:00.000Z',
      updatedAt: '2026-11-20T10:05:00.000Z',
      pendingAction: null,
      idAttempt: 1,
      livenessAttempts: [],
      audit: [
        { at: '2026-11-20T10:00:00.000Z', actor: 'applicant', action: 'CREATED' },
        {
          at: '2026-11-20T10:05:00.000Z',
          actor: 'applicant',
          action: 'LIVENESS_COOL_DOWN_STARTED',
          detail: `device until ${until}`,
        },
      ],
    },
    execution: null,
    timeline: [],
    evidence: { expiresInSeconds: 60, referenceImage: null, auditImages: [], idImage: null },
    ...(withLimits
      ? {
          livenessLimits: {
            policy: { failureLimit: 5, windowSeconds: 180, coolDownSeconds: 1800 },
            case: { failuresInWindow: 3, coolDownUntil: null },
            devices: [
              { deviceKey: 'a1b2c3d4e5f6a7b8c9d0', failuresInWindow: 5, coolDownUntil: until },
            ],
          },
        }
      : {}),
  };
}

const show = () => renderExecutionDetail(caseId);

describe('operations: liveness limits of a case', () => {
  it('shows the case and its device, the cool-down, and the audit entry that started it', async () => {
    fakeApi({ [`GET /ops/executions/${caseId}`]: () => ({ body: detail(true) }) });
    show();
    const section = (await screen.findByRole('heading', { name: 'Liveness limits' }))
      .parentElement as HTMLElement;
    expect(section).toHaveTextContent(
      'At most 5 failed attempts per case and per device within 3 minutes, then a cool-down of 30 minutes.',
    );
    expect(within(section).getByText('This case').nextElementSibling).toHaveTextContent(
      'No cool-down (3 of 5 failed attempts in the window)',
    );
    const device = within(section).getByText('a1b2c3d4e5f6');
    expect(device.parentElement?.nextElementSibling).toHaveTextContent(
      `Cooling down until ${new Date(until).toLocaleString()} (5 of 5 failed attempts in the window)`,
    );
    const audit = screen.getByRole('table', { name: 'Audit trail' });
    expect(within(audit).getByText(/LIVENESS_COOL_DOWN_STARTED: device until/)).toBeInTheDocument();
  });

  it('shows no section when the API sends no limits', async () => {
    fakeApi({ [`GET /ops/executions/${caseId}`]: () => ({ body: detail(false) }) });
    show();
    await screen.findByRole('heading', { name: 'Audit trail' });
    expect(screen.queryByRole('heading', { name: 'Liveness limits' })).not.toBeInTheDocument();
  });
});
