import { type FormEvent, useId, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import type { OperationsApi, ReviewRecord } from './operations-api.ts';
import { ReasonField, reasonProblem } from './reason-field.tsx';

/** Approve or reject a case waiting in review; the reason is mandatory and goes on the record. */
export function ReviewForm({
  api,
  caseId,
  onDecided,
}: {
  api: OperationsApi;
  caseId: string;
  onDecided: (review: ReviewRecord) => void;
}) {
  const id = useId();
  const [outcome, setOutcome] = useState<'APPROVED' | 'REJECTED' | ''>('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!outcome) {
      setProblem('Choose approve or reject.');
      return;
    }
    const reasonIssue = reasonProblem(reason, 'the decision');
    if (reasonIssue) {
      setProblem(reasonIssue);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const decided = await api.settleReview(caseId, outcome, reason.trim());
      onDecided({ ...decided, reason: reason.trim() });
    } catch (error) {
      setProblem(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Reviewer's decision" noValidate>
      <fieldset>
        <legend>Outcome</legend>
        <label>
          <input
            type="radio"
            name={`${id}-outcome`}
            value="APPROVED"
            checked={outcome === 'APPROVED'}
            onChange={() => setOutcome('APPROVED')}
          />{' '}
          Approve
        </label>{' '}
        <label>
          <input
            type="radio"
            name={`${id}-outcome`}
            value="REJECTED"
            checked={outcome === 'REJECTED'}
            onChange={() => setOutcome('REJECTED')}
          />{' '}
          Reject
        </label>
      </fieldset>
      <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
      <ErrorAlert problem={problem} />
      <button type="submit" className="primary" disabled={busy}>
        Record decision
      </button>
    </form>
  );
}
