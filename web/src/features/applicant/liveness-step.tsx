import { Component, lazy, type ReactNode, Suspense, useState } from 'react';
import { useRuntimeConfig } from '../../lib/config-context.tsx';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';

const LivenessDetector = lazy(() => import('./liveness-detector.tsx'));

/** What the applicant reads for each of the detector's error states; all lead to a new session. */
const errorWording: Readonly<Record<string, string>> = {
  CONNECTION_TIMEOUT: 'The connection timed out.',
  SERVER_ERROR: 'The face check service had a problem.',
  TIMEOUT: 'The check took too long: keep your face inside the oval.',
  FRESHNESS_TIMEOUT: 'The check took too long: keep your face inside the oval.',
  FACE_DISTANCE_ERROR: 'Start with your face further from the camera.',
  MULTIPLE_FACES_ERROR: 'Only one face may be in view.',
  CAMERA_ACCESS_ERROR: 'We could not use your camera. Allow camera access and try again.',
  CAMERA_FRAMERATE_ERROR: 'Your camera is too slow for the check. Try another camera or device.',
  DEFAULT_CAMERA_NOT_FOUND_ERROR: 'No camera was found.',
  MOBILE_LANDSCAPE_ERROR: 'Hold your phone upright (portrait) and try again.',
  CANCELLED: 'You stopped the check.',
  SESSION_EXPIRED:
    'The face check expired: it must be started within 3 minutes. Start it when you are ready.',
};

/**
 * The detector reports any refusal of the stream as SERVER_ERROR; past the session's expiry
 * that refusal is the expiry, and the applicant is told so rather than blaming the service.
 */
function failureOf(state: string, expiresAt: number | undefined): string {
  return state === 'SERVER_ERROR' && expiresAt !== undefined && Date.now() >= expiresAt
    ? 'SESSION_EXPIRED'
    : state;
}

class ChunkErrorBoundary extends Component<
  { children: ReactNode; fallback: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

interface LivenessStepProps {
  /** A session the backend created for this attempt; sessions are single-use. */
  readonly sessionId: string;
  /** When the session expires (epoch ms, this device's clock), if known. */
  readonly expiresAt?: number;
  readonly onComplete: (sessionId: string) => Promise<void>;
  /** Asks the backend for a new session: a failed or cancelled session is never reused. */
  readonly onNewSession: () => void;
}

export function LivenessStep({
  sessionId,
  expiresAt,
  onComplete,
  onNewSession,
}: LivenessStepProps) {
  const config = useRuntimeConfig();
  const heading = useHeadingFocus();
  const [failure, setFailure] = useState<string | null>(null);

  const retry = (
    <div className="actions">
      <button type="button" className="primary" onClick={onNewSession}>
        Try again
      </button>
    </div>
  );

  return (
    <section aria-labelledby="liveness-heading">
      <h1 id="liveness-heading" ref={heading} tabIndex={-1}>
        Face check
      </h1>
      {failure ? (
        <>
          <p className="error" role="alert">
            {errorWording[failure] ?? 'The face check did not work.'} Start a new check to continue.
          </p>
          {retry}
        </>
      ) : (
        <ChunkErrorBoundary
          fallback={
            <>
              <p className="error" role="alert">
                The face check could not be loaded. Check your connection and try again.
              </p>
              {retry}
            </>
          }
        >
          <Suspense fallback={<p aria-live="polite">Loading the face check…</p>}>
            <LivenessDetector
              key={sessionId}
              config={config}
              sessionId={sessionId}
              onAnalysisComplete={() => onComplete(sessionId)}
              onError={(state) => setFailure(failureOf(state, expiresAt))}
              onUserCancel={() => setFailure('CANCELLED')}
            />
          </Suspense>
        </ChunkErrorBoundary>
      )}
    </section>
  );
}
