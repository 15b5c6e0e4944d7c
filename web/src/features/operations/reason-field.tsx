/** Reviews and erasures go on the case record with the operator's reason. */
const minReasonLength = 3;
const maxReasonLength = 1000;

/** What is wrong with a reason for `what` (e.g. "the decision"), or null when it will do. */
export function reasonProblem(reason: string, what: string): string | null {
  return reason.trim().length < minReasonLength
    ? `Give a reason for ${what} (at least ${minReasonLength} characters).`
    : null;
}

export function ReasonField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Reason (required, kept on the case record)</label>
      <textarea
        id={id}
        required
        minLength={minReasonLength}
        maxLength={maxReasonLength}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
