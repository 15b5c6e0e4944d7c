// @vitest-environment jsdom
import '../setup.ts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ExecutionsList } from '../../../web/src/features/operations/executions-list.tsx';
import {
  executionsQuery,
  noFilters,
  operationsApi,
} from '../../../web/src/features/operations/operations-api.ts';
import { apiUrl, fakeApi } from '../fake-api.ts';
import { renderApp } from '../render.tsx';

const summary = (caseId: string) => ({
  caseId,
  profileId: 'bank-onboarding',
  status: 'APPROVED',
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:01:00.000Z',
  executionArn: `arn:aws:states:us-east-1:0:execution:kyc:${caseId}`,
  outcome: 'APPROVED',
  pendingAction: null,
});

describe('operations: executions list', () => {
  it('turns local calendar days into instants covering the whole days', () => {
    const query = executionsQuery({ ...noFilters, from: '2026-11-01', to: '2026-11-03' });
    expect(query.from).toBe(new Date(2026, 10, 1, 0, 0, 0, 0).toISOString());
    expect(query.to).toBe(new Date(2026, 10, 3, 23, 59, 59, 999).toISOString());
    expect(executionsQuery(noFilters)).toEqual({
      status: undefined,
      profile: undefined,
      from: undefined,
      to: undefined,
      caseId: undefined,
      cursor: undefined,
    });
  });

  it('sends the chosen filters with the operator token, and pages with the cursor', async () => {
    const api = fakeApi({
      'GET /ops/executions': (call) =>
        call.url.searchParams.get('cursor') === 'page-2'
          ? { body: { items: [summary('case-b')] } }
          : { body: { items: [summary('case-a')], cursor: 'page-2' } },
    });
    const user = userEvent.setup();
    renderApp(
      <ExecutionsList
        api={operationsApi(apiUrl, 'id-token-1')}
        onOpen={vi.fn()}
        onUnauthorized={() => false}
      />,
    );
    await screen.findByRole('button', { name: 'Open case case-a' });

    await user.selectOptions(screen.getByLabelText('Status'), 'IN_REVIEW');
    await user.selectOptions(screen.getByLabelText('Profile'), 'age-gate');
    await user.type(screen.getByLabelText('From'), '2026-11-01');
    await user.type(screen.getByLabelText('To'), '2026-11-20');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() => expect(api.callsTo('GET', '/ops/executions').length).toBeGreaterThan(1));
    const filtered = api.callsTo('GET', '/ops/executions').at(-1);
    expect(Object.fromEntries(filtered?.url.searchParams ?? [])).toEqual({
      status: 'IN_REVIEW',
      profile: 'age-gate',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 20, 23, 59, 59, 999).toISOString(),
    });
    expect(filtered?.headers.get('authorization')).toBe('Bearer id-token-1');

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    const table = screen.getByRole('table', { name: 'Executions' });
    expect(await within(table).findByText('case-b')).toBeInTheDocument();
    expect(api.callsTo('GET', '/ops/executions').at(-1)?.url.searchParams.get('cursor')).toBe(
      'page-2',
    );
    expect(api.callsTo('GET', '/ops/executions').at(-1)?.url.searchParams.get('status')).toBe(
      'IN_REVIEW',
    );
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('a case id filter is sent alone with the others the operator set', async () => {
    const api = fakeApi({ 'GET /ops/executions': () => ({ body: { items: [] } }) });
    const user = userEvent.setup();
    renderApp(
      <ExecutionsList
        api={operationsApi(apiUrl, 't')}
        onOpen={vi.fn()}
        onUnauthorized={() => false}
      />,
    );
    await user.type(screen.getByLabelText('Case id'), '  0b6f5f8e-1c1d-4a55-9b0a-3c2d1e0f9a87 ');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(api.callsTo('GET', '/ops/executions').at(-1)?.url.search).toBe(
        '?caseId=0b6f5f8e-1c1d-4a55-9b0a-3c2d1e0f9a87',
      ),
    );
    expect(await screen.findByText('No executions match these filters.')).toBeInTheDocument();
  });
});
