/**
 * State transitions per onboarding path: Standard workflows are billed per transition, so
 * this is the workflow's cost driver. Runs the real ASL on the local runtime with scripted
 * service answers (the same harness as the workflow tests).
 */
import { startScenario } from '../test/statemachines/onboarding-harness.js';

async function transitions(name: string, run: Awaited<ReturnType<typeof startScenario>>) {
  const result = await run.finish();
  // AWS counts a transition for each state entered, nested ones included.
  const entered = result.events.filter((event) => event.type?.endsWith('StateEntered')).length;
  console.log(
    `${name.padEnd(44)} ${String(entered).padStart(3)} state transitions (${result.output?.outcome})`,
  );
}

export default async function run(): Promise<void> {
  await transitions(
    'happy path (bank, approved)',
    await startScenario({ profileId: 'bank-onboarding', livenessConfidences: [98] }),
  );
  await transitions(
    'happy path (age gate, face only, approved)',
    await startScenario({ profileId: 'age-gate', idImageKey: null, livenessConfidences: [95] }),
  );
  const retry = await startScenario({
    profileId: 'bank-onboarding',
    livenessConfidences: [40, 97],
  });
  await retry.answer('AwaitLivenessRetry', { livenessSessionId: 'session-2' });
  await transitions('one liveness retry, then approved', retry);
  const review = await startScenario({
    profileId: 'bank-onboarding',
    livenessConfidences: [99],
    similarity: 88,
  });
  await review.answer('ManualReview', {
    outcome: 'APPROVED',
    reviewerId: 'bench',
    decidedAt: new Date().toISOString(),
  });
  await transitions('manual review, approved', review);
}
