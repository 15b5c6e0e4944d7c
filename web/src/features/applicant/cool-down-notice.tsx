import { ApiError } from '../../lib/http.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';

/** Seconds to wait when the API refused a face check for too many failed attempts, else null. */
export function coolDownOf(error: unknown): number | null {
  return error instanceof ApiError && error.code === 'LIVENESS_COOL_DOWN'
    ? (error.retryAfterSeconds ?? 0)
    : null;
}

function inAbout(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  if (minutes <= 1) return 'in a minute';
  return `in ${minutes} minutes`;
}

/**
 * What the applicant sees while the API's liveness cool-down lasts: how long to wait, not why
 * in any detail (no count, no score), and a way to try again afterwards.
 */
export function CoolDownNotice({
  retryAfterSeconds,
  onRetry,
}: {
  retryAfterSeconds: number;
  onRetry: () => void;
}) {
  const heading = useHeadingFocus();
  return (
    <section aria-labelledby="cool-down-heading">
      <h1 id="cool-down-heading" ref={heading} tabIndex={-1}>
        Too many attempts
      </h1>
      <p role="alert">
        For your security, the face check is paused after several unsuccessful attempts. Please try
        again {inAbout(retryAfterSeconds)}.
      </p>
      <button type="button" className="primary" onClick={onRetry}>
        Try again
      </button>
    </section>
  );
}
