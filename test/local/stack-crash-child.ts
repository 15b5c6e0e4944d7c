/**
 * Child process of stack-restart.test.ts: starts the whole local stack on a data folder,
 * leaves cases in every interesting state, then submits a burst of cases at once and keeps
 * overwriting one ID photo, prints one REPORT line while they run and waits to be killed.
 */
import { ApplicantClient, type CreatedCase, settled } from '../../local/applicant-client.js';
import { loadSelfie } from '../../local/sample-data/faces.js';
import { generateIdDocument, type IdDocumentOptions } from '../../local/sample-data/id-document.js';
import { startLocalStack } from '../../local/stack.js';
import { testStackOptions } from './fixtures/test-stack.js';

const [dataFolder, username, password] = process.argv.slice(2) as [string, string, string];
const stack = await startLocalStack(
  testStackOptions(dataFolder, { operator: { username, password } }),
);
const client = new ApplicantClient(stack.apiUrl);
const selfie = await loadSelfie('sample3-middle');
const idCardOf = async (options: IdDocumentOptions = {}) =>
  (await generateIdDocument({ face: 'sample3-middle', output: 'jpeg', ...options })).image;
const idCard = await idCardOf();

/** Kinds of the burst's cases and the verdict each reaches: see stack-restart.test.ts. */
const burstKinds = ['match', 'old-dob', 'expired'] as const;
type BurstKind = (typeof burstKinds)[number];
const burstIds: Record<BurstKind, Buffer> = {
  match: idCard,
  // 86 by the document, about 30 by the face: a person must look (DOB_FACE_AGE_MISMATCH).
  'old-dob': await idCardOf({ dateOfBirth: '1940-01-01' }),
  expired: await idCardOf({ expiryDate: '2024-03-01' }),
};

async function prepared(token: string, confidence: number, id = idCard): Promise<CreatedCase> {
  const created = await client.createCase('bank-onboarding', token);
  await client.uploadIdImage(created, id);
  await stack.aws.sessions.completeSession(created.livenessSessionId, {
    confidence,
    referenceImage: selfie,
    auditImages: [],
  });
  return created;
}

async function submitted(token: string, confidence: number): Promise<CreatedCase> {
  const created = await prepared(token, confidence);
  await client.submit(created, created.livenessSessionId);
  return created;
}

const approved = await submitted('crash-approved-01', 97);
await client.waitFor(approved, settled);

// Three failed attempts: the case waits in the review queue on a task token.
const review = await submitted('crash-review-0001', 10);
for (let attempt = 2; attempt <= 3; attempt += 1) {
  await client.waitFor(review, settled);
  const sessionId = await client.newLivenessSession(review, `crash-review-retry-${attempt}`);
  await stack.aws.sessions.completeSession(sessionId, {
    confidence: 10,
    referenceImage: selfie,
    auditImages: [],
  });
  await client.submit(review, sessionId);
}
await client.waitFor(review, (view) => view.status === 'UNDER_REVIEW');

// One failed attempt: the workflow waits for the applicant's next liveness session.
const retry = await submitted('crash-retry-00001', 10);
await client.waitFor(retry, (view) => view.nextStep === 'RETRY_LIVENESS');

// Submitted last: its execution is running when the process dies.
const running = await submitted('crash-running-001', 97);

// A burst of twelve cases submitted at once; the process dies while most of them run.
const burst = await Promise.all(
  Array.from({ length: 12 }, async (_, index) => {
    const kind = burstKinds[index % burstKinds.length] as BurstKind;
    return { kind, created: await prepared(`crash-burst-${index}`, 97, burstIds[kind]) };
  }),
);
await Promise.all(burst.map(({ created }) => client.submit(created, created.livenessSessionId)));

// One ID photo uploaded again and again (4 MB each time; upload URLs are create-only, so
// each round asks a new one, which clears the earlier photo): the kill lands mid-write.
const uploads = await client.createCase('bank-onboarding', 'crash-uploads-01');
const bigPhoto = Buffer.concat([idCard, Buffer.alloc(4 * 1024 * 1024 - idCard.length, 7)]);
await client.uploadIdImage(uploads, bigPhoto);
void (async () => {
  for (;;) {
    // A round the busy stack refuses (a busy answer past its retries) is tried again: the
    // child must live until it is killed.
    await client
      .newIdUpload(uploads, 'image/jpeg')
      .then((target) => client.uploadIdImage(uploads, bigPhoto, target))
      .catch(() => new Promise((resolve) => setTimeout(resolve, 50)));
  }
})();
const [firstBurst] = burst;
if (firstBurst) await client.waitFor(firstBurst.created, settled);

console.log(`REPORT ${JSON.stringify({ approved, review, retry, running, burst, uploads })}`);
setInterval(() => undefined, 60_000);
