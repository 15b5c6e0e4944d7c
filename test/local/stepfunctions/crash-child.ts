// Run by restart-crash.test.ts in a child process that it kills with SIGKILL: executions wait
// on callbacks, hang in a task and loop through many small steps when the kill lands.
import { localStepFunctions } from './fixtures.js';
import { createRestartMachines, restartHandlers } from './restart-fixtures.js';

const [dataDir] = process.argv.slice(2);
const sfn = localStepFunctions(
  {
    ...restartHandlers,
    prepare: (payload: { hang?: boolean }) =>
      payload.hang ? new Promise(() => {}) : Promise.resolve({ prepared: true }),
  },
  { dataDir },
);
const { review, busy } = await createRestartMachines(sfn);

const tokens: Record<string, string> = {};
for (const name of ['review-1', 'review-2', 'review-3']) {
  const { executionArn = '' } = await sfn.startExecution({ stateMachineArn: review, name });
  tokens[executionArn] = (
    await sfn.waitForTaskToken({ executionArn, stateName: 'Review' })
  ).taskToken;
}
const inFlight = await sfn.startExecution({ stateMachineArn: review, input: '{"hang":true}' });
const looping = await Promise.all(
  [1, 2, 3, 4].map(() => sfn.startExecution({ stateMachineArn: busy, input: '{"count":0}' })),
);
process.stdout.write(
  `${JSON.stringify({
    tokens,
    inFlight: inFlight.executionArn,
    looping: looping.map(({ executionArn }) => executionArn),
  })}\n`,
);
