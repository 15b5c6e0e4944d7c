import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ExecutionConflictError,
  type OnboardingInput,
  TaskTokenExpiredError,
  Workflow,
} from '../../../functions/adapters/workflow.js';
import {
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../functions/domain/errors.js';
import { awsError, expectRejection, titled } from './sdk-errors.js';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding';
const workflow = new Workflow(new SFNClient({ region: 'eu-west-1' }), ARN);
const metadata = { $metadata: {} };

const input: OnboardingInput = {
  caseId: 'case-1',
  profileId: 'bank-onboarding',
  livenessSessionId: 'session-1',
  livenessAttempt: 1,
  idImageKey: 'cases/case-1/id/1',
  idBackImageKey: null,
  idAttempt: 1,
};

beforeEach(() => {
  sfn.reset();
});

describe('start', () => {
  it('starts one execution named after the case with the input as JSON', async () => {
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: `${ARN}:case-1`, startDate: new Date() });

    await expect(workflow.start(input)).resolves.toBe(`${ARN}:case-1`);

    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const sent = calls[0]?.args[0].input;
    expect(sent).toStrictEqual({
      stateMachineArn: ARN,
      name: 'case-1',
      input: JSON.stringify(input),
    });
    expect(JSON.parse(sent?.input ?? 'null')).toStrictEqual(input);
  });

  it('ExecutionAlreadyExists -> ExecutionConflictError', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'x', ...metadata }));
    await expectRejection(workflow.start(input), ExecutionConflictError);
  });

  it('fails when the service returns no execution ARN', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    await expect(workflow.start(input)).rejects.toThrow(/no executionArn/);
  });

  it('translates throttling', async () => {
    sfn.on(StartExecutionCommand).rejects(awsError('ThrottlingException', 400));
    await expectRejection(workflow.start(input), ServiceThrottledError);
  });
});

describe('resume', () => {
  it('sends task success with the output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const output = { livenessSessionId: 'session-2', attempt: 2 };

    await workflow.resume('token-1', output);

    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toStrictEqual([
      { taskToken: 'token-1', output: JSON.stringify(output) },
    ]);
  });

  // biome-ignore format: one table row per line
  const errors: [string, Error, abstract new (...args: never[]) => Error][] = [
    ['TaskTimedOut', new TaskTimedOut({ message: 'x', ...metadata }), TaskTokenExpiredError],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'x', ...metadata }), TaskTokenExpiredError],
    ['InvalidToken', new InvalidToken({ message: 'x', ...metadata }), TaskTokenExpiredError],
    ['HTTP 503', awsError('ServiceUnavailable', 503), ServiceUnavailableError],
  ];
  it.each(titled(errors))('%s', async (_name, error, expected) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    await expectRejection(workflow.resume('token-1', {}), expected);
  });

  it('rethrows an unknown error unchanged', async () => {
    const error = awsError('ValidationException', 400);
    sfn.on(SendTaskSuccessCommand).rejects(error);
    await expect(workflow.resume('token-1', {})).rejects.toBe(error);
  });
});

describe('describe', () => {
  it('describes the execution by ARN', async () => {
    const output = {
      executionArn: `${ARN}:case-1`,
      status: 'RUNNING' as const,
      startDate: new Date(0),
    };
    sfn.on(DescribeExecutionCommand).resolves(output);

    await expect(workflow.describe(`${ARN}:case-1`)).resolves.toMatchObject(output);
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input)).toStrictEqual([
      { executionArn: `${ARN}:case-1` },
    ]);
  });

  it('returns undefined for an execution that does not exist', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'x', ...metadata }));
    await expect(workflow.describe('arn:missing')).resolves.toBeUndefined();
  });

  it('translates other failures', async () => {
    sfn.on(DescribeExecutionCommand).rejects(awsError('InternalFailure', 500));
    await expectRejection(workflow.describe('arn:x'), ServiceUnavailableError);
  });
});

describe('history', () => {
  const events = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: from + i,
      timestamp: new Date(0),
      type: 'PassStateEntered' as const,
    }));

  it('follows nextToken until the last page, with execution data', async () => {
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: events(1, 2), nextToken: 'page-2' })
      .resolvesOnce({ events: events(3, 1) });

    const history = await workflow.history('arn:exec');

    expect(history.map((e) => e.id)).toStrictEqual([1, 2, 3]);
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input)).toStrictEqual([
      { executionArn: 'arn:exec', maxResults: 500, includeExecutionData: true },
      {
        executionArn: 'arn:exec',
        maxResults: 500,
        includeExecutionData: true,
        nextToken: 'page-2',
      },
    ]);
  });

  it('stops paging once it holds maxEvents', async () => {
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: events(1, 3), nextToken: 'page-2' })
      .resolvesOnce({ events: events(4, 3), nextToken: 'page-3' })
      .resolves({ events: events(7, 3) });

    const history = await workflow.history('arn:exec', 5);

    expect(history).toHaveLength(6);
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(2);
  });
});
