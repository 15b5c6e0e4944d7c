import { randomUUID } from 'node:crypto';
/**
 * A small client of the applicant routes, as the web app uses them: for the end-to-end tests,
 * the benchmarks and demos against a running stack.
 */
export interface CreatedCase {
  readonly caseId: string;
  readonly caseSecret: string;
  readonly livenessSessionId: string;
  readonly idUpload: { readonly url: string; readonly headers: Readonly<Record<string, string>> };
}

export interface CaseView {
  readonly caseId: string;
  readonly status: string;
  readonly nextStep: string;
}

export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

export interface ApplicantClientOptions {
  /** Further attempts after a 429 or 503 (default 8); each waits as Retry-After says. */
  readonly maxRetries?: number;
  /** Wait when a 429/503 has no Retry-After, doubled per attempt (default 200 ms). */
  readonly retryBaseMs?: number;
  /** Sees every HTTP status answered, retried ones included (load figures). */
  readonly onResponse?: (status: number) => void;
  /**
   * The device the liveness limits count attempts by, as the web app keeps one per browser;
   * a new one per client by default, so that clients on one machine are separate devices.
   */
  readonly deviceId?: string;
}

const RETRYABLE_STATUSES = new Set([429, 503]);
// A Retry-After beyond this is not waited for: the call fails instead.
const MAX_RETRY_AFTER_MS = 30_000;

/** Milliseconds Retry-After asks for (delta-seconds or an HTTP date), undefined without one. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class ApplicantClient {
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  readonly deviceId: string;

  constructor(
    private readonly apiUrl: string,
    private readonly options: ApplicantClientOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 8;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.deviceId = options.deviceId ?? randomUUID();
  }

  /**
   * Sends a request again after a 429 or 503 as its Retry-After asks (the API answers so when
   * it is over capacity or a dependency throttles): a request refused that way was not done.
   */
  private async fetchWithRetry(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(url, init);
      this.options.onResponse?.(response.status);
      if (!RETRYABLE_STATUSES.has(response.status) || attempt >= this.maxRetries) {
        return response;
      }
      const wait =
        retryAfterMs(response.headers.get('retry-after')) ?? this.retryBaseMs * 2 ** attempt;
      if (wait > MAX_RETRY_AFTER_MS) return response;
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async call<T>(path: string, init: RequestInit, secret?: string): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('content-type', 'application/json');
    if (secret) headers.set('x-case-secret', secret);
    const response = await this.fetchWithRetry(`${this.apiUrl}${path}`, { ...init, headers });
    const body = (await response.json()) as unknown;
    if (!response.ok) throw new ApiCallError(response.status, body);
    return body as T;
  }

  createCase(profile: string, clientToken: string): Promise<CreatedCase> {
    return this.call('/cases', {
      method: 'POST',
      body: JSON.stringify({ profile, clientToken, deviceId: this.deviceId }),
    });
  }

  async uploadIdImage(
    created: CreatedCase,
    image: Uint8Array,
    target: CreatedCase['idUpload'] = created.idUpload,
  ): Promise<void> {
    const response = await this.fetchWithRetry(target.url, {
      method: 'PUT',
      headers: target.headers,
      body: image,
    });
    if (!response.ok) throw new ApiCallError(response.status, await response.text());
  }

  /** A new create-only upload URL for a page of the case's current ID attempt. */
  async newIdUpload(
    created: CreatedCase,
    contentType: 'image/jpeg' | 'image/png',
    page: 'front' | 'back' = 'front',
  ): Promise<CreatedCase['idUpload']> {
    const { idUpload } = await this.call<{ idUpload: CreatedCase['idUpload'] }>(
      `/cases/${created.caseId}/id-upload-url`,
      { method: 'POST', body: JSON.stringify({ contentType, page }) },
      created.caseSecret,
    );
    return idUpload;
  }

  /** The back page of a two-sided ID (a US licence's barcode side): its own URL, then the PUT. */
  async uploadIdBack(
    created: CreatedCase,
    image: Uint8Array,
    contentType: 'image/jpeg' | 'image/png',
  ): Promise<void> {
    await this.uploadIdImage(created, image, await this.newIdUpload(created, contentType, 'back'));
  }

  submit(created: CreatedCase, livenessSessionId?: string): Promise<CaseView> {
    return this.call(
      `/cases/${created.caseId}/submit`,
      { method: 'POST', body: JSON.stringify(livenessSessionId ? { livenessSessionId } : {}) },
      created.caseSecret,
    );
  }

  async newLivenessSession(created: CreatedCase, clientToken: string): Promise<string> {
    const body = await this.call<{ livenessSessionId: string }>(
      `/cases/${created.caseId}/liveness-sessions`,
      { method: 'POST', body: JSON.stringify({ clientToken, deviceId: this.deviceId }) },
      created.caseSecret,
    );
    return body.livenessSessionId;
  }

  status(created: CreatedCase): Promise<CaseView> {
    return this.call(`/cases/${created.caseId}`, { method: 'GET' }, created.caseSecret);
  }

  /** Polls the status route, as the web app does, until `done` holds or the time is up. */
  async waitFor(
    created: CreatedCase,
    done: (view: CaseView) => boolean,
    timeoutMs = 90_000,
    intervalMs = 100,
  ): Promise<CaseView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.status(created);
      if (done(view)) return view;
      if (Date.now() > deadline) throw new Error(`Case ${created.caseId} still ${view.status}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** The case has left processing: a verdict, a review, or a step for the applicant. */
export const settled = (view: CaseView): boolean => view.status !== 'IN_PROGRESS';

/** The case has its verdict. */
export const decided = (view: CaseView): boolean => view.nextStep === 'NONE';
