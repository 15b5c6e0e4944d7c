import type { LambdaHandler, LocalStepFunctions } from '../../../local/stepfunctions/index.js';
import { callbackTask, invokeTask } from './fixtures.js';

/** A task, a callback for a reviewer, another task: the shape of an onboarding execution. */
export const reviewFlow = JSON.stringify({
  StartAt: 'Prepare',
  States: {
    Prepare: invokeTask('prepare', { ResultPath: '$.prepared', Next: 'Review' }),
    Review: callbackTask('review', {
      TimeoutSeconds: 3600,
      ResultPath: '$.review',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Publish' }],
      Next: 'Publish',
    }),
    Publish: invokeTask('publish', { ResultPath: '$.published', End: true }),
  },
});

export const ticks = 1000;

/** Many small steps, so that a process killed at a random moment dies in the middle of a write. */
export const busyLoop = JSON.stringify({
  StartAt: 'Tick',
  States: {
    Tick: invokeTask('tick', { ResultSelector: { 'count.$': '$.Payload' }, Next: 'More' }),
    More: {
      Type: 'Choice',
      Choices: [{ Variable: '$.count', NumericLessThan: ticks, Next: 'Tick' }],
      Default: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
});

export const restartHandlers: Record<string, LambdaHandler> = {
  prepare: async () => ({ prepared: true }),
  review: async () => ({ queued: true }),
  publish: async () => ({ published: true }),
  tick: async (payload: { count: number }) => payload.count + 1,
};

export async function createRestartMachines(
  sfn: LocalStepFunctions,
): Promise<{ review: string; busy: string }> {
  const review = await sfn.createStateMachine({ name: 'review', definition: reviewFlow });
  const busy = await sfn.createStateMachine({ name: 'busy', definition: busyLoop });
  return { review: review.stateMachineArn as string, busy: busy.stateMachineArn as string };
}
