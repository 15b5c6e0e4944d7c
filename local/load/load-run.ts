/**
 * N full onboardings at once against the local stack's HTTP API, as applicants would run
 * them: create the case, upload the ID photo to its presigned URL, complete the liveness
 * check, submit, poll until the case leaves processing. Reports latency percentiles, every
 * error answer by status, and the cases that never reached a verdict.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { ApplicantClient, type CreatedCase, settled } from '../applicant-client.js';

export const LOAD_LIMITS = Object.freeze({ maxCases: 1000, maxConcurrency: 200, maxSeconds: 900 });

export interface LoadOptions {
  /** Base URL of the API; only loopback addresses are accepted. */
  readonly apiUrl: string;
  /** Stands in for the applicant's FaceLivenessDetector check of the case's session. */
  readonly completeLiveness: (livenessSessionId: string) => Promise<void>;
  readonly idImage: Uint8Array;
  readonly cases: number;
  readonly concurrency: number;
  /** The whole run stops waiting after this; cases not decided by then count as lost. */
  readonly timeoutSeconds: number;
  readonly profile?: string;
  /** Polling interval of each case's status, as the web app polls. */
  readonly pollIntervalMs?: number;
  /**
   * The execution history of a case, when the stack runs in this process: the report then
   * counts the workflow's failed task attempts (each retried or caught by the ASL).
   */
  readonly history?: (caseId: string) => Promise<readonly HistoryEvent[]>;
}

export interface LoadReport {
  readonly cases: number;
  readonly concurrency: number;
  readonly wallSeconds: number;
  /** Status the applicant sees at the end, per case reaching one. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Cases that failed to run to a verdict (an error or the deadline). */
  readonly lost: number;
  /** Every 4xx/5xx answer seen, retried 429/503 included, by HTTP status. */
  readonly errorStatuses: Readonly<Record<string, number>>;
  readonly serverErrors: number;
  /** Why lost cases were lost, by error name or status. */
  readonly failures: Readonly<Record<string, number>>;
  /** Create -> verdict and submit -> verdict, milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly submitToVerdictMs: { readonly p50: number; readonly p95: number };
  readonly casesPerMinute: number;
  /** Failed task attempts by error, over the decided cases' histories (when given). */
  readonly taskFailures?: Readonly<Record<string, number>>;
}

export class LoadOptionsError extends Error {
  override readonly name = 'LoadOptionsError';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Refuses anything but this machine: a load run must never reach a shared or real system. */
export function assertLoopback(url: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new LoadOptionsError(`Not a URL: ${url}`);
  }
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new LoadOptionsError(
      `Refusing ${host}: the load run only targets this machine (loopback)`,
    );
  }
}

export function assertWithinLimits(
  options: Pick<LoadOptions, 'cases' | 'concurrency' | 'timeoutSeconds'>,
) {
  const check = (value: number, name: string, max: number) => {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new LoadOptionsError(`${name} must be a whole number from 1 to ${max}, got ${value}`);
    }
  };
  check(options.cases, 'cases', LOAD_LIMITS.maxCases);
  check(options.concurrency, 'concurrency', LOAD_LIMITS.maxConcurrency);
  check(options.timeoutSeconds, 'timeout', LOAD_LIMITS.maxSeconds);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank] ?? Number.NaN);
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  assertLoopback(options.apiUrl);
  assertWithinLimits(options);
  const errorStatuses: Record<string, number> = {};
  const client = new ApplicantClient(options.apiUrl, {
    onResponse: (status) => {
      if (status >= 400) increment(errorStatuses, String(status));
    },
  });
  const started = performance.now();
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const outcomes: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const latencies: number[] = [];
  const decidedCases: string[] = [];
  const submitLatencies: number[] = [];

  const runCase = async (index: number): Promise<void> => {
    const caseStarted = performance.now();
    const created: CreatedCase = await client.createCase(
      options.profile ?? 'bank-onboarding',
      `load-${runId}-${index}`,
    );
    await client.uploadIdImage(created, options.idImage);
    await options.completeLiveness(created.livenessSessionId);
    const submitted = performance.now();
    await client.submit(created, created.livenessSessionId);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new DeadlineError();
    const view = await client
      .waitFor(created, settled, remaining, options.pollIntervalMs ?? 200)
      .catch((error: unknown) => {
        throw Date.now() >= deadline ? new DeadlineError() : error;
      });
    const now = performance.now();
    latencies.push(now - caseStarted);
    submitLatencies.push(now - submitted);
    increment(outcomes, view.status);
    decidedCases.push(created.caseId);
  };

  let next = 0;
  const worker = async () => {
    for (let index = next++; index < options.cases; index = next++) {
      await runCase(index).catch((error: unknown) => {
        const status = (error as { status?: unknown }).status;
        increment(
          failures,
          typeof status === 'number'
            ? `HTTP ${status}`
            : error instanceof Error
              ? error.name
              : 'unknown',
        );
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.cases) }, worker));

  const wallSeconds = (performance.now() - started) / 1000;
  const decided = latencies.length;
  const taskFailures = options.history && (await countTaskFailures(decidedCases, options.history));
  return {
    cases: options.cases,
    concurrency: options.concurrency,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    outcomes,
    lost: options.cases - decided,
    errorStatuses,
    serverErrors: Object.entries(errorStatuses)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, count]) => sum + count, 0),
    failures,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: percentile(latencies, 100),
    },
    submitToVerdictMs: {
      p50: percentile(submitLatencies, 50),
      p95: percentile(submitLatencies, 95),
    },
    casesPerMinute: Math.round((decided / wallSeconds) * 60),
    ...(taskFailures ? { taskFailures } : {}),
  };
}

async function countTaskFailures(
  caseIds: readonly string[],
  history: NonNullable<LoadOptions['history']>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const caseId of caseIds) {
    for (const event of await history(caseId)) {
      if (event.type === 'TaskFailed') {
        increment(counts, event.taskFailedEventDetails?.error ?? 'unknown');
      }
    }
  }
  return counts;
}

/** The report as a few lines for a terminal. */
export function formatLoadReport(report: LoadReport): string {
  const pairs = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .map(([key, count]) => `${key} ${count}`)
      .join(', ') || 'none';
  return [
    `${report.cases} cases, ${report.concurrency} at a time, ${report.wallSeconds} s (${report.casesPerMinute} cases/min)`,
    `  create -> verdict  p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, max ${report.latencyMs.max} ms`,
    `  submit -> verdict  p50 ${report.submitToVerdictMs.p50} ms, p95 ${report.submitToVerdictMs.p95} ms`,
    `  outcomes           ${pairs(report.outcomes)}`,
    `  cases lost         ${report.lost}${report.lost ? ` (${pairs(report.failures)})` : ''}`,
    `  error answers      ${pairs(report.errorStatuses)} (5xx: ${report.serverErrors})`,
    ...(report.taskFailures
      ? [`  failed task attempts (retried or caught by the ASL)  ${pairs(report.taskFailures)}`]
      : []),
  ].join('\n');
}
