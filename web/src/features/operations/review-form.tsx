import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from '../../lib/error-message.ts';
import type { OperationsApi, ReviewRecord } from './operations-api.ts';

const minReasonLength = 3;

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
    if (reason.trim().length < minReasonLength) {
      setProblem('Give a reason for the decision (at least 3 characters).');
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
    <form onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>Decision</h3>
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
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason (required, kept on the case record)</label>
        <textarea
          id={`${id}-reason`}
          required
          minLength={minReasonLength}
          maxLength={1000}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        Record decision
      </button>
    </form>
  );
}
