import type { ExecutionStatus, HistoryEventType } from '@aws-sdk/client-sfn';
import type { ExecutionRecord } from './api-shapes.js';
import type { EventDetails, StoredHistoryEvent } from './history-recorder.js';

/** The fields of an execution record that its terminal history event also holds. */
export interface TerminalOutcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: string;
  error?: string;
  cause?: string;
  stopDate: number;
}

/** The terminal history event of an execution record that has ended. */
export function terminalEvent(
  record: Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'>,
): [HistoryEventType, EventDetails] {
  const failure = { error: record.error, cause: record.cause };
  switch (record.status) {
    case 'SUCCEEDED':
      return ['ExecutionSucceeded', { executionSucceededEventDetails: { output: record.output } }];
    case 'TIMED_OUT':
      return ['ExecutionTimedOut', { executionTimedOutEventDetails: failure }];
    case 'ABORTED':
      return ['ExecutionAborted', { executionAbortedEventDetails: failure }];
    default:
      return ['ExecutionFailed', { executionFailedEventDetails: failure }];
  }
}

/**
 * The end an execution reached according to its history: the terminal event is written
 * before the record, so after a crash between the two the history is the truth.
 */
export function terminalOutcome(
  history: readonly StoredHistoryEvent[],
): TerminalOutcome | undefined {
  const last = history.at(-1);
  if (!last) return undefined;
  const stopDate = last.timestamp;
  switch (last.type) {
    case 'ExecutionSucceeded':
      return { status: 'SUCCEEDED', output: last.executionSucceededEventDetails?.output, stopDate };
    case 'ExecutionFailed':
      return { status: 'FAILED', ...last.executionFailedEventDetails, stopDate };
    case 'ExecutionTimedOut':
      return { status: 'TIMED_OUT', ...last.executionTimedOutEventDetails, stopDate };
    case 'ExecutionAborted':
      return { status: 'ABORTED', ...last.executionAbortedEventDetails, stopDate };
    default:
      return undefined;
  }
}
