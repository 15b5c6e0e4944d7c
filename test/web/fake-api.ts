import { vi } from 'vitest';
import type { RuntimeConfig } from '../../web/src/lib/runtime-config.ts';

export const apiUrl = 'https://api.test';

export const localConfig: RuntimeConfig = {
  apiUrl,
  mode: 'local',
  region: 'us-east-1',
  liveness: { endpoint: 'http://127.0.0.1:4566' },
  auth: { kind: 'local' },
};

export interface RecordedCall {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

type Answer = { status?: number; body?: unknown } | Response;
type Route = (call: RecordedCall) => Answer | Promise<Answer>;

/**
 * Stubs `fetch` with answers by `METHOD path` (path without the query); every call is recorded.
 * An unexpected call fails the test instead of hanging it.
 */
export function fakeApi(routes: Record<string, Route>) {
  const calls: RecordedCall[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const raw = init.body;
    let body: unknown = raw;
    if (typeof raw === 'string') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const call = { method, url, headers: new Headers(init.headers), body };
    calls.push(call);
    const route =
      routes[`${method} ${url.pathname}`] ?? routes[`${method} ${url.origin}${url.pathname}`];
    if (!route) throw new Error(`Unexpected ${method} ${url.href}`);
    const answer = await route(call);
    if (answer instanceof Response) return answer;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchStub);
  return {
    calls,
    callsTo: (method: string, path: string) =>
      calls.filter((call) => call.method === method && call.url.pathname === path),
  };
}
