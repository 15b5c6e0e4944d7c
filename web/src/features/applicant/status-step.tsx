import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import { ApiError } from '../../lib/http.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import type { ApplicantApi, CaseCredentials, CaseView } from './applicant-api.ts';

interface StatusStepProps {
  readonly api: ApplicantApi;
  readonly credentials: CaseCredentials;
  readonly onRetryLiveness: () => void;
  readonly onResubmitId: () => void;
  readonly onContinue: () => void;
  readonly onStartOver: () => void;
  readonly pollIntervalMs?: number;
}

/** Polling stops once the case needs the applicant or has its verdict. */
const keepsPolling = (view: CaseView | null) => view === null || view.nextStep === 'WAIT';

/**
 * Advice that fits how the last check ended: one that could not be completed (too few frames
 * reached the service, the connection dropped) is not a matter of light.
 */
function retryText(advice: CaseView['retryAdvice']): string {
  switch (advice) {
    case 'COMPLETE_THE_CHECK':
      return 'The face check could not be completed. Keep this page open and in front until it ends, close other apps, and try again.';
    case 'FACE_AND_LIGHT':
      return 'The face check did not work this time. Please try again in good light, with your face inside the oval.';
    default:
      return 'The face check did not work this time. Please try again.';
  }
}

interface Wording {
  readonly title: string;
  readonly text: string;
}

/**
 * One message per applicant status. A rejection stays generic on purpose: the reasons would
 * tell an impostor what to change.
 */
function wording(view: CaseView): Wording {
  switch (view.status) {
    case 'APPROVED':
      return { title: 'You are verified', text: 'Thank you. Your identity has been confirmed.' };
    case 'REJECTED':
      return {
        title: 'We could not verify your identity',
        text: 'We are unable to complete your verification online. If you think this is a mistake, contact us.',
      };
    case 'UNDER_REVIEW':
      return {
        title: 'Your verification is being reviewed',
        text: 'A member of our team is checking your details. You can keep this page open or come back later.',
      };
    case 'EXPIRED':
      return {
        title: 'This verification has expired',
        text: 'It was not finished in time. You can start a new one.',
      };
    case 'ACTION_REQUIRED':
      return view.nextStep === 'RESUBMIT_ID'
        ? {
            title: 'Show your ID again',
            text: 'We could not read your ID clearly. Please take a new photo of it.',
          }
        : { title: 'Let us try the face check again', text: retryText(view.retryAdvice) };
    case 'IN_PROGRESS':
      return view.nextStep === 'COMPLETE_AND_SUBMIT'
        ? { title: 'Your verification is not finished', text: 'Continue where you left off.' }
        : { title: 'Checking your details', text: 'This usually takes less than a minute.' };
  }
}

export function StatusStep({
  api,
  credentials,
  onRetryLiveness,
  onResubmitId,
  onContinue,
  onStartOver,
  pollIntervalMs = 2000,
}: StatusStepProps) {
  const heading = useHeadingFocus();
  const [view, setView] = useState<CaseView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [lost, setLost] = useState(false);
  const polling = keepsPolling(view) && !lost;

  useEffect(() => {
    if (!polling) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    async function poll() {
      try {
        const next = await api.status(credentials, controller.signal);
        failures = 0;
        setProblem(null);
        setView({
          status: next.status,
          nextStep: next.nextStep,
          ...(next.retryAdvice ? { retryAdvice: next.retryAdvice } : {}),
        });
        if (!keepsPolling(next)) return;
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
          setLost(true);
          return;
        }
        failures += 1;
        setProblem(errorMessage(error));
      }
      // Back off while the service is failing; a review can take days, so no hurry there.
      timer = setTimeout(poll, pollIntervalMs * Math.min(2 ** failures, 16));
    }
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, credentials, polling, pollIntervalMs]);

  const message = lost
    ? {
        title: 'We could not find your verification',
        text: 'It may have expired. You can start a new one.',
      }
    : view
      ? wording(view)
      : { title: 'Checking your details', text: 'This usually takes less than a minute.' };

  return (
    <section aria-labelledby="status-heading">
      <h1 id="status-heading" ref={heading} tabIndex={-1}>
        Your verification
      </h1>
      <div className="status" role="status" aria-live="polite" aria-atomic="true">
        <h2>{message.title}</h2>
        <p>{message.text}</p>
      </div>
      <ErrorAlert problem={problem} />
      <div className="actions">
        {view?.nextStep === 'RETRY_LIVENESS' ? (
          <button type="button" className="primary" onClick={onRetryLiveness}>
            Try again
          </button>
        ) : null}
        {view?.nextStep === 'RESUBMIT_ID' ? (
          <button type="button" className="primary" onClick={onResubmitId}>
            Show your ID again
          </button>
        ) : null}
        {view?.nextStep === 'COMPLETE_AND_SUBMIT' ? (
          <button type="button" className="primary" onClick={onContinue}>
            Continue
          </button>
        ) : null}
        {lost || view?.status === 'EXPIRED' ? (
          <button type="button" className="primary" onClick={onStartOver}>
            Start again
          </button>
        ) : null}
      </div>
    </section>
  );
}
