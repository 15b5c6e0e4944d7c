import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  StateMachineListItem,
} from '@aws-sdk/client-sfn';
import type { StoredHistoryEvent } from './history-recorder.js';
import type { TaskTokenRecord } from './task-tokens.js';

/** Plain, serializable state machine data. */
export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  creationDate: number;
}

/** Plain, serializable execution data: what a persisted runtime needs to show or resume it. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  history: StoredHistoryEvent[];
  /** SHA-256 of the definition the execution runs. */
  definitionSha256: string;
}

/** What became of an execution that was running when an earlier process stopped. */
export type InterruptedExecution = { executionArn: string } & (
  | { outcome: 'RESUMED'; stateName: string; taskTokens: string[] }
  | { outcome: 'FAILED'; cause: string }
  | { outcome: 'TIMED_OUT' }
);

export interface PendingTaskToken {
  taskToken: string;
  executionArn: string;
  stateName: string;
  issuedDate: Date;
}

const dateOf = (epochMs: number | undefined): Date | undefined =>
  epochMs === undefined ? undefined : new Date(epochMs);

export function executionListItem(record: ExecutionRecord): ExecutionListItem {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    stopDate: dateOf(record.stopDate),
  };
}

export function describeExecutionOutput(record: ExecutionRecord): DescribeExecutionOutput {
  return {
    ...executionListItem(record),
    input: record.input,
    output: record.output,
    error: record.error,
    cause: record.cause,
  };
}

export function stateMachineListItem(record: StateMachineRecord): StateMachineListItem {
  return {
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    type: 'STANDARD',
    creationDate: new Date(record.creationDate),
  };
}

export function describeStateMachineOutput(record: StateMachineRecord): DescribeStateMachineOutput {
  return {
    ...stateMachineListItem(record),
    status: 'ACTIVE',
    definition: record.definition,
    roleArn: record.roleArn,
  };
}

export const publicToken = (record: TaskTokenRecord): PendingTaskToken => ({
  taskToken: record.taskToken,
  executionArn: record.executionArn,
  stateName: record.stateName,
  issuedDate: new Date(record.issuedAt),
});
