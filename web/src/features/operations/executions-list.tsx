import { type FormEvent, useCallback, useState } from 'react';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import { type CaseColumn, CaseTable, useCasePages } from './case-pages.tsx';
import {
  caseStatuses,
  type ExecutionFilters,
  type ExecutionSummary,
  noFilters,
  type OperationsApi,
  operatorStatusLabel,
  profileIds,
} from './operations-api.ts';

const columns: readonly CaseColumn<ExecutionSummary>[] = [
  { header: 'Profile', cell: (item) => item.profileId },
  {
    header: 'Status',
    cell: (item) =>
      `${operatorStatusLabel(item.status)}${item.pendingAction ? ` (waiting: ${item.pendingAction})` : ''}`,
  },
  { header: 'Created', cell: (item) => new Date(item.createdAt).toLocaleString() },
  { header: 'Updated', cell: (item) => new Date(item.updatedAt).toLocaleString() },
];

interface ExecutionsListProps {
  readonly api: OperationsApi;
  readonly onOpen: (caseId: string) => void;
  readonly onUnauthorized: (error: unknown) => boolean;
}

export function ExecutionsList({ api, onOpen, onUnauthorized }: ExecutionsListProps) {
  const heading = useHeadingFocus();
  const [draft, setDraft] = useState<ExecutionFilters>(noFilters);
  const [filters, setFilters] = useState<ExecutionFilters>(noFilters);
  const load = useCallback(
    (cursor: string | undefined) => api.listExecutions(filters, cursor),
    [api, filters],
  );
  const { items, pager, problemAlert, restart } = useCasePages(load, onUnauthorized);

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
    restart();
  }

  const set = (key: keyof ExecutionFilters) => (value: string) =>
    setDraft((previous) => ({ ...previous, [key]: value }));

  return (
    <section aria-labelledby="executions-heading">
      <h1 id="executions-heading" ref={heading} tabIndex={-1}>
        Executions
      </h1>
      <form className="filters" onSubmit={apply} aria-label="Filters">
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={draft.status}
            onChange={(event) => set('status')(event.target.value)}
          >
            <option value="">Any</option>
            {caseStatuses.map((status) => (
              <option key={status} value={status}>
                {operatorStatusLabel(status)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-profile">Profile</label>
          <select
            id="filter-profile"
            value={draft.profile}
            onChange={(event) => set('profile')(event.target.value)}
          >
            <option value="">Any</option>
            {profileIds.map((profile) => (
              <option key={profile} value={profile}>
                {profile}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-from">From</label>
          <input
            id="filter-from"
            type="date"
            value={draft.from}
            onChange={(event) => set('from')(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">To</label>
          <input
            id="filter-to"
            type="date"
            value={draft.to}
            onChange={(event) => set('to')(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-case">Case id</label>
          <input
            id="filter-case"
            value={draft.caseId}
            onChange={(event) => set('caseId')(event.target.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(noFilters);
              setFilters(noFilters);
              restart();
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {problemAlert}
      <CaseTable
        label="Executions"
        items={items}
        columns={columns}
        openLabel={(caseId) => `Open case ${caseId}`}
        onOpen={onOpen}
      />
      {items?.length === 0 ? <p role="status">No executions match these filters.</p> : null}
      {pager}
    </section>
  );
}
