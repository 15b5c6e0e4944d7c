import { useCallback } from 'react';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import { type CaseColumn, CaseTable, useCasePages } from './case-pages.tsx';
import type { OperationsApi, QueuedReview } from './operations-api.ts';

const columns: readonly CaseColumn<QueuedReview>[] = [
  { header: 'Profile', cell: (item) => item.profileId },
  {
    header: 'Queued',
    cell: (item) => (item.queuedAt ? new Date(item.queuedAt).toLocaleString() : '-'),
  },
  { header: 'Why', cell: (item) => item.reasonCodes.join(', ') },
];

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
  const load = useCallback((cursor: string | undefined) => api.reviewQueue(cursor), [api]);
  const { items, pager, problemAlert } = useCasePages(load, onUnauthorized);

  return (
    <section aria-labelledby="queue-heading">
      <h1 id="queue-heading" ref={heading} tabIndex={-1}>
        Review queue
      </h1>
      {problemAlert}
      {items?.length === 0 ? <p role="status">Nothing is waiting for a review.</p> : null}
      <CaseTable
        label="Cases waiting for review"
        items={items}
        columns={columns}
        openLabel={(caseId) => `Review case ${caseId}`}
        onOpen={onOpen}
      />
      {pager}
    </section>
  );
}
