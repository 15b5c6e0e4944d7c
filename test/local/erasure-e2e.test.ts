/**
 * Erasure and retention on the real local stack: an approved case's images and personal
 * fields erased by an operator, and a case whose images the retention sweeper deleted.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicantClient,
  type CreatedCase,
  decided,
  settled,
} from '../../local/applicant-client.js';
import { loadSelfie } from '../../local/sample-data/faces.js';
import { generateIdDocument } from '../../local/sample-data/id-document.js';
import type { LocalStack } from '../../local/stack.js';
import { callApi, startTestStack, type TestStack } from './fixtures/test-stack.js';

const operator = { username: 'ops-erasure', password: 'erasure-operator-password-123' };
const retentionSeconds = 3600;
let testStack: TestStack;
let stack: LocalStack;
let selfie: Buffer;
let idCard: Buffer;
/** Another person's ID: what an attacker holding a live upload URL would put in its place. */
let otherCard: Buffer;
let applicant: ApplicantClient;
let token: string;
let bucket: string;

beforeAll(async () => {
  testStack = await startTestStack('kyc-erasure-', {
    operator,
    // As `npm start` reads it; long enough that no image goes while a case runs.
    env: { LOCAL_IMAGE_RETENTION_SECONDS: String(retentionSeconds) },
  });
  stack = testStack.stack;
  expect(stack.retention.settings).toEqual({ retentionSeconds, sweepIntervalSeconds: 1800 });
  bucket = stack.aws.environment.BUCKET_NAME as string;
  applicant = new ApplicantClient(stack.apiUrl);
  selfie = await loadSelfie('sample3-middle');
  idCard = (await generateIdDocument({ face: 'sample3-middle', output: 'jpeg' })).image;
  otherCard = (
    await generateIdDocument({
      face: 'sample3-middle',
      output: 'jpeg',
      surname: 'DURAND',
      givenNames: 'PAUL',
    })
  ).image;
  token = await testStack.signIn();
});

afterAll(async () => {
  await testStack?.close();
});

const call = (path: string, init?: Parameters<typeof callApi>[2]) =>
  callApi(stack.apiUrl, path, init);

/** A bank case with the ID photo and a passed liveness check, submitted. */
async function submittedCase(clientToken: string): Promise<CreatedCase> {
  const created = await applicant.createCase('bank-onboarding', clientToken);
  await applicant.uploadIdImage(created, idCard);
  await stack.aws.sessions.completeSession(created.livenessSessionId, {
    confidence: 97,
    referenceImage: selfie,
    auditImages: [selfie],
  });
  await applicant.submit(created, created.livenessSessionId);
  return created;
}

async function approvedCase(clientToken: string): Promise<CreatedCase> {
  const created = await submittedCase(clientToken);
  expect(await applicant.waitFor(created, decided)).toMatchObject({ status: 'APPROVED' });
  return created;
}

const erase = (caseId: string, body: unknown, auth: string | undefined = token) =>
  call(`/ops/cases/${caseId}/erasure`, {
    method: 'POST',
    ...(auth ? { token: auth } : {}),
    body: JSON.stringify(body),
  });

const storedKeys = async (caseId: string) =>
  (await stack.aws.objects.list(bucket, `cases/${caseId}/`)).map((object) => object.key);
/** Keys holding an image: an erasure leaves only empty seals behind. */
const storedImages = async (caseId: string) =>
  (await stack.aws.objects.list(bucket, `cases/${caseId}/`))
    .filter((object) => object.size > 0)
    .map((object) => object.key);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** A PUT with the upload URL the API handed out, exactly as the browser sends it. */
const putWithUrl = (created: CreatedCase, body: Uint8Array) =>
  fetch(created.idUpload.url, { method: 'PUT', body, headers: created.idUpload.headers });

describe('erasure on the local stack', () => {
  it('refuses without a token, without a reason, and while the case is not finished', async () => {
    const fresh = await applicant.createCase('bank-onboarding', 'erasure-open-0001');
    expect((await erase(fresh.caseId, { reason: 'Applicant request' }, '')).status).toBe(401);
    expect(await erase(fresh.caseId, {})).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await erase(fresh.caseId, { reason: 'Applicant request' })).toMatchObject({
      status: 409,
      body: { code: 'CASE_STATE_CONFLICT' },
    });

    // Waiting for a new liveness attempt: the execution is still running.
    await applicant.uploadIdImage(fresh, idCard);
    await stack.aws.sessions.completeSession(fresh.livenessSessionId, {
      confidence: 20,
      referenceImage: selfie,
      auditImages: [selfie],
    });
    await applicant.submit(fresh, fresh.livenessSessionId);
    expect(await applicant.waitFor(fresh, settled)).toMatchObject({ nextStep: 'RETRY_LIVENESS' });
    expect(await erase(fresh.caseId, { reason: 'Applicant request' })).toMatchObject({
      status: 409,
      body: { code: 'CASE_STATE_CONFLICT' },
    });
    expect(await storedKeys(fresh.caseId)).toContain(`cases/${fresh.caseId}/id/1`);
  });

  it('approve, erase: images gone from S3, personal fields gone, tombstone and audit entry shown, verdict kept', async () => {
    const created = await approvedCase('erasure-approved-0001');
    const before = await call(`/ops/executions/${created.caseId}`, { token });
    const evidence = before.body.evidence as { referenceImage: string; idImage: string };
    expect((await fetch(evidence.idImage)).status).toBe(200);
    const keysBefore = await storedKeys(created.caseId);
    expect(keysBefore).toEqual(
      expect.arrayContaining([
        `cases/${created.caseId}/id/1`,
        `cases/${created.caseId}/liveness/${created.livenessSessionId}/reference.jpg`,
        `cases/${created.caseId}/liveness/${created.livenessSessionId}/audit_images/1.jpg`,
      ]),
    );
    const timelineBefore = before.body.timeline as unknown[];

    const erased = await erase(created.caseId, {
      reason: 'Applicant asked for erasure, ticket 42',
    });
    expect(erased.status).toBe(200);
    expect(erased.body.erasure).toMatchObject({
      erasedBy: operator.username,
      reason: 'Applicant asked for erasure, ticket 42',
      imagesDeleted: keysBefore.length,
    });

    expect(await storedImages(created.caseId)).toEqual([]);
    expect((await fetch(evidence.idImage)).status).toBe(404);
    expect((await fetch(evidence.referenceImage)).status).toBe(404);

    const after = await call(`/ops/executions/${created.caseId}`, { token });
    expect(after.status).toBe(200);
    const record = after.body.case as Record<string, unknown>;
    expect(record.erasure).toEqual(erased.body.erasure);
    expect(record).not.toHaveProperty('document');
    expect(record).not.toHaveProperty('ageEstimate');
    expect(record).toMatchObject({ status: 'APPROVED', verdict: { outcome: 'APPROVED' } });
    expect(after.body.evidence).toMatchObject({
      referenceImage: null,
      auditImages: [],
      idImage: null,
    });
    const text = JSON.stringify(after.body);
    for (const personal of ['MARTIN', 'CLAIRE', 'T22000129', '1990-04-12']) {
      expect(text).not.toContain(personal);
    }
    expect(record.audit).toContainEqual(
      expect.objectContaining({
        actor: `operator:${operator.username}`,
        action: 'PERSONAL_DATA_ERASED',
        detail: 'Applicant asked for erasure, ticket 42',
      }),
    );
    // The execution history stays: ids, keys, scores and reason codes only.
    expect((after.body.timeline as unknown[]).length).toBe(timelineBefore.length);
    const events: unknown[] = [];
    let nextToken: string | undefined;
    do {
      const page = await stack.stepFunctions.getExecutionHistory({
        executionArn: record.executionArn as string,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      });
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const history = JSON.stringify(events);
    expect(history).toContain(`cases/${created.caseId}/evidence/id-1`);
    for (const personal of ['MARTIN', 'CLAIRE', 'T22000129', '1990-04-12', '900412']) {
      expect(history).not.toContain(personal);
    }
    expect(history).not.toMatch(/\/9j\/|[A-Za-z0-9+/]{200,}/);

    // The applicant's status route still answers the verdict; a repeat changes nothing.
    expect(await applicant.status(created)).toMatchObject({ status: 'APPROVED' });
    expect(await erase(created.caseId, { reason: 'Again' })).toEqual(erased);
  });

  it('an upload URL still valid after the erasure stores nothing: the upload key is sealed', async () => {
    const created = await approvedCase('erasure-refill-0001');
    const erased = await erase(created.caseId, { reason: 'Applicant asked for erasure' });
    expect(erased.status).toBe(200);
    // The URL from the creation, well within its lifetime: S3 refuses it.
    const refill = await putWithUrl(created, otherCard);
    expect(refill.status).toBe(412);
    expect(await storedImages(created.caseId)).toEqual([]);
    expect(erased.body.erasure).toMatchObject({
      uploadsSealed: [`cases/${created.caseId}/id/1`, `cases/${created.caseId}/id/1-back`],
    });
    const after = await call(`/ops/executions/${created.caseId}`, { token });
    expect(after.body.evidence).toMatchObject({ idImage: null, referenceImage: null });
  });

  it('a case whose images the retention sweeper deleted shows them as missing, not a 500', async () => {
    const created = await approvedCase('retention-approved-0001');
    expect(await storedKeys(created.caseId)).not.toEqual([]);
    const sweep = await stack.retention.sweepNow(
      new Date(Date.now() + (retentionSeconds + 1) * 1000),
    );
    expect(sweep.deleted).toEqual(expect.arrayContaining([`cases/${created.caseId}/id/1`]));
    expect(await storedKeys(created.caseId)).toEqual([]);

    const detail = await call(`/ops/executions/${created.caseId}`, { token });
    expect(detail.status).toBe(200);
    expect(detail.body.evidence).toMatchObject({
      referenceImage: null,
      auditImages: [],
      idImage: null,
      missing: ['referenceImage', 'idImage', 'auditImage1'],
    });
  });
});

describe('ID evidence pinned at submit', () => {
  it('a later PUT to the upload key changes nothing the checks or the reviewer read', async () => {
    const created = await submittedCase('evidence-pinned-0001');
    // The live URL replayed with another person's ID: create-only, so S3 refuses it.
    expect((await putWithUrl(created, otherCard)).status).toBe(412);
    // Even a write S3 lets through to the upload key (an unconditional PUT signed by the
    // stack's own identity) reaches nothing the case uses.
    await stack.aws.objects.put(bucket, `cases/${created.caseId}/id/1`, otherCard, 'image/jpeg');
    expect(await applicant.waitFor(created, decided)).toMatchObject({ status: 'APPROVED' });

    const detail = await call(`/ops/executions/${created.caseId}`, { token });
    const record = detail.body.case as {
      idEvidence: { key: string; sha256: string; size: number };
      document: { facts: { fields: Record<string, { text: string }> } };
    };
    expect(record.idEvidence).toMatchObject({
      key: `cases/${created.caseId}/evidence/id-1`,
      sha256: sha256(idCard),
      size: idCard.length,
    });
    expect(record.document.facts.fields.LAST_NAME?.text).toBe('MARTIN');
    const evidence = detail.body.evidence as { idImage: string };
    const shown = Buffer.from(await (await fetch(evidence.idImage)).arrayBuffer());
    expect(sha256(shown)).toBe(sha256(idCard));
  });
});

describe('ID evidence of a resubmitted attempt', () => {
  it('a new ID photo after RESUBMIT_ID is pinned as attempt 2 and is what the checks read', async () => {
    const blank = await sharp({
      create: { width: 640, height: 400, channels: 3, background: '#d0d0c8' },
    })
      .jpeg()
      .toBuffer();
    const created = await applicant.createCase('bank-onboarding', 'evidence-resubmit-0001');
    await applicant.uploadIdImage(created, blank);
    await stack.aws.sessions.completeSession(created.livenessSessionId, {
      confidence: 97,
      referenceImage: selfie,
      auditImages: [selfie],
    });
    await applicant.submit(created, created.livenessSessionId);
    expect(await applicant.waitFor(created, settled)).toMatchObject({ nextStep: 'RESUBMIT_ID' });

    const asked = await fetch(`${stack.apiUrl}/cases/${created.caseId}/id-upload-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-case-secret': created.caseSecret },
      body: JSON.stringify({ contentType: 'image/jpeg' }),
    });
    expect(asked.status).toBe(201);
    const { idUpload } = (await asked.json()) as { idUpload: CreatedCase['idUpload'] };
    expect(idUpload.url).toContain(`cases/${created.caseId}/id/2`);
    await applicant.uploadIdImage({ ...created, idUpload }, idCard);
    await applicant.submit(created);
    expect(await applicant.waitFor(created, decided)).toMatchObject({ status: 'APPROVED' });

    const detail = await call(`/ops/executions/${created.caseId}`, { token });
    const record = detail.body.case as {
      idEvidence: { attempt: number; key: string; sha256: string };
      document: { attempt: number };
    };
    expect(record.idEvidence).toMatchObject({
      attempt: 2,
      key: `cases/${created.caseId}/evidence/id-2`,
      sha256: sha256(idCard),
    });
    expect(record.document.attempt).toBe(2);
    const evidence = detail.body.evidence as { idImage: string };
    const shown = Buffer.from(await (await fetch(evidence.idImage)).arrayBuffer());
    expect(sha256(shown)).toBe(sha256(idCard));
  });
});

describe('CORS on the local stack: the configured web origin only', () => {
  const foreign = 'https://evil.example';
  const corsHeaders = (response: Response) =>
    [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

  it('the API answers preflights and requests with CORS headers for the web origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.apiUrl}/cases`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight(stack.webUrl)).headers.get('access-control-allow-origin')).toBe(
      stack.webUrl,
    );
    expect(corsHeaders(await preflight(foreign))).toEqual([]);
    const request = (origin: string) =>
      fetch(`${stack.apiUrl}/ops/executions`, { headers: { origin } });
    expect((await request(stack.webUrl)).headers.get('access-control-allow-origin')).toBe(
      stack.webUrl,
    );
    expect(corsHeaders(await request(foreign))).toEqual([]);
  });

  it('S3 answers the presigned ID upload’s preflight and PUT for the web origin only', async () => {
    const created = await applicant.createCase('age-gate', 'cors-upload-0001');
    const preflight = (origin: string) =>
      fetch(created.idUpload.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(stack.webUrl);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(stack.webUrl);
    const refused = await preflight(foreign);
    expect(refused.status).toBe(403);
    expect(corsHeaders(refused)).toEqual([]);

    const put = (origin: string) =>
      fetch(created.idUpload.url, {
        method: 'PUT',
        headers: { ...created.idUpload.headers, origin },
        body: idCard,
      });
    expect((await put(stack.webUrl)).headers.get('access-control-allow-origin')).toBe(stack.webUrl);
    expect(corsHeaders(await put(foreign))).toEqual([]);
  });
});
