import { useEffect, useId, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import { type ApplicantApi, type CaseCredentials, UploadError } from './applicant-api.ts';
import { CameraCapture } from './camera-capture.tsx';
import { checkIdImage } from './id-image-check.ts';

interface IdStepProps {
  readonly api: ApplicantApi;
  readonly credentials: CaseCredentials;
  /** The workflow asked for a new photo of the ID (the first one could not be read). */
  readonly again: boolean;
  readonly onUploaded: () => Promise<void> | void;
  /** Set when the profile does not require an ID (age gate). */
  readonly onSkip?: () => void;
}

export function IdStep({ api, credentials, again, onUploaded, onSkip }: IdStepProps) {
  const heading = useHeadingFocus();
  // The age gate asks for an ID only when it wants one: showing it is the applicant's choice.
  const optional = onSkip !== undefined && !again;
  const fileId = useId();
  const [mode, setMode] = useState<'choose' | 'camera'>('choose');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!photo) return;
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);

  function take(candidate: Blob) {
    const check = checkIdImage(candidate);
    if (!check.ok) {
      setPhoto(null);
      setProblem(check.message);
      return;
    }
    setProblem(null);
    setPhoto(candidate);
  }

  async function upload() {
    if (!photo) return;
    const check = checkIdImage(photo);
    if (!check.ok) return;
    setBusy(true);
    setProblem(null);
    try {
      await api.uploadIdImage(credentials, photo, check.type);
      await onUploaded();
    } catch (error) {
      setProblem(error instanceof UploadError ? error.message : errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${fileId}-heading`}>
      <h1 id={`${fileId}-heading`} ref={heading} tabIndex={-1}>
        {again ? 'Show your ID again' : optional ? 'Your age: ID optional' : 'Photograph your ID'}
      </h1>
      <p>
        {again
          ? 'We could not read your ID. Take a new photo: flat, in good light, the whole document in view, no glare.'
          : optional
            ? 'An ID with your date of birth proves your age. You may also continue without one: the face check then estimates your age, and may ask for an ID if it cannot tell.'
            : 'Take a photo of your passport photo page or ID card, or upload one. The whole document must be visible and readable.'}
      </p>
      {mode === 'camera' ? (
        <CameraCapture
          onCapture={(captured) => {
            setMode('choose');
            take(captured);
          }}
          onCancel={() => setMode('choose')}
        />
      ) : (
        <div className="choices">
          <button type="button" onClick={() => setMode('camera')} disabled={busy}>
            Use camera
          </button>
          <div className="field">
            <label htmlFor={fileId}>Or upload a photo of your ID (JPEG or PNG, up to 5 MB)</label>
            <input
              id={fileId}
              type="file"
              accept="image/jpeg,image/png"
              disabled={busy}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) take(file);
              }}
            />
          </div>
        </div>
      )}
      <ErrorAlert problem={problem} />
      {photo && preview && mode === 'choose' ? (
        <figure className="id-preview">
          <img src={preview} alt="Your ID photo, ready to send" />
        </figure>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!photo || busy || mode === 'camera'}
          onClick={() => void upload()}
        >
          {busy ? 'Sending…' : 'Send and continue'}
        </button>
        {onSkip && !again ? (
          <button type="button" onClick={onSkip} disabled={busy}>
            Continue without an ID
          </button>
        ) : null}
      </div>
    </section>
  );
}
