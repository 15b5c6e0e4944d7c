/**
 * 30% of the Rekognition, Textract and S3 read calls throttled: every case still reaches the
 * verdict it reaches without faults, through the SDK's and the ASL's retries, and the ASL's
 * retries show in the execution history.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/stack.js';
import { startTestStack, type TestStack } from '../fixtures/test-stack.js';
import {
  type CaseKind,
  caseKinds,
  FaultScenario,
  loadInputs,
  retriesIn,
  workflowTasks,
} from './fixtures.js';

const THROTTLED =
  'rekognition:throttle=0.3,textract:throttle=0.3,s3.GetObject:throttle=0.3,s3.HeadObject:throttle=0.3';
// Enough cases that some service call fails past the SDK's second attempt: the expected number
// of ASL retries is about 6, none at all would happen about once in 500 runs.
const faultedKinds: readonly CaseKind[] = [
  ...Array.from({ length: 8 }, () => 'match' as const),
  'expired',
  'expired',
  'other-face',
  'other-face',
];

let testStack: TestStack;
let stack: LocalStack;
let scenario: FaultScenario;

beforeAll(async () => {
  testStack = await startTestStack('kyc-faults-throttle-', {
    faults: { seed: 20261121 },
    retryTimeScale: 0.01,
  });
  stack = testStack.stack;
  scenario = new FaultScenario(stack, await loadInputs());
});

afterAll(async () => {
  await testStack?.close();
});

it('reaches the fault-free verdicts with 30% of service calls throttled; the retries show', async () => {
  // Without faults: the verdict of each kind of case.
  const baseline = Object.fromEntries(
    await Promise.all(
      caseKinds.map(async (kind) => [
        kind,
        await scenario.decide(await scenario.prepare(kind, `throttle-baseline-${kind}`)),
      ]),
    ),
  ) as Record<CaseKind, string>;
  expect(baseline.match).toBe('APPROVED');
  expect(baseline.expired).toBe('REJECTED');
  expect(new Set(Object.values(baseline)).size).toBeGreaterThan(1);

  stack.faults.set(THROTTLED);
  const cases = await Promise.all(
    faultedKinds.map(async (kind, index) => {
      const created = await scenario.prepare(kind, `throttled-${kind}-${index}`);
      return { kind, created, status: await scenario.decide(created) };
    }),
  );
  const injected = stack.faults.counts();
  stack.faults.clear();

  expect(cases.map(({ kind, status }) => ({ kind, status }))).toEqual(
    faultedKinds.map((kind) => ({ kind, status: baseline[kind] })),
  );
  const executions = await Promise.all(
    cases.map(({ created }) =>
      stack.stepFunctions.describeExecution({
        executionArn: scenario.executionArn(created),
      }),
    ),
  );
  expect(executions.map((execution) => execution.status)).toEqual(cases.map(() => 'SUCCEEDED'));
  const throttles = Object.entries(injected)
    .filter(([key]) => key.endsWith(':throttle'))
    .reduce((sum, [, count]) => sum + count, 0);
  expect(throttles).toBeGreaterThan(0);

  const retries = (
    await Promise.all(
      cases.map(async ({ created }) => retriesIn(await scenario.history(created), workflowTasks)),
    )
  ).flat();
  console.info(
    `throttled: ${throttles} calls (${JSON.stringify(injected)}); ASL retries: ${retries.length}`,
  );
  expect(retries.length).toBeGreaterThan(0);
  // Throttles reach the workflow under its own error names, which its Retry matches: a
  // throttled HEAD has no body to name the error, so the SDK sees only its 503.
  const transient = ['ServiceThrottledError', 'ServiceUnavailableError'];
  expect(retries.filter((retry) => !transient.includes(retry.error))).toEqual([]);
});
