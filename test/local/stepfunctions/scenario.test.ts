import { expect, it } from 'vitest';
import { stateEvents } from '../../../local/stepfunctions/index.js';
import {
  callbackTask,
  history,
  invokeTask,
  localStepFunctions,
  start,
  TransientError,
  types,
} from './fixtures.js';

// The shape of a workflow scenario test: scripted handlers, a callback answered by the test,
// then the path taken and the retries read from the history.
it('runs a scenario: callback answered, then a flaky step retried until it succeeds', async () => {
  let publishCalls = 0;
  const sfn = localStepFunctions({
    review: async () => ({ queued: true }),
    publish: async () => {
      publishCalls += 1;
      if (publishCalls < 3) throw new TransientError('throttled');
      return { published: true };
    },
  });
  const executionArn = await start(
    sfn,
    {
      StartAt: 'Review',
      States: {
        Review: callbackTask('review', {
          TimeoutSeconds: 3600,
          ResultPath: '$.review',
          Next: 'Publish',
        }),
        Publish: invokeTask('publish', {
          Retry: [
            { ErrorEquals: ['TransientError'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 5 },
          ],
          ResultPath: '$.publish',
          End: true,
        }),
      },
    },
    { caseId: 'case-1' },
  );

  const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName: 'Review' });
  await sfn.sendTaskSuccess({ taskToken, output: JSON.stringify({ decision: 'APPROVE' }) });
  const execution = await sfn.waitForExecution(executionArn);
  const [publish] = stateEvents(await history(sfn, executionArn), 'Publish');

  expect(execution.status).toBe('SUCCEEDED');
  expect(JSON.parse(execution.output ?? '')).toEqual({
    caseId: 'case-1',
    review: { decision: 'APPROVE' },
    publish: { result: { published: true } },
  });
  expect(types(publish ?? []).filter((type) => type === 'TaskFailed')).toHaveLength(2);
});
