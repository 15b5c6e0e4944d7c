/**
 * End-to-end onboarding on the local stack (real functions, ASL, face engine and OCR):
 * submit -> verdict latency over 20 sequential cases, then 20 concurrent cases (all must
 * reach a verdict; none lost). Liveness results are injected through the session store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicantClient, type CreatedCase, settled } from '../local/applicant-client.js';
import { loadSelfie } from '../local/sample-data/faces.js';
import { generateIdDocument } from '../local/sample-data/id-document.js';
import { startLocalStack } from '../local/stack.js';
import { summary } from './_stats.js';

const cases = 20;
/**
 * Retries after a 429 or 503, each waiting as Retry-After says: enough to ride out a busy
 * machine (a load run before, another process beside), bounded so a real outage still fails.
 */
const maxRetries = 30;

export default async function run(): Promise<void> {
  const dataFolder = await mkdtemp(join(tmpdir(), 'kyc-bench-'));
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  const stack = await startLocalStack({ dataFolder, apiPort: 0, awsPort: 0, dynamoDbPort: 0 });
  try {
    let refused = 0;
    const client = new ApplicantClient(stack.apiUrl, {
      maxRetries,
      onResponse: (status) => {
        if (status === 429 || status === 503) refused += 1;
      },
    });
    const selfie = await loadSelfie('sample3-middle');
    const idCard = (await generateIdDocument({ face: 'sample3-middle', output: 'jpeg' })).image;

    const prepare = async (token: string): Promise<CreatedCase> => {
      const created = await client.createCase('bank-onboarding', token);
      await client.uploadIdImage(created, idCard);
      await stack.aws.sessions.completeSession(created.livenessSessionId, {
        confidence: 97,
        referenceImage: selfie,
        auditImages: [selfie],
      });
      return created;
    };
    const decide = async (created: CreatedCase) => {
      const started = performance.now();
      await client.submit(created, created.livenessSessionId);
      const view = await client.waitFor(created, settled, 180_000, 20);
      return { ms: performance.now() - started, status: view.status };
    };

    const sequential: number[] = [];
    for (let i = 0; i < cases; i += 1) {
      const result = await decide(await prepare(`bench-seq-${i}-${Date.now()}`));
      if (result.status !== 'APPROVED') throw new Error(`case ended ${result.status}`);
      sequential.push(result.ms);
    }
    console.log(`submit -> verdict, one case at a time: ${summary(sequential)}`);

    const prepared = await Promise.all(
      Array.from({ length: cases }, (_, i) => prepare(`bench-par-${i}-${Date.now()}`)),
    );
    const started = performance.now();
    const results = await Promise.allSettled(prepared.map(decide));
    const seconds = (performance.now() - started) / 1000;
    const approved = results.filter(
      (r) => r.status === 'fulfilled' && r.value.status === 'APPROVED',
    );
    const latencies = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.ms] : []));
    console.log(
      `${cases} concurrent cases: ${approved.length} approved, ${cases - latencies.length} lost, ` +
        `${seconds.toFixed(1)} s wall, ${((cases / seconds) * 60).toFixed(0)} cases/min, ${summary(latencies)}`,
    );
    console.log(`answers 429/503 waited out (Retry-After): ${refused}`);
  } finally {
    await stack.close();
    await rm(dataFolder, { recursive: true, force: true });
  }
}
