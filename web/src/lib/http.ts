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

/** Calls a JSON route of the API and turns its `{code, message}` errors into `ApiError`s. */
export async function requestJson<T>(url: string, request: JsonRequest = {}): Promise<T> {
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
