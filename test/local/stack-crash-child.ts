/**
 * Child process of stack-restart.test.ts: starts the whole local stack on a data folder,
 * leaves cases in every interesting state, prints one REPORT line and waits to be killed.
 */
import { ApplicantClient, type CreatedCase, settled } from '../../local/applicant-client.js';
import { loadSelfie } from '../../local/sample-data/faces.js';
import { generateIdDocument } from '../../local/sample-data/id-document.js';
import { startLocalStack } from '../../local/stack.js';

const [dataFolder, username, password] = process.argv.slice(2) as [string, string, string];
const stack = await startLocalStack({
  dataFolder,
  apiPort: 0,
  awsPort: 0,
  dynamoDbPort: 0,
  env: { LOCAL_OPERATOR_USERNAME: username, LOCAL_OPERATOR_PASSWORD: password },
});
const client = new ApplicantClient(stack.apiUrl);
const selfie = await loadSelfie('sample3-middle');
const idCard = (await generateIdDocument({ face: 'sample3-middle', output: 'jpeg' })).image;

async function submitted(token: string, confidence: number): Promise<CreatedCase> {
  const created = await client.createCase('bank-onboarding', token);
  await client.uploadIdImage(created, idCard);
  await stack.aws.sessions.completeSession(created.livenessSessionId, {
    confidence,
    referenceImage: selfie,
    auditImages: [],
  });
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

console.log(`REPORT ${JSON.stringify({ approved, review, retry, running })}`);
setInterval(() => undefined, 60_000);
