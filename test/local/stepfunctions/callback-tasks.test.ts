import { describe, expect, it } from 'vitest';
import {
  InvalidOutput,
  InvalidToken,
  TaskDoesNotExist,
  TaskTimedOut,
} from '../../../local/stepfunctions/index.js';
import { callbackTask, history, localStepFunctions, start, types } from './fixtures.js';

const reviewMachine = (reviewFields: Record<string, unknown> = {}) => ({
  StartAt: 'Review',
  States: {
    Review: callbackTask('review', {
      TimeoutSeconds: 3600,
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'TimedOut' },
        { ErrorEquals: ['ReviewRejected'], ResultPath: '$.failure', Next: 'Rejected' },
      ],
      Next: 'Approved',
      ...reviewFields,
    }),
    Approved: { Type: 'Succeed' },
    Rejected: { Type: 'Pass', End: true },
    TimedOut: { Type: 'Pass', End: true },
  },
});

describe('.waitForTaskToken tasks', () => {
  it('hand the handler a token and wait for SendTaskSuccess, whose output is the result', async () => {
    const received: { taskToken: string; input: unknown }[] = [];
    const sfn = localStepFunctions({
      review: async (payload: { taskToken: string; input: unknown }) => {
        received.push(payload);
        return { queued: true };
      },
    });
    const executionArn = await start(sfn, reviewMachine(), { caseId: 'case-1' });

    const pending = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });
    expect(sfn.listPendingTaskTokens(executionArn)).toEqual([pending]);
    await sfn.sendTaskSuccess({ taskToken: pending.taskToken, output: '{"decision":"APPROVE"}' });
    const execution = await sfn.waitForExecution(executionArn);

    expect(received).toEqual([{ taskToken: pending.taskToken, input: { caseId: 'case-1' } }]);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: '{"decision":"APPROVE"}' });
    expect(types(await history(sfn, executionArn))).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(sfn.listPendingTaskTokens()).toEqual([]);
  });

  it('fail with the Error and Cause given to SendTaskFailure', async () => {
    const sfn = localStepFunctions({ review: async () => null });
    const executionArn = await start(sfn, reviewMachine(), {});

    const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });
    await sfn.sendTaskFailure({ taskToken, error: 'ReviewRejected', cause: 'face mismatch' });
    const execution = await sfn.waitForExecution(executionArn);

    expect(JSON.parse(execution.output ?? '')).toEqual({
      failure: { Error: 'ReviewRejected', Cause: 'face mismatch' },
    });
    expect((await history(sfn, executionArn)).find((e) => e.type === 'TaskFailed')).toMatchObject({
      taskFailedEventDetails: { error: 'ReviewRejected', cause: 'face mismatch' },
    });
  });

  it('time out with States.Timeout after TimeoutSeconds, and the token is then dead', async () => {
    const sfn = localStepFunctions({ review: async () => null });
    const executionArn = await start(sfn, reviewMachine({ TimeoutSeconds: 5 }), {});
    const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });

    const execution = await sfn.waitForExecution(executionArn);

    expect(JSON.parse(execution.output ?? '')).toMatchObject({
      failure: { Error: 'States.Timeout' },
    });
    const events = await history(sfn, executionArn);
    expect(types(events)).toContain('TaskTimedOut');
    expect(events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject(
      {
        resource: 'invoke.waitForTaskToken',
        timeoutInSeconds: 5,
      },
    );
    await expect(sfn.sendTaskSuccess({ taskToken, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it('take their timeout from TimeoutSecondsPath', async () => {
    const sfn = localStepFunctions({ review: async () => null });
    const definition = reviewMachine({ TimeoutSeconds: undefined, TimeoutSecondsPath: '$.wait' });

    const executionArn = await start(sfn, definition, { wait: 1 });
    const execution = await sfn.waitForExecution(executionArn);

    expect(JSON.parse(execution.output ?? '')).toMatchObject({
      failure: { Error: 'States.Timeout' },
    });
  });

  it('time out after a test override instead of their own timeout', async () => {
    const sfn = localStepFunctions(
      { review: async () => null },
      { taskTimeoutOverridesMs: { Review: 5 } },
    );
    const definition = reviewMachine({ TimeoutSeconds: undefined, TimeoutSecondsPath: '$.wait' });

    const executionArn = await start(sfn, definition, { wait: 86400 });
    const execution = await sfn.waitForExecution(executionArn);

    expect(JSON.parse(execution.output ?? '')).toMatchObject({
      failure: { Error: 'States.Timeout' },
    });
  });

  it('are cut short by StopExecution, after which their token is dead', async () => {
    const sfn = localStepFunctions({ review: async () => null });
    const executionArn = await start(sfn, reviewMachine(), {});
    const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });

    const { stopDate } = await sfn.stopExecution({
      executionArn,
      error: 'CaseWithdrawn',
      cause: 'applicant left',
    });

    expect(await sfn.describeExecution({ executionArn })).toMatchObject({
      status: 'ABORTED',
      error: 'CaseWithdrawn',
      cause: 'applicant left',
      stopDate,
    });
    expect((await history(sfn, executionArn)).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'CaseWithdrawn', cause: 'applicant left' },
    });
    expect(sfn.listPendingTaskTokens(executionArn)).toEqual([]);
    await expect(sfn.sendTaskSuccess({ taskToken, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    await expect(sfn.sendTaskHeartbeat({ taskToken })).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('accept heartbeats while pending and refuse bad tokens and output', async () => {
    const sfn = localStepFunctions({ review: async () => null });
    const executionArn = await start(sfn, reviewMachine(), {});
    const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });

    await expect(sfn.sendTaskHeartbeat({ taskToken })).resolves.toEqual({});
    await expect(sfn.sendTaskSuccess({ taskToken, output: '{oops' })).rejects.toBeInstanceOf(
      InvalidOutput,
    );
    await expect(sfn.sendTaskSuccess({ taskToken: 'nope', output: '{}' })).rejects.toBeInstanceOf(
      InvalidToken,
    );
    await expect(
      sfn.sendTaskSuccess({ taskToken: 'A'.repeat(86), output: '{}' }),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);

    await sfn.stopExecution({ executionArn });
  });

  it('fail like a Lambda task when the handler throws, without waiting for a token', async () => {
    const sfn = localStepFunctions({
      review: async () => {
        throw new TypeError('bad payload');
      },
    });
    const executionArn = await start(sfn, reviewMachine(), {});

    const execution = await sfn.waitForExecution(executionArn);

    expect(execution).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(sfn.listPendingTaskTokens()).toEqual([]);
  });
});
