/**
 * A service down entirely, and workflow functions that fail or time out: the ASL retries, then
 * its Catch takes the case to the alternate path (manual review). No case is stuck and none
 * fails silently: each either waits for a reviewer who can settle it or has its verdict.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decided } from '../../../local/applicant-client.js';
import type { LocalStack } from '../../../local/stack.js';
import { startTestStack, type TestStack } from '../fixtures/test-stack.js';
import { FaultScenario, failedAttempts, loadInputs, retriesIn, statesEntered } from './fixtures.js';

const operator = { username: 'ops-faults', password: 'faults-operator-password-1' };
let testStack: TestStack;
let stack: LocalStack;
let scenario: FaultScenario;

beforeAll(async () => {
  testStack = await startTestStack('kyc-faults-outage-', {
    operator,
    faults: { seed: 6, functionTimeoutMs: 200 },
    retryTimeScale: 0.01,
  });
  stack = testStack.stack;
  scenario = new FaultScenario(stack, await loadInputs());
});

afterEach(() => stack.faults.clear());

afterAll(async () => {
  await testStack?.close();
});

/** The case waits in the review queue on a task token: an operator can settle it. */
async function expectQueuedForReview(scenarioCase: Parameters<FaultScenario['history']>[0]) {
  const executionArn = scenario.executionArn(scenarioCase);
  expect(await stack.stepFunctions.describeExecution({ executionArn })).toMatchObject({
    status: 'RUNNING',
  });
  expect(stack.stepFunctions.listPendingTaskTokens(executionArn)).toEqual([
    expect.objectContaining({ stateName: 'ManualReview' }),
  ]);
  const queue = await fetch(`${stack.apiUrl}/ops/reviews`, {
    headers: { authorization: `Bearer ${await testStack.signIn()}` },
  });
  const items = ((await queue.json()) as { items: { caseId: string }[] }).items;
  expect(items.map((item) => item.caseId)).toContain(scenarioCase.caseId);
}

describe('a service down entirely (every call 5xx)', () => {
  it('Rekognition: the liveness check is retried, then the cases go to review and can be settled', async () => {
    const cases = await Promise.all(
      [1, 2].map((n) => scenario.prepare('match', `rekognition-down-${n}`)),
    );
    stack.faults.set('rekognition:unavailable=1');
    const statuses = await Promise.all(cases.map((created) => scenario.decide(created)));
    expect(statuses).toEqual(['UNDER_REVIEW', 'UNDER_REVIEW']);
    for (const created of cases) {
      const history = await scenario.history(created);
      // The first attempt and the ASL's three retries of ServiceUnavailableError, then Catch.
      expect(failedAttempts(history, 'CheckLiveness')).toEqual(
        Array.from({ length: 4 }, () => 'ServiceUnavailableError'),
      );
      expect(statesEntered(history)).toEqual(expect.arrayContaining(['Decide', 'ManualReview']));
      await expectQueuedForReview(created);
    }
    expect(stack.faults.counts()['rekognition.GetFaceLivenessSessionResults:unavailable']).toBe(
      // Two cases, four attempts each, two SDK attempts per function attempt.
      16,
    );

    // Back up: an operator settles one; the applicant sees the verdict.
    stack.faults.clear();
    const [first] = cases;
    if (!first) throw new Error('no case');
    const settle = await fetch(`${stack.apiUrl}/ops/reviews/${first.caseId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await testStack.signIn()}`,
      },
      body: JSON.stringify({ outcome: 'APPROVED', reason: 'Checked after the outage' }),
    });
    expect(settle.status).toBe(200);
    expect(await scenario.client.waitFor(first, decided)).toMatchObject({ status: 'APPROVED' });
  });

  it('Textract: the document read is retried, then the case goes to review', async () => {
    const created = await scenario.prepare('match', 'textract-down-1');
    stack.faults.set('textract:internal=1');
    expect(await scenario.decide(created)).toBe('UNDER_REVIEW');
    const history = await scenario.history(created);
    expect(failedAttempts(history, 'AnalyzeDocument')).toEqual(
      Array.from({ length: 4 }, () => 'ServiceUnavailableError'),
    );
    expect(statesEntered(history)).toEqual(
      expect.arrayContaining(['DocumentFailed', 'Decide', 'ManualReview']),
    );
    await expectQueuedForReview(created);
  });
});

describe('a workflow function that fails', () => {
  it('times out (Sandbox.Timedout): retried by the ASL, then caught onto the alternate path', async () => {
    const created = await scenario.prepare('match', 'function-timeout-1');
    stack.faults.set('function.estimate-age:timeout=1');
    expect(await scenario.decide(created)).not.toBe('IN_PROGRESS');
    const history = await scenario.history(created);
    expect(failedAttempts(history, 'EstimateAge')).toEqual(
      Array.from({ length: 4 }, () => 'Sandbox.Timedout'),
    );
    expect(retriesIn(history, ['EstimateAge'])).toHaveLength(3);
    expect(statesEntered(history)).toEqual(expect.arrayContaining(['AgeEstimateFailed', 'Decide']));
    expect(stack.faults.counts()['function.estimate-age:timeout']).toBe(4);
    const { status } = await stack.stepFunctions.describeExecution({
      executionArn: scenario.executionArn(created),
    });
    expect(['RUNNING', 'SUCCEEDED']).toContain(status);
  });

  it('throws an unhandled error: not retried (not transient), caught onto the alternate path', async () => {
    const created = await scenario.prepare('match', 'function-throws-1');
    stack.faults.set('function.compare-faces:throw=1');
    expect(await scenario.decide(created)).toBe('UNDER_REVIEW');
    const history = await scenario.history(created);
    expect(failedAttempts(history, 'CompareFaces')).toEqual(['Error']);
    expect(statesEntered(history)).toEqual(
      expect.arrayContaining(['FaceMatchFailed', 'ManualReview']),
    );
    await expectQueuedForReview(created);
  });

  it('hits Lambda service errors half the time: retried until it succeeds, same verdict', async () => {
    const created = await scenario.prepare('match', 'function-flaky-1');
    // Seed 7 fails the first two of Decide's attempts and lets the third through.
    stack.faults.set('function.decide:service-error=0.5', { seed: 7 });
    expect(await scenario.decide(created)).toBe('APPROVED');
    const history = await scenario.history(created);
    expect(failedAttempts(history, 'Decide')).toEqual([
      'Lambda.ServiceException',
      'Lambda.ServiceException',
    ]);
    expect(retriesIn(history, ['Decide'])).toHaveLength(2);
  });
});
