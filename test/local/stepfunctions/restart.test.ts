import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExecutionAlreadyExists,
  type LambdaHandler,
  type LocalStepFunctions,
  TaskTimedOut,
} from '../../../local/stepfunctions/index.js';
import { history, localStepFunctions, types } from './fixtures.js';
import { createRestartMachines, restartHandlers, reviewFlow } from './restart-fixtures.js';

let dataDir: string;
const runtimes: LocalStepFunctions[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-sfn-'));
});

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
  await rm(dataDir, { recursive: true, force: true });
});

function runtime(
  handlers: Record<string, LambdaHandler> = {},
  options: Parameters<typeof localStepFunctions>[1] = {},
): LocalStepFunctions {
  const sfn = localStepFunctions({ ...restartHandlers, ...handlers }, { dataDir, ...options });
  runtimes.push(sfn);
  return sfn;
}

/** Ids 1..n with no gap, each linked to an earlier event. */
function expectContinuous(events: readonly HistoryEvent[]): void {
  expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
  for (const event of events) expect(event.previousEventId).toBeLessThan(event.id ?? 0);
  expect(types(events).filter((type) => type === 'ExecutionStarted')).toHaveLength(1);
}

/** Polls until the history records an event of the type: a token is issued before that. */
async function recorded(sfn: LocalStepFunctions, executionArn: string, type: string) {
  while (!types(await history(sfn, executionArn)).includes(type)) {
    await new Promise(setImmediate);
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('LocalStepFunctions with a data folder', () => {
  it('resumes a callback task after a restart with the same token, which SendTaskSuccess accepts', async () => {
    const before = runtime();
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({
      stateMachineArn: review,
      name: 'case-1',
      input: '{"caseId":"case-1"}',
    });
    const { taskToken } = await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await recorded(before, executionArn, 'TaskSubmitted');
    await before.close();

    const reviewCalls: unknown[] = [];
    const after = runtime({
      review: async (payload: unknown) => {
        reviewCalls.push(payload);
        return null;
      },
    });
    await createRestartMachines(after);
    expect(await after.describeExecution({ executionArn })).toMatchObject({ status: 'RUNNING' });

    expect(await after.resumeInterruptedExecutions()).toEqual([
      { executionArn, outcome: 'RESUMED', stateName: 'Review', taskTokens: [taskToken] },
    ]);
    expect(after.listPendingTaskTokens(executionArn).map((t) => t.taskToken)).toEqual([taskToken]);
    await after.sendTaskSuccess({ taskToken, output: '{"outcome":"APPROVED"}' });
    const execution = await after.waitForExecution(executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toMatchObject({
      caseId: 'case-1',
      review: { outcome: 'APPROVED' },
    });
    // The handler stored the token before the restart; it is not asked again.
    expect(reviewCalls).toEqual([]);
    const events = await history(after, executionArn);
    expectContinuous(events);
    expect(types(events).filter((type) => type === 'TaskStateEntered')).toEqual([
      'TaskStateEntered',
      'TaskStateEntered',
      'TaskStateEntered',
      'TaskStateEntered',
    ]);
    expect(types(events).filter((type) => type === 'TaskSubmitted')).toHaveLength(2);
  });

  it('runs a task that was in flight again after a restart', async () => {
    const inFlight = deferred<void>();
    const before = runtime({
      prepare: () => {
        inFlight.resolve();
        return new Promise(() => {});
      },
    });
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({
      stateMachineArn: review,
      input: '{"caseId":"case-2"}',
    });
    await inFlight.promise;
    await before.close();

    const prepared: unknown[] = [];
    const after = runtime({
      prepare: async (payload: unknown) => {
        prepared.push(payload);
        return { prepared: 'again' };
      },
    });
    await createRestartMachines(after);
    expect(await after.resumeInterruptedExecutions()).toEqual([
      { executionArn, outcome: 'RESUMED', stateName: 'Prepare', taskTokens: [] },
    ]);
    const { taskToken } = await after.waitForTaskToken({ executionArn, stateName: 'Review' });
    await after.sendTaskSuccess({ taskToken, output: '{}' });

    expect(await after.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(prepared).toEqual([{ caseId: 'case-2' }]);
    expectContinuous(await history(after, executionArn));
  });

  it('keeps the callback deadline it had before the restart', async () => {
    const before = runtime({}, { taskTimeoutOverridesMs: { Review: 50 } });
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({ stateMachineArn: review });
    const { taskToken } = await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await before.close();

    // Fresh Review tasks would now wait a day: only the carried deadline can time this one out.
    const after = runtime({}, { taskTimeoutOverridesMs: { Review: 86_400_000 } });
    await createRestartMachines(after);
    await after.resumeInterruptedExecutions();
    const execution = await after.waitForExecution(executionArn);

    expect(JSON.parse(execution.output ?? '')).toMatchObject({
      timedOut: { Error: 'States.Timeout' },
    });
    expect(types(await history(after, executionArn))).toContain('TaskTimedOut');
    await expect(after.sendTaskSuccess({ taskToken, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it('hands the same token again to a callback handler that had not returned', async () => {
    const called = deferred<void>();
    const before = runtime({
      review: () => {
        called.resolve();
        return new Promise(() => {});
      },
    });
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({ stateMachineArn: review });
    const { taskToken } = await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await called.promise;
    await before.close();

    const received: unknown[] = [];
    const after = runtime({
      review: async (payload: { taskToken: string }) => {
        received.push(payload.taskToken);
        return null;
      },
    });
    await createRestartMachines(after);
    await after.resumeInterruptedExecutions();
    await after.waitForTaskToken({ executionArn, stateName: 'Review' });
    await recorded(after, executionArn, 'TaskSubmitted');

    expect(received).toEqual([taskToken]);
    await after.sendTaskSuccess({ taskToken, output: '{}' });
    expect(await after.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('keeps an answer acknowledged before the restart that the task had not taken yet', async () => {
    // The handler never returns, so the task cannot complete although the answer came.
    const before = runtime({ review: () => new Promise(() => {}) });
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({ stateMachineArn: review });
    const { taskToken } = await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await before.sendTaskSuccess({ taskToken, output: '{"outcome":"REJECTED"}' });
    await before.close();

    const after = runtime();
    await createRestartMachines(after);
    await after.resumeInterruptedExecutions();
    const execution = await after.waitForExecution(executionArn);

    expect(JSON.parse(execution.output ?? '')).toMatchObject({ review: { outcome: 'REJECTED' } });
    await expect(after.sendTaskSuccess({ taskToken, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it('stops an execution loaded as running before it is resumed', async () => {
    const before = runtime();
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({ stateMachineArn: review });
    await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await before.close();

    const after = runtime();
    await after.stopExecution({ executionArn, error: 'Withdrawn' });

    expect(await after.describeExecution({ executionArn })).toMatchObject({ status: 'ABORTED' });
    expect((await history(after, executionArn)).at(-1)?.type).toBe('ExecutionAborted');
    expect(after.listPendingTaskTokens(executionArn)).toEqual([]);
    expect(await after.resumeInterruptedExecutions()).toEqual([]);
  });

  it('times out an execution whose TimeoutSeconds passed while nothing ran', async () => {
    const definition = JSON.stringify({ ...JSON.parse(reviewFlow), TimeoutSeconds: 1 });
    // Real seconds before the restart, milliseconds after: the 1 ms limit has passed.
    const before = runtime({}, { timeScale: 1 });
    const { stateMachineArn } = await before.createStateMachine({ name: 'timed', definition });
    const { executionArn = '', startDate } = await before.startExecution({ stateMachineArn });
    await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await before.close();
    while (Date.now() - (startDate?.getTime() ?? 0) < 2) await new Promise(setImmediate);

    const after = runtime();
    await after.createStateMachine({ name: 'timed', definition });

    expect(await after.resumeInterruptedExecutions()).toEqual([
      { executionArn, outcome: 'TIMED_OUT' },
    ]);
    expect(await after.describeExecution({ executionArn })).toMatchObject({
      status: 'TIMED_OUT',
      error: 'States.Timeout',
    });
    expect((await history(after, executionArn)).at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('fails an execution it cannot resume, with States.Runtime and the reason', async () => {
    const before = runtime();
    const { review, busy } = await createRestartMachines(before);
    const onReview = await before.startExecution({ stateMachineArn: review });
    await before.waitForTaskToken({ executionArn: onReview.executionArn, stateName: 'Review' });
    const onBusy = await before.startExecution({
      stateMachineArn: busy,
      input: `{"count":${Number.MAX_SAFE_INTEGER}}`,
    });
    await before.waitForExecution(onBusy.executionArn);
    const { taskToken } = await before.waitForTaskToken({
      executionArn: (await before.startExecution({ stateMachineArn: review })).executionArn,
      stateName: 'Review',
    });
    await before.close();

    const after = runtime();
    await after.createStateMachine({
      name: 'review',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    });
    const outcomes = await after.resumeInterruptedExecutions();

    expect(outcomes).toHaveLength(2);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        outcome: 'FAILED',
        cause: expect.stringMatching(
          /^The local Step Functions runtime restarted and could not resume the execution: the definition of .*:review changed/,
        ),
      });
      expect(await after.describeExecution(outcome)).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
        cause: (outcome as { cause: string }).cause,
      });
      const events = await history(after, outcome.executionArn);
      expectContinuous(events);
      expect(events.at(-1)?.type).toBe('ExecutionFailed');
    }
    await expect(after.sendTaskSuccess({ taskToken, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    // Finished before the restart: still there, unchanged.
    expect(await after.describeExecution(onBusy)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('fails an execution whose state machine is not created again', async () => {
    const before = runtime();
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({ stateMachineArn: review });
    await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await before.close();

    const after = runtime();
    const [outcome] = await after.resumeInterruptedExecutions();

    expect(outcome).toEqual({
      executionArn,
      outcome: 'FAILED',
      cause: expect.stringContaining(`its state machine ${review} was not created again`),
    });
  });

  it('keeps name idempotency across a restart', async () => {
    const before = runtime();
    const { review } = await createRestartMachines(before);
    const first = await before.startExecution({
      stateMachineArn: review,
      name: 'case-3',
      input: '{"a":1}',
    });
    const { taskToken } = await before.waitForTaskToken({
      executionArn: first.executionArn,
      stateName: 'Review',
    });
    await before.close();

    const after = runtime();
    await createRestartMachines(after);
    await after.resumeInterruptedExecutions();

    expect(
      await after.startExecution({ stateMachineArn: review, name: 'case-3', input: '{"a":1}' }),
    ).toEqual(first);
    await expect(
      after.startExecution({ stateMachineArn: review, name: 'case-3', input: '{"a":2}' }),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await after.sendTaskSuccess({ taskToken, output: '{}' });
    await after.waitForExecution(first.executionArn);
    await expect(
      after.startExecution({ stateMachineArn: review, name: 'case-3', input: '{"a":1}' }),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('keeps finished and stopped executions, their history and dead tokens', async () => {
    const before = runtime();
    const { review } = await createRestartMachines(before);
    const { executionArn = '' } = await before.startExecution({ stateMachineArn: review });
    const { taskToken } = await before.waitForTaskToken({ executionArn, stateName: 'Review' });
    await before.stopExecution({ executionArn, error: 'Withdrawn', cause: 'by the applicant' });
    const stopped = await history(before, executionArn);
    await before.close();

    const after = runtime();
    await createRestartMachines(after);

    expect(await after.resumeInterruptedExecutions()).toEqual([]);
    expect(await after.describeExecution({ executionArn })).toMatchObject({
      status: 'ABORTED',
      error: 'Withdrawn',
      cause: 'by the applicant',
    });
    expect(await history(after, executionArn)).toEqual(stopped);
    await expect(after.sendTaskSuccess({ taskToken, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });
});
