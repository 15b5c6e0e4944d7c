/**
 * Load: 50 full onboardings at once against the local stack (create, presigned ID upload,
 * liveness result injected, submit, poll to the verdict), as `npm run load` runs them:
 * create -> verdict p50/p95, error answers by status, cases lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLoadReport, runLoad } from '../local/load/load-run.js';
import { caseHistory } from '../local/load/stack-history.js';
import { loadSelfie } from '../local/sample-data/faces.js';
import { generateIdDocument } from '../local/sample-data/id-document.js';
import { startLocalStack } from '../local/stack.js';

const CASES = 50;

export default async function run(): Promise<void> {
  const dataFolder = await mkdtemp(join(tmpdir(), 'kyc-bench-load-'));
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  const stack = await startLocalStack({ dataFolder, apiPort: 0, awsPort: 0, dynamoDbPort: 0 });
  try {
    const [selfie, idCard] = await Promise.all([
      loadSelfie('sample3-middle'),
      generateIdDocument({ face: 'sample3-middle', output: 'jpeg' }),
    ]);
    const report = await runLoad({
      apiUrl: stack.apiUrl,
      idImage: idCard.image,
      cases: CASES,
      concurrency: CASES,
      timeoutSeconds: 600,
      history: caseHistory(stack),
      completeLiveness: async (sessionId) => {
        await stack.aws.sessions.completeSession(sessionId, {
          confidence: 97,
          referenceImage: selfie,
          auditImages: [],
        });
      },
    });
    console.log(formatLoadReport(report));
  } finally {
    await stack.close();
    await rm(dataFolder, { recursive: true, force: true });
  }
}
