import { useEffect, useId, useState } from 'react';
import { CameraCapture } from './camera-capture.tsx';
import { checkIdImage } from './id-image-check.ts';

interface IdPagePickerProps {
  /** Says which page: "your ID", "the back of your licence". */
  readonly what: string;
  readonly cameraLabel: string;
  readonly previewAlt: string;
  readonly photo: Blob | null;
  /** A usable photo, or null with the reason it is not. */
  readonly onPhoto: (photo: Blob | null, problem: string | null) => void;
  readonly cameraOpen: boolean;
  readonly onCamera: (open: boolean) => void;
  readonly disabled: boolean;
}

/** Camera or file for one page of the ID, checked on the device, with its preview. */
export function IdPagePicker({
  what,
  cameraLabel,
  previewAlt,
  photo,
  onPhoto,
  cameraOpen,
  onCamera,
  disabled,
}: IdPagePickerProps) {
  const fileId = useId();
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(() => {
    if (!photo) return;
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);

  function take(candidate: Blob) {
    const check = checkIdImage(candidate);
    if (check.ok) onPhoto(candidate, null);
    else onPhoto(null, check.message);
  }

  return (
    <>
      {cameraOpen ? (
        <CameraCapture
          onCapture={(captured) => {
            onCamera(false);
            take(captured);
          }}
          onCancel={() => onCamera(false)}
        />
      ) : (
        <div className="choices">
          <button type="button" onClick={() => onCamera(true)} disabled={disabled}>
            {cameraLabel}
          </button>
          <div className="field">
            <label htmlFor={fileId}>Or upload a photo of {what} (JPEG or PNG, up to 5 MB)</label>
            <input
              id={fileId}
              type="file"
              accept="image/jpeg,image/png"
              disabled={disabled}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) take(file);
              }}
            />
          </div>
        </div>
      )}
      {photo && preview && !cameraOpen ? (
        <figure className="id-preview">
          <img src={preview} alt={previewAlt} />
        </figure>
      ) : null}
    </>
  );
}
