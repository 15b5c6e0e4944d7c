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

export class ApplicantClient {
  constructor(private readonly apiUrl: string) {}

  private async call<T>(path: string, init: RequestInit, secret?: string): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('content-type', 'application/json');
    if (secret) headers.set('x-case-secret', secret);
    const response = await fetch(`${this.apiUrl}${path}`, { ...init, headers });
    const body = (await response.json()) as unknown;
    if (!response.ok) throw new ApiCallError(response.status, body);
    return body as T;
  }

  createCase(profile: string, clientToken: string): Promise<CreatedCase> {
    return this.call('/cases', { method: 'POST', body: JSON.stringify({ profile, clientToken }) });
  }

  async uploadIdImage(created: CreatedCase, image: Uint8Array): Promise<void> {
    const response = await fetch(created.idUpload.url, {
      method: 'PUT',
      headers: created.idUpload.headers,
      body: image,
    });
    if (!response.ok) throw new ApiCallError(response.status, await response.text());
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
      { method: 'POST', body: JSON.stringify({ clientToken }) },
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
