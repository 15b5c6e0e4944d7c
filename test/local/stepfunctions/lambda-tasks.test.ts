import { describe, expect, it } from 'vitest';
import { stateEvents } from '../../../local/stepfunctions/index.js';
import {
  history,
  invokeTask,
  localStepFunctions,
  RejectedError,
  start,
  TransientError,
  types,
} from './fixtures.js';

describe('lambda:invoke tasks', () => {
  it('give the handler the resolved Payload and return the Lambda invoke result', async () => {
    const payloads: unknown[] = [];
    const sfn = localStepFunctions({
      score: async (payload: { caseId: string }) => {
        payloads.push(payload);
        return { score: 97 };
      },
    });

    const executionArn = await start(
      sfn,
      {
        StartAt: 'Score',
        States: {
          Score: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: {
              FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:score',
              Payload: { 'caseId.$': '$.caseId', 'execution.$': '$$.Execution.Name' },
            },
            ResultPath: '$.invocation',
            End: true,
          },
        },
      },
      { caseId: 'case-1' },
    );
    const execution = await sfn.waitForExecution(executionArn);

    expect(payloads).toEqual([{ caseId: 'case-1', execution: execution.name }]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({
      caseId: 'case-1',
      invocation: {
        ExecutedVersion: '$LATEST',
        Payload: { score: 97 },
        SdkHttpMetadata: expect.objectContaining({ HttpStatusCode: 200 }),
        SdkResponseMetadata: { RequestId: expect.any(String) },
        StatusCode: 200,
      },
    });
  });

  it('let a ResultSelector pick fields from $.Payload as on AWS', async () => {
    const sfn = localStepFunctions({ score: async () => ({ score: 97, debug: 'x' }) });

    const executionArn = await start(sfn, {
      StartAt: 'Score',
      States: {
        Score: invokeTask('score', { ResultSelector: { 'score.$': '$.Payload.score' }, End: true }),
      },
    });

    expect((await sfn.waitForExecution(executionArn)).output).toBe('{"score":97}');
  });

  it('retry a custom error name with backoff until MaxAttempts, visible in the history', async () => {
    let calls = 0;
    const sfn = localStepFunctions({
      flaky: async () => {
        calls += 1;
        throw new TransientError(`busy ${calls}`);
      },
    });

    const executionArn = await start(sfn, {
      StartAt: 'Flaky',
      States: {
        Flaky: invokeTask('flaky', {
          Retry: [
            { ErrorEquals: ['RejectedError'], MaxAttempts: 5 },
            {
              ErrorEquals: ['TransientError'],
              IntervalSeconds: 2,
              BackoffRate: 3,
              MaxDelaySeconds: 10,
              MaxAttempts: 3,
            },
          ],
          End: true,
        }),
      },
    });
    const execution = await sfn.waitForExecution(executionArn);
    const [visit] = stateEvents(await history(sfn, executionArn), 'Flaky');

    expect(calls).toBe(4);
    expect(types(visit ?? []).filter((type) => type === 'TaskScheduled')).toHaveLength(4);
    expect(types(visit ?? []).filter((type) => type === 'TaskFailed')).toHaveLength(4);
    expect(visit?.at(-1)?.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'TransientError',
      cause: JSON.stringify({ errorType: 'TransientError', errorMessage: 'busy 4' }),
    });
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'TransientError',
      cause: JSON.stringify({ errorType: 'TransientError', errorMessage: 'busy 4' }),
    });
  });

  it('go to the Catch path with the error at its ResultPath', async () => {
    const sfn = localStepFunctions({
      check: async () => {
        throw new RejectedError('document expired');
      },
    });

    const executionArn = await start(
      sfn,
      {
        StartAt: 'Check',
        States: {
          Check: invokeTask('check', {
            Retry: [{ ErrorEquals: ['TransientError'] }],
            Catch: [{ ErrorEquals: ['RejectedError'], ResultPath: '$.failure', Next: 'Review' }],
            Next: 'Approve',
          }),
          Approve: { Type: 'Succeed' },
          Review: { Type: 'Pass', End: true },
        },
      },
      { caseId: 'case-1' },
    );
    const execution = await sfn.waitForExecution(executionArn);
    const events = await history(sfn, executionArn);

    expect(JSON.parse(execution.output ?? '')).toEqual({
      caseId: 'case-1',
      failure: {
        Error: 'RejectedError',
        Cause: JSON.stringify({ errorType: 'RejectedError', errorMessage: 'document expired' }),
      },
    });
    expect(events.flatMap((event) => event.stateEnteredEventDetails?.name ?? [])).toEqual([
      'Check',
      'Review',
    ]);
    expect(types(stateEvents(events, 'Check')[0] ?? [])).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
    ]);
  });

  it('run Parallel branches and catch a failure inside one of them', async () => {
    const sfn = localStepFunctions({
      compare: async () => ({ similarity: 99.1 }),
      analyze: async () => {
        throw new RejectedError('unreadable');
      },
    });

    const executionArn = await start(sfn, {
      StartAt: 'Evidence',
      States: {
        Evidence: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Compare',
              States: { Compare: invokeTask('compare', { End: true }) },
            },
            {
              StartAt: 'Analyze',
              States: {
                Analyze: invokeTask('analyze', {
                  Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'NoDocument' }],
                  End: true,
                }),
                NoDocument: { Type: 'Pass', Result: { document: null }, End: true },
              },
            },
          ],
          End: true,
        },
      },
    });
    const execution = await sfn.waitForExecution(executionArn);
    const events = await history(sfn, executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual([
      { result: { similarity: 99.1 } },
      { document: null },
    ]);
    expect(types(stateEvents(events, 'Evidence')[0] ?? [])).toEqual([
      'ParallelStateEntered',
      'ParallelStateStarted',
      'ParallelStateSucceeded',
      'ParallelStateExited',
    ]);
    expect(types(stateEvents(events, 'Analyze')[0] ?? [])).toContain('TaskFailed');
  });

  it('fail the execution with a Fail state error and cause', async () => {
    const sfn = localStepFunctions({});

    const executionArn = await start(sfn, {
      StartAt: 'Reject',
      States: { Reject: { Type: 'Fail', Error: 'CaseRejected', Cause: 'policy says no' } },
    });

    expect(await sfn.waitForExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'CaseRejected',
      cause: 'policy says no',
    });
  });
});
