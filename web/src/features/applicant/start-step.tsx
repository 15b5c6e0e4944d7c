import { type FormEvent, useId, useState } from 'react';
import { useHeadingFocus } from '../../lib/use-heading-focus.ts';

/**
 * Consent before anything is created: the check records the applicant's face and ID, and the
 * face check flashes colours, so the photosensitivity warning comes first, as on AWS's screens.
 */
export function StartStep({ onStart }: { onStart: () => void }) {
  const heading = useHeadingFocus();
  const [agreed, setAgreed] = useState(false);
  const [missingConsent, setMissingConsent] = useState(false);
  const consentId = useId();
  const errorId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!agreed) {
      setMissingConsent(true);
      return;
    }
    onStart();
  }

  return (
    <section aria-labelledby={`${consentId}-heading`}>
      <h1 id={`${consentId}-heading`} ref={heading} tabIndex={-1}>
        Verify your identity
      </h1>
      <p>It takes about three minutes. You will need:</p>
      <ul>
        <li>your passport or ID card, to photograph or upload;</li>
        <li>a device with a camera, in a well-lit place, for a short face check.</li>
      </ul>
      <div className="warning" role="note" aria-label="Photosensitivity warning">
        <h2>Photosensitivity warning</h2>
        <p>
          The face check shows flashing colours on your screen. Use caution if you are
          photosensitive. If you have a history of seizures triggered by light, do not continue:
          contact us for another way to verify.
        </p>
      </div>
      <form onSubmit={submit} noValidate>
        <div className="field-check">
          <input
            id={consentId}
            type="checkbox"
            checked={agreed}
            aria-describedby={missingConsent ? errorId : undefined}
            aria-invalid={missingConsent && !agreed}
            onChange={(event) => {
              setAgreed(event.target.checked);
              if (event.target.checked) setMissingConsent(false);
            }}
          />
          <label htmlFor={consentId}>
            I agree that my ID photo and images of my face are processed to verify my identity, and
            kept only as long as the law requires.
          </label>
        </div>
        {missingConsent && !agreed ? (
          <p id={errorId} className="error" role="alert">
            Tick the box to agree before you start.
          </p>
        ) : null}
        <button type="submit" className="primary">
          Start
        </button>
      </form>
    </section>
  );
}
