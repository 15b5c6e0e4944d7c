import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  type LambdaHandler,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from '../../../local/stepfunctions/index.js';

export const functionArn = (name: string): string =>
  `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A `lambda:invoke` Task calling `functionName`, with the state input as Payload. */
export function invokeTask(functionName: string, fields: Record<string, unknown> = {}) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionArn(functionName), 'Payload.$': '$' },
    ResultSelector: { 'result.$': '$.Payload' },
    ...fields,
  };
}

/** A `.waitForTaskToken` Task handing its token to `functionName`. */
export function callbackTask(functionName: string, fields: Record<string, unknown> = {}) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: functionArn(functionName),
      Payload: { 'input.$': '$', 'taskToken.$': '$$.Task.Token' },
    },
    ...fields,
  };
}

export function localStepFunctions(
  handlers: Record<string, LambdaHandler>,
  options: Partial<LocalStepFunctionsOptions> = {},
): LocalStepFunctions {
  return new LocalStepFunctions({
    lambdaHandlers: Object.fromEntries(
      Object.entries(handlers).map(([name, handler]) => [functionArn(name), handler]),
    ),
    // Retry intervals and timeouts in milliseconds instead of seconds.
    timeScale: 0.001,
    ...options,
  });
}

/** Creates the state machine and starts one execution of it. */
export async function start(
  sfn: LocalStepFunctions,
  definition: object,
  input: unknown = {},
): Promise<string> {
  const { stateMachineArn } = await sfn.createStateMachine({
    name: 'test',
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await sfn.startExecution({
    stateMachineArn,
    input: JSON.stringify(input),
  });
  return executionArn as string;
}

export async function history(
  sfn: LocalStepFunctions,
  executionArn: string,
): Promise<HistoryEvent[]> {
  return (await sfn.getExecutionHistory({ executionArn, maxResults: 1000 })).events ?? [];
}

export const types = (events: readonly HistoryEvent[]): string[] =>
  events.map((event) => event.type ?? '');

export class TransientError extends Error {
  override readonly name = 'TransientError';
}

export class RejectedError extends Error {
  override readonly name = 'RejectedError';
}
