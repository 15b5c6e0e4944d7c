import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { sdkClientDefaults } from '../shared/aws-sdk.js';
import { loadConfig } from '../shared/config.js';
import { once } from '../shared/once.js';
import { callAws } from './aws-errors.js';

/** Input of one onboarding execution: ids and keys only. */
export interface OnboardingInput {
  readonly caseId: string;
  readonly profileId: string;
  readonly livenessSessionId: string;
  readonly livenessAttempt: number;
  readonly idImageKey: string | null;
  /** The pinned back page (AnalyzeID's second page), when the applicant gave one. */
  readonly idBackImageKey: string | null;
  readonly idAttempt: number;
}

export class TaskTokenExpiredError extends Error {
  override readonly name = 'TaskTokenExpiredError';
}

export class ExecutionConflictError extends Error {
  override readonly name = 'ExecutionConflictError';
}

export class Workflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** One execution per case, named after it: a repeated start with the same input is a no-op. */
  async start(input: OnboardingInput): Promise<string> {
    const response = await callAws(
      () =>
        this.client.send(
          new StartExecutionCommand({
            stateMachineArn: this.stateMachineArn,
            name: input.caseId,
            input: JSON.stringify(input),
          }),
        ),
      {
        ExecutionAlreadyExists: () => new ExecutionConflictError('The case was already submitted'),
      },
    );
    if (!response.executionArn) throw new Error('StartExecution returned no executionArn');
    return response.executionArn;
  }

  async resume(taskToken: string, output: Record<string, unknown>): Promise<void> {
    const expired = () => new TaskTokenExpiredError('The workflow no longer waits for this step');
    await callAws(
      () =>
        this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
      { TaskTimedOut: expired, TaskDoesNotExist: expired, InvalidToken: expired },
    );
  }

  async describe(executionArn: string): Promise<DescribeExecutionCommandOutput | undefined> {
    try {
      return await callAws(() => this.client.send(new DescribeExecutionCommand({ executionArn })));
    } catch (error) {
      if ((error as { name?: string }).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }

  /** The whole history, oldest first (bounded: an onboarding has a few hundred events at most). */
  async history(executionArn: string, maxEvents = 2000): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const response = await callAws(() =>
        this.client.send(
          new GetExecutionHistoryCommand({
            executionArn,
            maxResults: 500,
            includeExecutionData: true,
            ...(nextToken ? { nextToken } : {}),
          }),
        ),
      );
      events.push(...(response.events ?? []));
      nextToken = response.nextToken;
    } while (nextToken && events.length < maxEvents);
    return events;
  }
}

export const workflow = once(
  () =>
    new Workflow(
      new SFNClient(sdkClientDefaults),
      loadConfig(['STATE_MACHINE_ARN']).STATE_MACHINE_ARN,
    ),
);
