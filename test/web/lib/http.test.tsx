// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, requestJson } from '../../../web/src/lib/http.ts';
import { apiUrl, fakeApi } from '../fake-api.ts';

const busy = (status: number, retryAfter: string, code?: string) =>
  new Response(JSON.stringify(code ? { code, message: 'Wait' } : { message: 'Busy' }), {
    status,
    headers: { 'content-type': 'application/json', 'retry-after': retryAfter },
  });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Runs a request while letting the fake clock run the waits it asks for. */
async function withClock<T>(request: Promise<T>): Promise<T> {
  const settled = request.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  const result = await settled;
  if ('error' in result) throw result.error;
  return result.value;
}

describe('requestJson on a busy service', () => {
  it('sends a 503 again after its Retry-After, and returns the answer that follows', async () => {
    vi.useFakeTimers();
    let answers = 0;
    const api = fakeApi({
      'POST /cases': () => (++answers < 3 ? busy(503, '2') : { status: 201, body: { ok: 1 } }),
    });
    await expect(
      withClock(requestJson(`${apiUrl}/cases`, { method: 'POST', body: { a: 1 } })),
    ).resolves.toEqual({ ok: 1 });
    expect(api.callsTo('POST', '/cases')).toHaveLength(3);
    expect(api.calls.every((call) => (call.body as { a: number }).a === 1)).toBe(true);
  });

  it('gives up after three retries with the service’s error', async () => {
    vi.useFakeTimers();
    const api = fakeApi({ 'GET /cases/c1': () => busy(503, '1') });
    const error = await withClock(requestJson(`${apiUrl}/cases/c1`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, retryAfterSeconds: 1 });
    expect(api.calls).toHaveLength(4);
  });

  it.each([
    ['a liveness cool-down', busy(429, '1800', 'LIVENESS_COOL_DOWN')],
    ['a short cool-down still for the page to explain', busy(429, '5', 'LIVENESS_COOL_DOWN')],
    ['a wait too long to hold the page', busy(503, '120')],
    ['a 503 that says nothing about when', new Response('{}', { status: 503 })],
  ])('does not retry %s', async (_, answer) => {
    const api = fakeApi({ 'POST /cases/c1/liveness-sessions': () => answer });
    await expect(
      requestJson(`${apiUrl}/cases/c1/liveness-sessions`, { method: 'POST', body: {} }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(api.calls).toHaveLength(1);
  });
});
