// @vitest-environment jsdom
import '../setup.ts';
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CameraCapture } from '../../../web/src/features/applicant/camera-capture.tsx';

function fakeCamera() {
  const stop = vi.fn();
  const stream = {
    getTracks: () => [{ stop }],
    getVideoTracks: () => [{ stop, getSettings: () => ({ deviceId: 'back' }) }],
  } as unknown as MediaStream;
  const getUserMedia = vi.fn(async () => stream);
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: {
      getUserMedia,
      enumerateDevices: async () => [
        { kind: 'videoinput', deviceId: 'back', label: 'Back camera' },
        { kind: 'videoinput', deviceId: 'front', label: 'Front camera' },
        { kind: 'audioinput', deviceId: 'mic', label: 'Microphone' },
      ],
    },
  });
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  return { stop, getUserMedia };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('applicant: camera', () => {
  it('offers a picker when there are several cameras and releases the camera on unmount', async () => {
    const camera = fakeCamera();
    const view = render(<CameraCapture onCapture={vi.fn()} onCancel={vi.fn()} />);

    const picker = await screen.findByRole('combobox', { name: 'Camera' });
    expect([...(picker as HTMLSelectElement).options].map((option) => option.text)).toEqual([
      'Back camera',
      'Front camera',
    ]);
    expect(screen.getByRole('button', { name: 'Take photo' })).toBeEnabled();
    view.unmount();
    expect(camera.stop).toHaveBeenCalled();
  });

  it('stops the camera when the page is hidden (leaving it, or backgrounding on mobile)', async () => {
    const camera = fakeCamera();
    render(<CameraCapture onCapture={vi.fn()} onCancel={vi.fn()} />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Take photo' })).toBeEnabled());

    window.dispatchEvent(new Event('pagehide'));
    expect(camera.stop).toHaveBeenCalled();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Take photo' })).toBeDisabled());
  });
});
