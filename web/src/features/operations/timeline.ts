import type { TimelineEntry } from './operations-api.ts';

export interface TimelineRow {
  readonly id: number;
  readonly timestamp: string;
  readonly label: string;
  readonly failed: boolean;
  readonly detail?: string;
}

/**
 * The execution history as an operator reads it: each state entered, each failure with its
 * error (retried or caught), each retry of a task, and how the execution ended.
 */
export function timelineRows(timeline: readonly TimelineEntry[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let state: string | undefined;
  let failedInState = false;
  let retries = 0;
  for (const entry of timeline) {
    const base = { id: entry.id, timestamp: entry.timestamp };
    if (entry.type.endsWith('StateEntered')) {
      state = entry.state;
      failedInState = false;
      retries = 0;
      rows.push({ ...base, label: `Entered ${entry.state ?? '?'}`, failed: false });
    } else if (entry.error) {
      failedInState = true;
      rows.push({
        ...base,
        label: `${entry.type}: ${entry.error}`,
        failed: true,
        ...(entry.cause ? { detail: entry.cause } : {}),
      });
    } else if (entry.type === 'TaskScheduled' && failedInState) {
      retries += 1;
      failedInState = false;
      rows.push({
        ...base,
        label: `Retry ${retries} of ${state ?? 'task'}${entry.function ? ` (${entry.function})` : ''}`,
        failed: false,
      });
    } else if (entry.type.startsWith('Execution')) {
      rows.push({
        ...base,
        label: entry.type,
        failed: entry.type !== 'ExecutionSucceeded' && entry.type !== 'ExecutionStarted',
      });
    }
  }
  return rows;
}
