import { useMemo, useState } from 'react';
import { useRuntimeConfig } from '../../lib/config-context.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import { ApiError } from '../../lib/http.ts';
import { useSingleFlight } from '../../lib/use-single-flight.ts';
import { applicantApi, type ProfileId } from './applicant-api.ts';
import {
  attemptToken,
  finishAttempt,
  forgetCase,
  loadCase,
  SESSION_LIFETIME_MS,
  type StoredCase,
  saveCase,
  usableSession,
} from './case-storage.ts';
import { CoolDownNotice, coolDownOf } from './cool-down-notice.tsx';
import { IdStep } from './id-step.tsx';
import { LivenessStep } from './liveness-step.tsx';
import { StartStep } from './start-step.tsx';
import { StatusStep } from './status-step.tsx';

/** A session interrupted by a reload may already be spent: a resumed face check gets a new one. */
function resumedCase(): StoredCase | null {
  const stored = loadCase();
  if (stored?.stage !== 'liveness') return stored;
  const { livenessSessionId: _spent, ...rest } = stored;
  return rest;
}

function Pending({ label, error, retry }: { label: string; error: unknown; retry: () => void }) {
  const coolDown = coolDownOf(error);
  if (coolDown !== null) return <CoolDownNotice retryAfterSeconds={coolDown} onRetry={retry} />;
  return error ? (
    <section aria-labelledby="pending-heading">
      <h1 id="pending-heading">Something went wrong</h1>
      <p className="error" role="alert">
        {errorMessage(error)}
      </p>
      <button type="button" className="primary" onClick={retry}>
        Try again
      </button>
    </section>
  ) : (
    <p role="status" aria-live="polite">
      {label}
    </p>
  );
}

/**
 * A step that only waits for the backend (creating the case, a new liveness session). It
 * starts its request on mount, which StrictMode runs twice: the single flight and the attempt
 * token make that one request, and one case or session.
 */
function BackendStep<T>({
  label,
  flightKey,
  run,
  onDone,
}: {
  label: string;
  flightKey: string;
  run: () => Promise<T>;
  onDone: (value: T) => void;
}) {
  const flight = useSingleFlight(flightKey, run, onDone);
  return <Pending label={label} {...flight} />;
}

export function ApplicantApp({
  profile,
  pollIntervalMs,
}: {
  profile: ProfileId;
  pollIntervalMs?: number;
}) {
  const config = useRuntimeConfig();
  const api = useMemo(() => applicantApi(config.apiUrl), [config.apiUrl]);
  const [stored, setStored] = useState<StoredCase | null>(resumedCase);
  const [starting, setStarting] = useState(false);
  const [failedSubmit, setFailedSubmit] = useState<{
    error: unknown;
    livenessSessionId: string | undefined;
  } | null>(null);

  const update = (next: StoredCase) => {
    saveCase(next);
    setStored(next);
  };

  if (!stored) {
    if (!starting) return <StartStep onStart={() => setStarting(true)} />;
    return (
      <BackendStep
        label="Preparing your verification…"
        flightKey={`create:${attemptToken('create-case')}`}
        run={() => api.createCase(profile, attemptToken('create-case'))}
        onDone={(created) => {
          finishAttempt('create-case');
          setStarting(false);
          update({ ...created, profile, stage: 'id', livenessSessionAt: Date.now() });
        }}
      />
    );
  }

  const credentials = stored;
  const toStatus = () => {
    const { livenessSessionId: _used, resubmittingId: _done, ...rest } = stored;
    update({ ...rest, stage: 'status' });
  };

  async function submit(livenessSessionId?: string) {
    setFailedSubmit(null);
    try {
      await api.submit(credentials, livenessSessionId);
      toStatus();
    } catch (error) {
      // A conflict means an earlier try got through (its answer was lost) or the case moved
      // on: the status page knows what the case expects now.
      if (error instanceof ApiError && error.status === 409) toStatus();
      else setFailedSubmit({ error, livenessSessionId });
    }
  }

  if (failedSubmit) {
    return (
      <Pending
        label=""
        error={failedSubmit.error}
        retry={() => void submit(failedSubmit.livenessSessionId)}
      />
    );
  }

  switch (stored.stage) {
    case 'id':
      return (
        <IdStep
          api={api}
          credentials={credentials}
          again={stored.resubmittingId === true}
          onUploaded={() =>
            stored.resubmittingId ? submit() : update({ ...stored, stage: 'liveness' })
          }
          {...(stored.profile === 'age-gate'
            ? { onSkip: () => update({ ...stored, stage: 'liveness' }) }
            : {})}
        />
      );
    case 'liveness': {
      const sessionId = usableSession(stored);
      if (!sessionId) {
        return (
          <BackendStep
            label="Preparing the face check…"
            flightKey={`session:${attemptToken('liveness-session')}`}
            run={() =>
              api
                .newLivenessSession(stored, attemptToken('liveness-session'))
                .catch((error: unknown) => {
                  // The case no longer expects a check (submitted before a reload, or from
                  // another tab): its status says what comes next.
                  if (error instanceof ApiError && error.code === 'CASE_STATE_CONFLICT') {
                    return null;
                  }
                  throw error;
                })
            }
            onDone={(livenessSessionId) => {
              finishAttempt('liveness-session');
              if (livenessSessionId) {
                update({ ...stored, livenessSessionId, livenessSessionAt: Date.now() });
              } else toStatus();
            }}
          />
        );
      }
      return (
        <LivenessStep
          sessionId={sessionId}
          {...(stored.livenessSessionAt === undefined
            ? {}
            : { expiresAt: stored.livenessSessionAt + SESSION_LIFETIME_MS })}
          onComplete={(sessionId) => submit(sessionId)}
          onNewSession={() => {
            const { livenessSessionId: _spent, livenessSessionAt: _at, ...rest } = stored;
            update(rest);
          }}
        />
      );
    }
    case 'status':
      return (
        <StatusStep
          api={api}
          credentials={credentials}
          {...(pollIntervalMs ? { pollIntervalMs } : {})}
          onRetryLiveness={() => {
            const { livenessSessionId: _submitted, ...rest } = stored;
            update({ ...rest, stage: 'liveness' });
          }}
          onResubmitId={() => update({ ...stored, stage: 'id', resubmittingId: true })}
          onContinue={() => update({ ...stored, stage: 'id' })}
          onStartOver={() => {
            forgetCase();
            setStored(null);
          }}
        />
      );
  }
}
