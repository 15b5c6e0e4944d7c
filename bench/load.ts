/**
 * Load: 50 full onboardings at once against the local stack (create, presigned ID upload,
 * liveness result injected, submit, poll to the verdict), as `npm run load` runs them:
 * create -> verdict p50/p95, error answers by status, cases lost.
 */
import { formatLoadReport } from '../local/load/load-run.js';
import { runLoadOnStack } from '../test/local/fixtures/stack-load.js';
import { startTestStack } from '../test/local/fixtures/test-stack.js';

const CASES = 50;

export default async function run(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  const { stack, close } = await startTestStack('kyc-bench-load-');
  try {
    const report = await runLoadOnStack(stack, {
      cases: CASES,
      concurrency: CASES,
      timeoutSeconds: 600,
    });
    console.log(formatLoadReport(report));
  } finally {
    await close();
  }
}
