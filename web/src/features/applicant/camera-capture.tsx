import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ErrorAlert } from '../../lib/error-alert.tsx';

function stopStream(stream: MediaStream | null) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * A camera preview with a picker when there are several cameras. The stream is stopped on
 * unmount and on `pagehide` (leaving or backgrounding the page on mobile), so the camera light
 * never stays on after the applicant has moved on.
 */
export function CameraCapture({
  onCapture,
  onCancel,
}: {
  onCapture: (photo: Blob) => void;
  onCancel: () => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const pickerId = useId();

  const release = useCallback(() => {
    stopStream(stream.current);
    stream.current = null;
    setReady(false);
  }, []);

  useEffect(() => {
    let cancelled = false;
    async function open() {
      try {
        const opened = await navigator.mediaDevices.getUserMedia({
          video: deviceId
            ? { deviceId: { exact: deviceId } }
            : { facingMode: { ideal: 'environment' }, width: { ideal: 1920 } },
          audio: false,
        });
        if (cancelled) {
          stopStream(opened);
          return;
        }
        stream.current = opened;
        if (video.current) {
          video.current.srcObject = opened;
          await video.current.play().catch(() => undefined);
        }
        setReady(true);
        // Labels are only readable once permission is granted, hence after getUserMedia.
        const devices = await navigator.mediaDevices.enumerateDevices();
        if (!cancelled) setCameras(devices.filter((device) => device.kind === 'videoinput'));
      } catch {
        if (!cancelled) {
          setProblem(
            'We could not use your camera. Allow camera access in your browser, or upload a photo instead.',
          );
        }
      }
    }
    void open();
    return () => {
      cancelled = true;
      release();
    };
  }, [deviceId, release]);

  useEffect(() => {
    window.addEventListener('pagehide', release);
    return () => window.removeEventListener('pagehide', release);
  }, [release]);

  function capture() {
    const element = video.current;
    if (!element || element.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = element.videoWidth;
    canvas.height = element.videoHeight;
    canvas.getContext('2d')?.drawImage(element, 0, 0);
    canvas.toBlob(
      (photo) => {
        if (!photo) return;
        release();
        onCapture(photo);
      },
      'image/jpeg',
      0.92,
    );
  }

  return (
    <div className="camera">
      <ErrorAlert problem={problem} />
      {cameras.length > 1 ? (
        <div className="field">
          <label htmlFor={pickerId}>Camera</label>
          <select
            id={pickerId}
            value={deviceId ?? stream.current?.getVideoTracks()[0]?.getSettings().deviceId ?? ''}
            onChange={(event) => {
              release();
              setDeviceId(event.target.value);
            }}
          >
            {cameras.map((camera, index) => (
              <option key={camera.deviceId} value={camera.deviceId}>
                {camera.label || `Camera ${index + 1}`}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <video ref={video} className="preview" muted playsInline aria-label="Camera preview" />
      <div className="actions">
        <button type="button" className="primary" onClick={capture} disabled={!ready}>
          Take photo
        </button>
        <button
          type="button"
          onClick={() => {
            release();
            onCancel();
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
