const deviceKey = 'kyc.device.id';

/**
 * A random id for this browser, made once and kept in localStorage (unlike the case, which
 * lives in sessionStorage): the liveness limits count failed face checks per device, and a new
 * tab is the same device. It identifies nothing about the person. Without storage (private
 * modes may refuse it) none is sent, and the API counts by network address instead.
 */
export function deviceId(): string | undefined {
  try {
    const existing = localStorage.getItem(deviceKey);
    if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
    const created = crypto.randomUUID();
    localStorage.setItem(deviceKey, created);
    return created;
  } catch {
    return undefined;
  }
}
