/**
 * Crash safety of the whole local stack: a process with a decided case, a pending review, a
 * pending liveness retry, a running execution and a burst of twelve cases in flight, while
 * an ID photo is being overwritten, is killed with SIGKILL; a new process on the same data
 * folder accounts for every case, the stored task tokens still work, and no object is
 * half-written.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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
import { startTestStack, type TestStack } from './fixtures/test-stack.js';

const operator = { username: 'ops-restart', password: 'restart-operator-password-1' };
let dataFolder: string;
let testStack: TestStack | undefined;

afterAll(async () => {
  if (testStack) await testStack.close();
  else if (dataFolder) await rm(dataFolder, { recursive: true, force: true });
});

type BurstKind = 'match' | 'old-dob' | 'expired';
/** What each kind of burst case ends as when nothing goes wrong. */
const burstVerdicts: Record<BurstKind, string> = {
  match: 'APPROVED',
  'old-dob': 'UNDER_REVIEW',
  expired: 'REJECTED',
};

interface Report {
  approved: CreatedCase;
  review: CreatedCase;
  retry: CreatedCase;
  running: CreatedCase;
  burst: { kind: BurstKind; created: CreatedCase }[];
  uploads: CreatedCase;
}

const resumedArnOf = (created: CreatedCase) =>
  `arn:aws:states:us-east-1:000000000000:execution:kyc-onboarding:${created.caseId}`;

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

  testStack = await startTestStack('kyc-restart-', { dataFolder, operator });
  const { stack } = testStack;
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
  const idToken = await testStack.signIn();
  const settle = await fetch(`${stack.apiUrl}/ops/reviews/${report.review.caseId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
    body: JSON.stringify({ outcome: 'REJECTED', reason: 'Checked after the restart' }),
  });
  expect(settle.status).toBe(200);
  expect(await client.waitFor(report.review, decided)).toMatchObject({ status: 'REJECTED' });

  // The burst: every case reaches the verdict of its kind (resumed where it was running), or
  // fails with the stated reason why it could not resume; none is lost or stuck.
  const burstIds = new Set(report.burst.map(({ created }) => created.caseId));
  const resumedBurst = stack.resumed.filter((r) =>
    burstIds.has(r.executionArn.split(':').pop() ?? ''),
  );
  expect(resumedBurst.length).toBeGreaterThan(0);
  const { stepFunctions } = stack;
  const outcomes = await Promise.all(
    report.burst.map(async ({ kind, created }) => {
      const view = await client.waitFor(created, settled, 180_000);
      const execution = await stepFunctions.describeExecution({
        executionArn: resumedArnOf(created),
      });
      return {
        kind,
        created,
        status: view.status,
        execution: execution.status,
        cause: execution.cause,
      };
    }),
  );
  const failed = outcomes.filter((outcome) => outcome.execution === 'FAILED');
  for (const outcome of failed) expect(outcome.cause).toMatch(/could not resume/);
  expect(
    outcomes
      .filter((outcome) => outcome.execution !== 'FAILED')
      .map(({ kind, status }) => ({ kind, status })),
  ).toEqual(
    outcomes
      .filter((outcome) => outcome.execution !== 'FAILED')
      .map(({ kind }) => ({ kind, status: burstVerdicts[kind] })),
  );
  console.info(
    `burst of ${outcomes.length}: ${resumedBurst.length} resumed after the kill, ${failed.length} failed with a reason`,
  );

  // No review token lost: the operator settles every burst case waiting for review.
  const token = await testStack.signIn();
  const queue = (await (
    await fetch(`${stack.apiUrl}/ops/reviews`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { items: { caseId: string }[] };
  const waiting = outcomes.filter((outcome) => outcome.status === 'UNDER_REVIEW');
  expect(waiting.length).toBeGreaterThan(0);
  expect(queue.items.map((item) => item.caseId)).toEqual(
    expect.arrayContaining(waiting.map(({ created }) => created.caseId)),
  );
  for (const { created } of waiting) {
    const approve = await fetch(`${stack.apiUrl}/ops/reviews/${created.caseId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ outcome: 'APPROVED', reason: 'Checked after the crash' }),
    });
    expect(approve.status).toBe(200);
    expect(await client.waitFor(created, decided)).toMatchObject({ status: 'APPROVED' });
  }

  // No half-written object: no temporary file is left, every object's body is whole, and the
  // photo being uploaded again at the kill is either whole or (cleared by the round's new
  // upload URL, not yet written again) absent, never partial.
  const { names, objects } = await storedObjects('kyc-onboarding-local');
  expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  expect(objects.filter((object) => !object.complete)).toEqual([]);
  const photo = objects.filter((object) =>
    object.key.startsWith(`cases/${report.uploads.caseId}/`),
  );
  expect(photo.length).toBeLessThanOrEqual(1);
  for (const { key } of photo) {
    expect((await stack.aws.objects.head('kyc-onboarding-local', key))?.size).toBe(4 * 1024 * 1024);
  }
}, 300_000);

/** Every object of the local S3 bucket as stored: no temporary file, no partial body. */
async function storedObjects(folder: string) {
  const bucketFolder = join(dataFolder, 's3', folder);
  const names = await readdir(bucketFolder);
  const sidecars = names.filter((name) => name.endsWith('.json'));
  const objects = await Promise.all(
    sidecars.map(async (name) => {
      const sidecar = JSON.parse(await readFile(join(bucketFolder, name), 'utf8')) as {
        key: string;
        etag: string;
        size: number;
        bodyFile: string;
      };
      const body = await readFile(join(bucketFolder, sidecar.bodyFile));
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      return { key: sidecar.key, complete: body.length === sidecar.size && etag === sidecar.etag };
    }),
  );
  return { names, objects };
}
