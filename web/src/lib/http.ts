/** An API answer outside 2xx, with the machine-readable code the API puts in its body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From a 429 or 503: how long to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The API repeats Retry-After in the body: a browser on another origin may not read the header. */
function retryAfterOf(response: Response, body: Record<string, unknown>): number | undefined {
  const value = body.retryAfterSeconds ?? response.headers.get('retry-after');
  const seconds = Number(value);
  return value !== null && value !== undefined && Number.isFinite(seconds) && seconds >= 0
    ? seconds
    : undefined;
}

/** Network failure (offline, DNS, CORS refused): the request never got an HTTP answer. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

export interface JsonRequest {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/**
 * A busy service (503, or a 429 that is not a limit on the applicant) asks to come back in a
 * few seconds; the request is sent again, at most this many times and waits. Longer waits,
 * such as a liveness cool-down, go to the page to explain.
 */
const BUSY_RETRIES = 3;
const BUSY_WAIT_LIMIT_SECONDS = 10;
const applicantLimits = new Set(['LIVENESS_COOL_DOWN', 'LIVENESS_SESSION_LIMIT']);

function worthRetrying(error: ApiError): error is ApiError & { retryAfterSeconds: number } {
  return (
    (error.status === 503 || (error.status === 429 && !applicantLimits.has(error.code))) &&
    error.retryAfterSeconds !== undefined &&
    error.retryAfterSeconds <= BUSY_WAIT_LIMIT_SECONDS
  );
}

function wait(seconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, Math.max(0.1, seconds) * 1000);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

async function requestOnce<T>(url: string, request: JsonRequest): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? 'GET',
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError('The service could not be reached');
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
      typeof body.message === 'string' ? body.message : response.statusText,
      retryAfterOf(response, body),
    );
  }
  return body as T;
}

/**
 * Calls a JSON route of the API and turns its `{code, message}` errors into `ApiError`s. Every
 * POST of the API is idempotent (client tokens, state checks), so a busy answer is retried.
 */
export async function requestJson<T>(url: string, request: JsonRequest = {}): Promise<T> {
  for (let retries = 0; ; retries++) {
    try {
      return await requestOnce<T>(url, request);
    } catch (error) {
      if (!(error instanceof ApiError) || !worthRetrying(error) || retries >= BUSY_RETRIES) {
        throw error;
      }
      await wait(error.retryAfterSeconds, request.signal);
    }
  }
}

/** A URL with only the query parameters that have a value. */
export function withQuery(
  base: string,
  query: Readonly<Record<string, string | undefined>>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}
