import { type FormEvent, useId, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import type { CaseDetail, ErasureTombstone, OperationsApi } from './operations-api.ts';
import { ReasonField, reasonProblem } from './reason-field.tsx';

/** The workflow has ended in these: nothing reads or writes the case's images any more. */
const erasableStatuses = new Set(['APPROVED', 'REJECTED', 'ABANDONED', 'FAILED']);

const time = (iso: string) => new Date(iso).toLocaleString();

function Tombstone({ erasure }: { erasure: ErasureTombstone }) {
  return (
    <section aria-labelledby="erasure-heading">
      <h2 id="erasure-heading">Personal data erased</h2>
      <p role="status">
        Erased by {erasure.erasedBy} at {time(erasure.erasedAt)}: “{erasure.reason}”.{' '}
        {erasure.imagesDeleted} image(s) deleted
        {erasure.fieldsErased.length > 0 ? `; removed: ${erasure.fieldsErased.join(', ')}` : ''}.
        The status, verdict and execution history are kept.
      </p>
    </section>
  );
}

/**
 * Erases an ended case's images and personal fields: a mandatory reason and an explicit
 * confirmation, then the tombstone the API recorded.
 */
export function ErasureSection({
  api,
  record,
  onErased,
}: {
  api: OperationsApi;
  record: CaseDetail;
  onErased: (erasure: ErasureTombstone) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (record.erasure) return <Tombstone erasure={record.erasure} />;
  if (!erasableStatuses.has(record.status)) return null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const reasonIssue = reasonProblem(reason, 'the erasure');
    if (reasonIssue) {
      setProblem(reasonIssue);
      return;
    }
    if (!confirmed) {
      setProblem('Confirm that the images and personal fields are to be deleted for good.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const { erasure } = await api.eraseCase(record.caseId, reason.trim());
      onErased(erasure);
    } catch (error) {
      setProblem(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Data protection</h2>
      {open ? (
        <form onSubmit={(event) => void submit(event)} aria-label="Erase personal data" noValidate>
          <p>
            Deletes every image of this case (ID photos, liveness reference and audit images) and
            its document fields and age estimate. The status, verdict, audit trail and execution
            history stay. This cannot be undone.
          </p>
          <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
          <label>
            <input
              type="checkbox"
              checked={confirmed}
              onChange={(event) => setConfirmed(event.target.checked)}
            />{' '}
            I confirm: delete this case’s images and personal fields for good
          </label>
          <ErrorAlert problem={problem} />
          <p>
            <button type="submit" className="primary" disabled={busy}>
              Erase now
            </button>{' '}
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </button>
          </p>
        </form>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Erase personal data
        </button>
      )}
    </section>
  );
}
