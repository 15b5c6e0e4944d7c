import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/error-message.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import type { OperationsApi, QueuedReview } from './operations-api.ts';

export function ReviewQueue({
  api,
  onOpen,
  onUnauthorized,
}: {
  api: OperationsApi;
  onOpen: (caseId: string) => void;
  onUnauthorized: (error: unknown) => boolean;
}) {
  const heading = useHeadingFocus();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [items, setItems] = useState<readonly QueuedReview[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    api.reviewQueue(cursor).then(
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
  }, [api, cursor, onUnauthorized]);

  return (
    <section aria-labelledby="queue-heading">
      <h1 id="queue-heading" ref={heading} tabIndex={-1}>
        Review queue
      </h1>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      {items?.length === 0 ? <p role="status">Nothing is waiting for a review.</p> : null}
      <div className="table-wrap">
        <table aria-label="Cases waiting for review">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Profile</th>
              <th scope="col">Queued</th>
              <th scope="col">Why</th>
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
                    aria-label={`Review case ${item.caseId}`}
                  >
                    {item.caseId}
                  </button>
                </td>
                <td>{item.profileId}</td>
                <td>{item.queuedAt ? new Date(item.queuedAt).toLocaleString() : '-'}</td>
                <td>{item.reasonCodes.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
