/**
 * Crash safety of the whole local stack: a process with a decided case, a pending review, a
 * pending liveness retry and a running execution is killed with SIGKILL; a new process on
 * the same data folder accounts for every case, and the stored task tokens still work.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import {
  ApplicantClient,
  type CreatedCase,
  decided,
  settled,
} from '../../local/applicant-client.js';
import { loadSelfie } from '../../local/sample-data/faces.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

const operator = { username: 'ops-restart', password: 'restart-operator-password-1' };
let dataFolder: string;
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.close();
  if (dataFolder) await rm(dataFolder, { recursive: true, force: true });
});

interface Report {
  approved: CreatedCase;
  review: CreatedCase;
  retry: CreatedCase;
  running: CreatedCase;
}

async function crashChild(): Promise<Report> {
  const script = fileURLToPath(new URL('./stack-crash-child.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, dataFolder, operator.username, operator.password],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    },
  );
  const exited = once(child, 'exit');
  let report: Report | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('REPORT ')) {
      report = JSON.parse(line.slice('REPORT '.length)) as Report;
      child.kill('SIGKILL');
      break;
    }
  }
  const [code, signal] = await exited;
  expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
  if (!report) throw new Error('the child stack never reported');
  return report;
}

it('accounts for every case after a SIGKILL; stored task tokens keep working', async () => {
  dataFolder = await mkdtemp(join(tmpdir(), 'kyc-restart-'));
  const report = await crashChild();

  stack = await startLocalStack({
    dataFolder,
    apiPort: 0,
    awsPort: 0,
    dynamoDbPort: 0,
    env: { LOCAL_OPERATOR_USERNAME: operator.username, LOCAL_OPERATOR_PASSWORD: operator.password },
  });
  const client = new ApplicantClient(stack.apiUrl);
  const executionOf = (created: CreatedCase) => expect.stringContaining(created.caseId);
  expect(stack.resumed).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ executionArn: executionOf(report.review), outcome: 'RESUMED' }),
      expect.objectContaining({ executionArn: executionOf(report.retry), outcome: 'RESUMED' }),
    ]),
  );

  // Decided before the crash: still decided.
  expect(await client.status(report.approved)).toMatchObject({ status: 'APPROVED' });

  // Running at the crash: resumed to a verdict (or, if it had finished, already there).
  expect(await client.waitFor(report.running, settled)).toMatchObject({ status: 'APPROVED' });

  // The pending liveness retry resumes with the token stored before the crash.
  expect(await client.status(report.retry)).toMatchObject({ nextStep: 'RETRY_LIVENESS' });
  const sessionId = await client.newLivenessSession(report.retry, 'after-restart-01');
  await stack.aws.sessions.completeSession(sessionId, {
    confidence: 97,
    referenceImage: await loadSelfie('sample3-middle'),
    auditImages: [],
  });
  await client.submit(report.retry, sessionId);
  expect(await client.waitFor(report.retry, settled)).toMatchObject({ status: 'APPROVED' });

  // The pending review is settled by an operator with the token stored before the crash.
  expect(await client.status(report.review)).toMatchObject({ status: 'UNDER_REVIEW' });
  const signIn = await fetch(`${stack.apiUrl}/local/operator/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(operator),
  });
  const { idToken } = (await signIn.json()) as { idToken: string };
  const settle = await fetch(`${stack.apiUrl}/ops/reviews/${report.review.caseId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
    body: JSON.stringify({ outcome: 'REJECTED', reason: 'Checked after the restart' }),
  });
  expect(settle.status).toBe(200);
  expect(await client.waitFor(report.review, decided)).toMatchObject({ status: 'REJECTED' });
});
