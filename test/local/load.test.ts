/**
 * The load run, small and bounded: ten full onboardings at once against the local stack
 * reach their verdicts with no case lost and no 5xx; the run refuses other hosts and
 * unbounded sizes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LoadOptionsError, runLoad } from '../../local/load/load-run.js';
import { runLoadOnStack } from './fixtures/stack-load.js';
import { startTestStack, type TestStack } from './fixtures/test-stack.js';

let testStack: TestStack;

beforeAll(async () => {
  testStack = await startTestStack('kyc-load-');
});

afterAll(async () => {
  await testStack?.close();
});

it('runs 10 concurrent onboardings to their verdicts: none lost, no 5xx', async () => {
  const report = await runLoadOnStack(testStack.stack, {
    cases: 10,
    concurrency: 10,
    timeoutSeconds: 240,
  });
  console.info(
    `load: 10 at once, create -> verdict p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms`,
  );
  expect(report).toMatchObject({ cases: 10, lost: 0, serverErrors: 0 });
  // Approved, or under review if a check outlasted its task timeout on a loaded machine.
  const { APPROVED = 0, UNDER_REVIEW = 0, ...others } = report.outcomes;
  expect({ decided: APPROVED + UNDER_REVIEW, others }).toEqual({ decided: 10, others: {} });
  expect(APPROVED).toBeGreaterThan(0);
  expect(report.latencyMs.p95).toBeGreaterThanOrEqual(report.latencyMs.p50);
  // Only transient failures, which the ASL retries: throttling of the bounded face engine queue.
  const transient = ['ServiceThrottledError', 'ServiceUnavailableError'];
  expect(Object.keys(report.taskFailures ?? {}).filter((e) => !transient.includes(e))).toEqual([]);
}, 300_000);

it.each([
  [{ apiUrl: 'http://192.168.1.20:3001' }, /only targets this machine/],
  [{ apiUrl: 'https://api.example.com' }, /only targets this machine/],
  [{ cases: 5000 }, /cases must be a whole number from 1 to 1000/],
  [{ concurrency: 0 }, /concurrency must be/],
  [{ timeoutSeconds: 86_400 }, /timeout must be/],
])('refuses %j', async (override, message) => {
  const run = runLoad({
    apiUrl: 'http://127.0.0.1:1',
    idImage: new Uint8Array(),
    cases: 1,
    concurrency: 1,
    timeoutSeconds: 1,
    completeLiveness: async () => undefined,
    ...override,
  });
  await expect(run).rejects.toThrow(LoadOptionsError);
  await expect(run).rejects.toThrow(message);
});
