import { useId, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';
import { errorMessage } from '../../lib/error-message.ts';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';
import { type ApplicantApi, type CaseCredentials, UploadError } from './applicant-api.ts';
import { checkIdImage } from './id-image-check.ts';
import { IdPagePicker } from './id-page-picker.tsx';

interface IdStepProps {
  readonly api: ApplicantApi;
  readonly credentials: CaseCredentials;
  /** The workflow asked for a new photo of the ID (the first one could not be read). */
  readonly again: boolean;
  readonly onUploaded: () => Promise<void> | void;
  /** Set when the profile does not require an ID (age gate). */
  readonly onSkip?: () => void;
}

/** A US licence carries its data in the barcode on the back: the document check reads both. */
const documentTypes = [
  { value: 'passport', label: 'Passport', hasBack: false },
  { value: 'id-card', label: 'ID card', hasBack: false },
  { value: 'us-licence', label: 'US driver licence', hasBack: true },
] as const;
type DocumentType = (typeof documentTypes)[number]['value'];
type Page = 'front' | 'back';

export function IdStep({ api, credentials, again, onUploaded, onSkip }: IdStepProps) {
  const heading = useHeadingFocus();
  // The age gate asks for an ID only when it wants one: showing it is the applicant's choice.
  const optional = onSkip !== undefined && !again;
  const headingId = useId();
  const [documentType, setDocumentType] = useState<DocumentType>('passport');
  const [camera, setCamera] = useState<Page | null>(null);
  const [photos, setPhotos] = useState<Record<Page, Blob | null>>({ front: null, back: null });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsBack = documentTypes.some((type) => type.value === documentType && type.hasBack);
  const pages: readonly Page[] = needsBack ? ['front', 'back'] : ['front'];
  const ready = pages.every((page) => photos[page]) && camera === null;

  const picker = (page: Page, what: string, cameraLabel: string, previewAlt: string) => (
    <IdPagePicker
      what={what}
      cameraLabel={cameraLabel}
      previewAlt={previewAlt}
      photo={photos[page]}
      onPhoto={(photo, reason) => {
        setPhotos((current) => ({ ...current, [page]: photo }));
        setProblem(reason);
      }}
      cameraOpen={camera === page}
      onCamera={(open) => setCamera(open ? page : null)}
      disabled={busy || (camera !== null && camera !== page)}
    />
  );

  async function upload() {
    setBusy(true);
    setProblem(null);
    try {
      for (const page of pages) {
        const photo = photos[page];
        const check = photo ? checkIdImage(photo) : null;
        if (!photo || !check?.ok) return;
        await api.uploadIdImage(credentials, photo, check.type, page);
      }
      await onUploaded();
    } catch (error) {
      setProblem(error instanceof UploadError ? error.message : errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={headingId}>
      <h1 id={headingId} ref={heading} tabIndex={-1}>
        {again ? 'Show your ID again' : optional ? 'Your age: ID optional' : 'Photograph your ID'}
      </h1>
      <p>
        {again
          ? 'We could not read your ID. Take a new photo: flat, in good light, the whole document in view, no glare.'
          : optional
            ? 'An ID with your date of birth proves your age. You may also continue without one: the face check then estimates your age, and may ask for an ID if it cannot tell.'
            : 'Take a photo of your passport photo page or ID card, or upload one. The whole document must be visible and readable.'}
      </p>
      <fieldset className="document-types" disabled={busy || camera !== null}>
        <legend>Your document</legend>
        {documentTypes.map((type) => (
          <label key={type.value}>
            <input
              type="radio"
              name={`${headingId}-type`}
              value={type.value}
              checked={documentType === type.value}
              onChange={() => setDocumentType(type.value)}
            />{' '}
            {type.label}
          </label>
        ))}
      </fieldset>
      {needsBack ? <h2>Front of your licence</h2> : null}
      {picker('front', 'your ID', 'Use camera', 'Your ID photo, ready to send')}
      {needsBack ? (
        <>
          <h2>Back of your licence</h2>
          <p>The barcode on the back holds your details: the whole barcode must be sharp.</p>
          {picker(
            'back',
            'the back of your licence',
            'Use camera for the back',
            'Back of your licence, ready to send',
          )}
        </>
      ) : null}
      <ErrorAlert problem={problem} />
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!ready || busy}
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
