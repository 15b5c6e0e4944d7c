/**
 * A whole onboarding through the local stack's HTTP API: the real functions, the real ASL,
 * the local AWS endpoints, face engine and OCR. Only the liveness check itself is injected
 * through the local Rekognition session store (the streaming endpoint is its own piece).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicantClient, decided, settled } from '../../local/applicant-client.js';
import { loadSelfie } from '../../local/sample-data/faces.js';
import { generateIdDocument } from '../../local/sample-data/id-document.js';
import { type GeneratedUsLicence, generateUsLicence } from '../../local/sample-data/us-licence.js';
import type { LocalStack } from '../../local/stack.js';
import { workflowTasks } from './faults/fixtures.js';
import { callApi, startTestStack, type TestStack } from './fixtures/test-stack.js';

const operator = { username: 'ops-e2e', password: 'e2e-operator-password-123' };
let testStack: TestStack;
let stack: LocalStack;
let selfie: Buffer;
let idCard: Buffer;
let licence: GeneratedUsLicence;
let applicant: ApplicantClient;

beforeAll(async () => {
  testStack = await startTestStack('kyc-e2e-', { operator });
  stack = testStack.stack;
  applicant = new ApplicantClient(stack.apiUrl);
  selfie = await loadSelfie('sample3-middle');
  idCard = (await generateIdDocument({ face: 'sample3-middle', output: 'jpeg' })).image;
  licence = await generateUsLicence({ face: 'sample3-middle' });
});

afterAll(async () => {
  await testStack?.close();
});

const call = (path: string, init?: Parameters<typeof callApi>[2]) =>
  callApi(stack.apiUrl, path, init);

/** Stands in for the applicant finishing a FaceLivenessDetector check. */
async function passLiveness(sessionId: string, confidence: number): Promise<void> {
  await stack.aws.sessions.completeSession(sessionId, {
    confidence,
    referenceImage: selfie,
    auditImages: [selfie],
  });
}

describe('onboarding on the local stack', () => {
  it('bank profile: create, upload the ID, pass liveness, submit, poll -> approved', async () => {
    const created = await applicant.createCase('bank-onboarding', 'e2e-approved-0001');
    await applicant.uploadIdImage(created, idCard);
    await passLiveness(created.livenessSessionId, 97);
    const submitted = await applicant.submit(created, created.livenessSessionId);
    expect(submitted).toEqual({ caseId: created.caseId, status: 'IN_PROGRESS', nextStep: 'WAIT' });

    const final = await applicant.waitFor(created, settled);
    expect(final).toEqual({ caseId: created.caseId, status: 'APPROVED', nextStep: 'NONE' });

    const verdicts = (await stack.aws.events.read())
      .map((event) => event.detail as { caseId: string; outcome: string })
      .filter((detail) => detail.caseId === created.caseId);
    expect(verdicts.map((detail) => detail.outcome)).toEqual(['APPROVED']);

    // The operator sees the execution, its timeline and the evidence, with the real scores.
    const token = await testStack.signIn();
    const detail = await call(`/ops/executions/${created.caseId}`, { token });
    expect(detail.status).toBe(200);
    const timeline = detail.body.timeline as { type: string; state?: string }[];
    const states = timeline.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.state);
    expect(states).toEqual(expect.arrayContaining([...workflowTasks]));
    const record = detail.body.case as {
      faceMatch: { similarity: number };
      document: { facts: { fields: Record<string, { text: string }> } };
      decision: { profileVersion: string };
    };
    expect(record.faceMatch.similarity).toBeGreaterThanOrEqual(95);
    expect(record.document.facts.fields.LAST_NAME?.text).toBe('MARTIN');
    expect(record.decision.profileVersion).toBe('2026-12-02');
    const evidence = detail.body.evidence as { referenceImage: string; idImage: string };
    const image = await fetch(evidence.referenceImage);
    expect(image.status).toBe(200);
    const jpegMagic = Buffer.from([0xff, 0xd8]);
    expect(Buffer.from(await image.arrayBuffer()).subarray(0, 2)).toEqual(jpegMagic);
  });

  it('US driver licence: front and back uploaded, both pinned, the fields read from the barcode', async () => {
    const created = await applicant.createCase('bank-onboarding', 'e2e-licence-0001');
    await applicant.uploadIdImage(created, licence.front);
    await applicant.uploadIdBack(created, licence.back, 'image/png');
    await passLiveness(created.livenessSessionId, 97);
    await applicant.submit(created, created.livenessSessionId);
    const final = await applicant.waitFor(created, settled);

    const token = await testStack.signIn();
    const detail = await call(`/ops/executions/${created.caseId}`, { token });
    const record = detail.body.case as {
      document: {
        idType: string;
        facts: { fields: Record<string, { text: string; confidence: number; date?: string }> };
      };
    };
    const fields = record.document.facts.fields;
    // The barcode's values (the generator's spec), at the barcode's confidence.
    expect(fields.DOCUMENT_NUMBER).toMatchObject({
      text: licence.spec.licenceNumber,
      confidence: 99,
    });
    expect(fields.LAST_NAME).toMatchObject({ text: licence.spec.familyName, confidence: 99 });
    expect(fields.FIRST_NAME).toMatchObject({ text: licence.spec.firstName, confidence: 99 });
    expect(fields.DATE_OF_BIRTH).toMatchObject({ date: licence.spec.dateOfBirth, confidence: 99 });
    expect(fields.EXPIRATION_DATE).toMatchObject({ date: licence.spec.expiryDate, confidence: 99 });
    expect(record.document.idType).toBe('DRIVER LICENSE FRONT');
    expect(final).toEqual({ caseId: created.caseId, status: 'APPROVED', nextStep: 'NONE' });

    // Both pinned pages are the reviewer's evidence, byte for byte what was uploaded.
    const evidence = detail.body.evidence as { idImage: string; idBackImage: string };
    for (const [url, uploaded] of [
      [evidence.idImage, licence.front],
      [evidence.idBackImage, licence.back],
    ] as const) {
      const image = await fetch(url);
      expect(image.status).toBe(200);
      expect(Buffer.from(await image.arrayBuffer()).equals(uploaded)).toBe(true);
    }
  });

  it('three failed liveness attempts -> under review; an operator approves; the applicant sees it', async () => {
    const created = await applicant.createCase('bank-onboarding', 'e2e-review-0001');
    await applicant.uploadIdImage(created, idCard);
    let sessionId = created.livenessSessionId;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await passLiveness(sessionId, 20);
      await applicant.submit(created, sessionId);
      const view = await applicant.waitFor(created, settled);
      if (attempt < 3) {
        expect(view).toMatchObject({ status: 'ACTION_REQUIRED', nextStep: 'RETRY_LIVENESS' });
        const next = await applicant.newLivenessSession(created, `e2e-retry-${attempt}`);
        expect(next).not.toBe(sessionId);
        sessionId = next;
      } else {
        expect(view).toMatchObject({ status: 'UNDER_REVIEW', nextStep: 'WAIT' });
      }
    }

    const token = await testStack.signIn();
    const queue = await call('/ops/reviews', { token });
    const queued = (queue.body.items as { caseId: string; reasonCodes: string[] }[]).find(
      (item) => item.caseId === created.caseId,
    );
    expect(queued?.reasonCodes).toEqual(['LIVENESS_BUDGET_EXHAUSTED']);
    const settle = await call(`/ops/reviews/${created.caseId}`, {
      method: 'POST',
      token,
      body: JSON.stringify({ outcome: 'APPROVED', reason: 'Liveness re-checked by video call' }),
    });
    expect(settle.status).toBe(200);
    const final = await applicant.waitFor(created, decided);
    expect(final.status).toBe('APPROVED');
    const detail = await call(`/ops/executions/${created.caseId}`, { token });
    const audit = (detail.body.case as { audit: { actor: string; detail?: string }[] }).audit;
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: `operator:${operator.username}`,
        detail: 'APPROVED: Liveness re-checked by video call',
      }),
    );
  });

  it('refuses operator routes without a token and a case with another case’s secret', async () => {
    expect((await call('/ops/reviews')).status).toBe(401);
    const created = await applicant.createCase('age-gate', 'e2e-secret-0001');
    const other = await applicant.createCase('age-gate', 'e2e-secret-0002');
    const peek = await call(`/cases/${created.caseId}`, { secret: other.caseSecret });
    expect(peek).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });
});
