import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';
import { type LocalStepFunctions, sfnService } from '../../../local/stepfunctions/index.js';
import { callbackTask, localStepFunctions } from './fixtures.js';

const definition = JSON.stringify({
  StartAt: 'Review',
  States: {
    Review: callbackTask('review', { TimeoutSeconds: 3600, ResultPath: '$.review', End: true }),
  },
});

let sfn: LocalStepFunctions;
let server: AwsServer;
let client: SFNClient;
let stateMachineArn: string;

beforeAll(async () => {
  sfn = localStepFunctions({ review: async () => ({ queued: true }) });
  stateMachineArn = (await sfn.createStateMachine({ name: 'onboarding', definition }))
    .stateMachineArn as string;
  server = await createAwsServer({ services: [sfnService(sfn)] });
  client = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await sfn.close();
});

async function startWaiting(input = '{}'): Promise<{ executionArn: string; taskToken: string }> {
  const { executionArn = '' } = await client.send(
    new StartExecutionCommand({ stateMachineArn, input }),
  );
  const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });
  return { executionArn, taskToken };
}

describe('sfnService through the AWS SDK', () => {
  it('runs an execution: start, describe, callback, history, lists', async () => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-1', input: '{"caseId":"c1"}' }),
    );
    expect(started.startDate).toBeInstanceOf(Date);
    const executionArn = started.executionArn as string;
    const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });

    expect(await client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      executionArn,
      stateMachineArn,
      name: 'case-1',
      status: 'RUNNING',
      input: '{"caseId":"c1"}',
    });
    await client.send(new SendTaskHeartbeatCommand({ taskToken }));
    await client.send(new SendTaskSuccessCommand({ taskToken, output: '{"outcome":"APPROVED"}' }));
    await sfn.waitForExecution(executionArn);

    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED' });
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(
      started.startDate?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    expect(JSON.parse(described.output ?? '')).toEqual({
      caseId: 'c1',
      review: { outcome: 'APPROVED' },
    });
    const { events = [] } = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(events.map((event) => event.type)).toEqual(['ExecutionSucceeded', 'TaskStateExited']);
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    const listed = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }),
    );
    expect(listed.executions?.map((execution) => execution.name)).toContain('case-1');
    expect(await client.send(new DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({
      name: 'onboarding',
      status: 'ACTIVE',
      type: 'STANDARD',
      definition,
    });
    const machines = await client.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((machine) => machine.stateMachineArn)).toEqual([
      stateMachineArn,
    ]);
  });

  it('fails a callback with SendTaskFailure and stops an execution', async () => {
    const failed = await startWaiting();
    await client.send(
      new SendTaskFailureCommand({ taskToken: failed.taskToken, error: 'Rejected', cause: 'no' }),
    );
    expect(await sfn.waitForExecution(failed.executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'Rejected',
      cause: 'no',
    });

    const stopped = await startWaiting();
    const { stopDate } = await client.send(
      new StopExecutionCommand({ executionArn: stopped.executionArn, error: 'Withdrawn' }),
    );
    expect(stopDate).toBeInstanceOf(Date);
    expect(
      await client.send(new DescribeExecutionCommand({ executionArn: stopped.executionArn })),
    ).toMatchObject({ status: 'ABORTED', error: 'Withdrawn' });
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: stopped.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it.each([
    {
      error: InvalidArn,
      command: () => new DescribeExecutionCommand({ executionArn: 'not-an-arn' }),
    },
    {
      error: ExecutionDoesNotExist,
      command: () =>
        new DescribeExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:123456789012:execution:onboarding:nobody',
        }),
    },
    {
      error: StateMachineDoesNotExist,
      command: () =>
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:other',
        }),
    },
    {
      error: InvalidExecutionInput,
      command: () => new StartExecutionCommand({ stateMachineArn, input: '{oops' }),
    },
    {
      error: InvalidToken,
      command: () => new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' }),
    },
    {
      error: ValidationException,
      command: () => new ListExecutionsCommand({ stateMachineArn, maxResults: 5000 }),
    },
    {
      error: ValidationException,
      command: () =>
        new StartExecutionCommand({ stateMachineArn, input: `"${'x'.repeat(262_144)}"` }),
    },
    {
      error: ValidationException,
      command: () => new SendTaskHeartbeatCommand({ taskToken: undefined }),
    },
  ])('answers $error.name with the SDK exception class', async ({ error, command }) => {
    await expect(client.send(command() as never)).rejects.toBeInstanceOf(error);
  });

  it('answers ExecutionAlreadyExists and InvalidOutput', async () => {
    const { executionArn, taskToken } = await startWaiting();
    const name = executionArn.split(':').at(-1);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"other":1}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken, output: 'not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    await client.send(new StopExecutionCommand({ executionArn }));
  });
});
