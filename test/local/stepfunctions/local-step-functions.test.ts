import { describe, expect, it } from 'vitest';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  type LambdaHandler,
  LocalStepFunctions,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
} from '../../../local/stepfunctions/index.js';
import {
  callbackTask,
  functionArn,
  history,
  invokeTask,
  localStepFunctions,
  types,
} from './fixtures.js';

const passThrough = JSON.stringify({
  StartAt: 'Done',
  States: { Done: { Type: 'Pass', End: true } },
});

const waitForReview = JSON.stringify({
  StartAt: 'Review',
  States: { Review: callbackTask('review', { End: true }) },
});

async function machine(sfn: LocalStepFunctions, definition = passThrough): Promise<string> {
  const { stateMachineArn } = await sfn.createStateMachine({ name: 'onboarding', definition });
  return stateMachineArn as string;
}

describe('LocalStepFunctions', () => {
  describe('createStateMachine', () => {
    it('returns the ARN, again for the same definition, and refuses a different one', async () => {
      const sfn = localStepFunctions({});

      const first = await sfn.createStateMachine({ name: 'onboarding', definition: passThrough });
      const again = await sfn.createStateMachine({ name: 'onboarding', definition: passThrough });

      expect(first.stateMachineArn).toBe(
        'arn:aws:states:us-east-1:123456789012:stateMachine:onboarding',
      );
      expect(again).toEqual(first);
      await expect(
        sfn.createStateMachine({ name: 'onboarding', definition: waitForReview }),
      ).rejects.toBeInstanceOf(InvalidDefinition);
      const withHandler = localStepFunctions({ review: () => null });
      await machine(withHandler);
      await expect(machine(withHandler, waitForReview)).rejects.toBeInstanceOf(
        StateMachineAlreadyExists,
      );
    });

    it('refuses invalid names', async () => {
      await expect(
        localStepFunctions({}).createStateMachine({ name: 'on boarding', definition: passThrough }),
      ).rejects.toBeInstanceOf(InvalidName);
    });
  });

  describe('startExecution', () => {
    it('is idempotent for the same name and input while running, and refuses other input', async () => {
      const sfn = localStepFunctions({ review: () => null });
      const stateMachineArn = await machine(sfn, waitForReview);

      const first = await sfn.startExecution({ stateMachineArn, name: 'case-1', input: '{"a":1}' });
      const again = await sfn.startExecution({ stateMachineArn, name: 'case-1', input: '{"a":1}' });

      expect(again).toEqual(first);
      await expect(
        sfn.startExecution({ stateMachineArn, name: 'case-1', input: '{"a":2}' }),
      ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
      await sfn.stopExecution({ executionArn: first.executionArn });
      await expect(
        sfn.startExecution({ stateMachineArn, name: 'case-1', input: '{"a":1}' }),
      ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    });

    it.each([
      {
        case: 'an unknown state machine',
        request: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope' },
        error: StateMachineDoesNotExist,
      },
      { case: 'a malformed ARN', request: { stateMachineArn: 'onboarding' }, error: InvalidArn },
      { case: 'input that is not JSON', request: { input: '{' }, error: InvalidExecutionInput },
      { case: 'an invalid name', request: { name: 'a/b' }, error: InvalidName },
    ])('refuses $case', async ({ request, error }) => {
      const sfn = localStepFunctions({});
      const stateMachineArn = await machine(sfn);

      await expect(sfn.startExecution({ stateMachineArn, ...request })).rejects.toBeInstanceOf(
        error,
      );
    });
  });

  describe('describeExecution', () => {
    it('reports a running then a finished execution', async () => {
      const sfn = localStepFunctions({ review: () => null });
      const stateMachineArn = await machine(sfn, waitForReview);
      const { executionArn, startDate } = await sfn.startExecution({
        stateMachineArn,
        name: 'case-1',
        input: '{"caseId":"case-1"}',
      });

      expect(await sfn.describeExecution({ executionArn })).toEqual({
        executionArn,
        stateMachineArn,
        name: 'case-1',
        status: 'RUNNING',
        startDate,
        stopDate: undefined,
        input: '{"caseId":"case-1"}',
        output: undefined,
        error: undefined,
        cause: undefined,
      });
      const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });
      await sfn.sendTaskSuccess({ taskToken, output: '"ok"' });
      const done = await sfn.waitForExecution(executionArn);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"ok"' });
      expect(done.stopDate?.getTime()).toBeGreaterThanOrEqual(startDate?.getTime() ?? Infinity);
    });

    it.each([
      {
        arn: 'arn:aws:states:us-east-1:123456789012:execution:onboarding:nope',
        error: ExecutionDoesNotExist,
      },
      { arn: 'case-1', error: InvalidArn },
    ])('refuses $arn', async ({ arn, error }) => {
      await expect(
        localStepFunctions({}).describeExecution({ executionArn: arn }),
      ).rejects.toBeInstanceOf(error);
    });
  });

  describe('listExecutions', () => {
    it('lists newest first, filters by status and pages', async () => {
      const sfn = localStepFunctions({ review: () => null });
      const stateMachineArn = await machine(sfn, waitForReview);
      const arns: (string | undefined)[] = [];
      for (const name of ['a', 'b', 'c']) {
        arns.push((await sfn.startExecution({ stateMachineArn, name })).executionArn);
      }
      await sfn.stopExecution({ executionArn: arns[1] });

      const firstPage = await sfn.listExecutions({ stateMachineArn, maxResults: 2 });
      const secondPage = await sfn.listExecutions({
        stateMachineArn,
        maxResults: 2,
        nextToken: firstPage.nextToken,
      });
      const aborted = await sfn.listExecutions({ stateMachineArn, statusFilter: 'ABORTED' });

      const names = [...(firstPage.executions ?? []), ...(secondPage.executions ?? [])].map(
        (execution) => execution.name,
      );
      expect(names).toEqual(['c', 'b', 'a']);
      expect(secondPage.nextToken).toBeUndefined();
      expect(aborted.executions?.map((execution) => execution.name)).toEqual(['b']);
      await expect(
        sfn.listExecutions({ stateMachineArn, nextToken: 'garbage' }),
      ).rejects.toBeInstanceOf(InvalidToken);
      await Promise.all(arns.map((executionArn) => sfn.stopExecution({ executionArn })));
    });
  });

  describe('getExecutionHistory', () => {
    const definition = JSON.stringify({
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [{ Variable: '$.fast', BooleanEquals: true, Next: 'Score' }],
          Default: 'Pause',
        },
        Pause: { Type: 'Wait', Seconds: 30, Next: 'Score' },
        Score: invokeTask('score', { Next: 'Each' }),
        Each: {
          Type: 'Map',
          ItemsPath: '$.result.items',
          ItemProcessor: { StartAt: 'Keep', States: { Keep: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });

    async function run(input: object) {
      const sfn = localStepFunctions({ score: () => ({ items: [1, 2] }) });
      const { executionArn } = await sfn.startExecution({
        stateMachineArn: await machine(sfn, definition),
        input: JSON.stringify(input),
      });
      await sfn.waitForExecution(executionArn as string);
      return { sfn, executionArn: executionArn as string };
    }

    it('has AWS-shaped events with increasing ids linked by previousEventId', async () => {
      const { sfn, executionArn } = await run({ fast: false });

      const events = await history(sfn, executionArn);

      // Map iterations run as concurrent threads: only their own events are ordered.
      const iterationEvents = new Set(['MapIterationStarted', 'MapIterationSucceeded']);
      const byId = new Map(events.map((event) => [event.id, event]));
      const iterations = events
        .filter((event) => event.type === 'MapIterationSucceeded')
        .map((succeeded) => {
          const chain = [succeeded];
          while (chain[0]?.type !== 'MapIterationStarted') {
            const previous = byId.get(chain[0]?.previousEventId);
            if (!previous) break;
            chain.unshift(previous);
          }
          return types(chain);
        });
      expect(
        types(events).filter((type) => !type.startsWith('Pass') && !iterationEvents.has(type)),
      ).toEqual([
        'ExecutionStarted',
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'WaitStateEntered',
        'WaitStateExited',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
        'MapStateEntered',
        'MapStateStarted',
        'MapStateSucceeded',
        'MapStateExited',
        'ExecutionSucceeded',
      ]);
      expect(iterations).toEqual([
        ['MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded'],
        ['MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded'],
      ]);
      events.forEach((event, index) => {
        expect(event.id).toBe(index + 1);
        expect(event.timestamp).toBeInstanceOf(Date);
        expect(event.previousEventId).toBeLessThan(event.id ?? 0);
      });
      expect(events[0]?.previousEventId).toBe(0);
      expect(events.find((event) => event.type === 'TaskScheduled')).toMatchObject({
        taskScheduledEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke',
          region: 'us-east-1',
          parameters: expect.stringContaining('"FunctionName"'),
        },
      });
      expect(events.find((event) => event.type === 'MapIterationStarted')).toMatchObject({
        mapIterationStartedEventDetails: { name: 'Each', index: 0 },
      });
    });

    it('drops inputs and outputs without includeExecutionData, and reverses and pages', async () => {
      const { sfn, executionArn } = await run({ fast: true });

      const { events } = await sfn.getExecutionHistory({
        executionArn,
        includeExecutionData: false,
        reverseOrder: true,
        maxResults: 2,
      });

      expect(events?.map((event) => event.type)).toEqual(['ExecutionSucceeded', 'MapStateExited']);
      expect(events?.[0]?.executionSucceededEventDetails).toEqual({});
      expect(events?.[1]?.stateExitedEventDetails).toEqual({ name: 'Each' });
    });
  });

  it('pauses overridden Wait states for the given milliseconds, whatever the input says', async () => {
    const sfn = localStepFunctions({}, { waitOverridesMs: { Cooldown: 0 } });
    const stateMachineArn = await machine(
      sfn,
      JSON.stringify({
        StartAt: 'Cooldown',
        States: { Cooldown: { Type: 'Wait', SecondsPath: '$.cooldownSeconds', End: true } },
      }),
    );
    const { executionArn } = await sfn.startExecution({
      stateMachineArn,
      input: '{"cooldownSeconds":86400}',
    });

    expect(await sfn.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('times an execution out after its TimeoutSeconds', async () => {
    const sfn = localStepFunctions({ review: () => null });
    const stateMachineArn = await machine(
      sfn,
      JSON.stringify({ ...JSON.parse(waitForReview), TimeoutSeconds: 2 }),
    );
    const { executionArn } = await sfn.startExecution({ stateMachineArn });

    const execution = await sfn.waitForExecution(executionArn as string);

    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(types(await history(sfn, executionArn as string)).at(-1)).toBe('ExecutionTimedOut');
    expect(sfn.listPendingTaskTokens()).toEqual([]);
  });

  it('reads the handlers when a machine is created, so a start script may fill them late', async () => {
    const handlers: Record<string, LambdaHandler> = {};
    const sfn = new LocalStepFunctions({ lambdaHandlers: handlers });
    handlers[functionArn('publish')] = async () => ({ published: true });
    const stateMachineArn = await machine(
      sfn,
      JSON.stringify({
        StartAt: 'Publish',
        States: { Publish: invokeTask('publish', { End: true }) },
      }),
    );
    const { executionArn } = await sfn.startExecution({ stateMachineArn });

    expect(await sfn.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
  });
});
