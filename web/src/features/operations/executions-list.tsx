import { type FormEvent, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/error-message.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import {
  caseStatuses,
  type ExecutionFilters,
  type ExecutionSummary,
  noFilters,
  type OperationsApi,
  profileIds,
} from './operations-api.ts';

interface ExecutionsListProps {
  readonly api: OperationsApi;
  readonly onOpen: (caseId: string) => void;
  readonly onUnauthorized: (error: unknown) => boolean;
}

export function ExecutionsList({ api, onOpen, onUnauthorized }: ExecutionsListProps) {
  const heading = useHeadingFocus();
  const [draft, setDraft] = useState<ExecutionFilters>(noFilters);
  const [filters, setFilters] = useState<ExecutionFilters>(noFilters);
  // Cursors of the pages seen so far, so "Previous" can go back without a reverse cursor.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [items, setItems] = useState<readonly ExecutionSummary[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setProblem(null);
    api.listExecutions(filters, cursor).then(
      (page) => {
        if (!current) return;
        setItems(page.items);
        setNextCursor(page.cursor);
      },
      (error: unknown) => {
        if (current && !onUnauthorized(error)) setProblem(errorMessage(error));
      },
    );
    return () => {
      current = false;
    };
  }, [api, filters, cursor, onUnauthorized]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
    setCursors([undefined]);
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
                {status}
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
              setCursors([undefined]);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="table-wrap">
        <table aria-label="Executions" aria-busy={items === null}>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Profile</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {items?.map((item) => (
              <tr key={item.caseId}>
                <td>
                  <button
                    type="button"
                    className="mono"
                    onClick={() => onOpen(item.caseId)}
                    aria-label={`Open case ${item.caseId}`}
                  >
                    {item.caseId}
                  </button>
                </td>
                <td>{item.profileId}</td>
                <td>
                  {item.status}
                  {item.pendingAction ? ` (waiting: ${item.pendingAction})` : ''}
                </td>
                <td>{new Date(item.createdAt).toLocaleString()}</td>
                <td>{new Date(item.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {items?.length === 0 ? <p role="status">No executions match these filters.</p> : null}
      <div className="actions">
        <button
          type="button"
          disabled={cursors.length < 2}
          onClick={() => setCursors((seen) => seen.slice(0, -1))}
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={!nextCursor}
          onClick={() => setCursors((seen) => [...seen, nextCursor])}
        >
          Next page
        </button>
      </div>
    </section>
  );
}
