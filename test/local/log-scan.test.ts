/**
 * Everything the functions (Powertools logger) and the local services write to stdout and
 * stderr during full onboardings, scanned for what must never be logged: case secrets, the
 * operator's token and password, image data, document fields. And the applicant's answers
 * scanned for scores and reasons.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ApplicantClient,
  type CreatedCase,
  decided,
  settled,
} from '../../local/applicant-client.js';
import { loadSelfie } from '../../local/sample-data/faces.js';
import { generateIdDocument } from '../../local/sample-data/id-document.js';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack, type TestStack } from './fixtures/test-stack.js';

const operator = { username: 'ops-logscan', password: 'log-scan-operator-password-123' };
const captured: string[] = [];
const applicantAnswers: { path: string; body: unknown }[] = [];
const restore: (() => void)[] = [];
let testStack: TestStack;
let stack: LocalStack;

/** Records every write to stdout/stderr and every console call, and still lets them through. */
function capture(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(
        typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(),
      );
      return write(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = write as typeof stream.write;
    });
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      captured.push(
        args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '),
      );
      original(...args);
    };
    restore.push(() => {
      console[level] = original;
    });
  }
  const fetchOriginal = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await fetchOriginal(input, init);
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (stack && url.origin === new URL(stack.apiUrl).origin && url.pathname.startsWith('/cases')) {
      applicantAnswers.push({ path: url.pathname, body: await response.clone().json() });
    }
    return response;
  };
  restore.push(() => {
    globalThis.fetch = fetchOriginal;
  });
}

beforeAll(async () => {
  // The most the functions would ever log.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  capture();
  testStack = await startTestStack('kyc-logscan-', { operator });
  stack = testStack.stack;
});

afterAll(async () => {
  await testStack?.close();
  for (const undo of restore.reverse()) undo();
});

async function operatorCall(path: string, token: string, body?: unknown) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Keys that would tell the applicant how the checks scored or why they failed. */
const forbiddenApplicantKeys = /similarity|confidence|score|reason|ageRange|fields|decision/i;
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  }
  return [];
}

it('logs no secret, token, password, image data or document field during full onboardings', async () => {
  const applicant = new ApplicantClient(stack.apiUrl);
  const selfie = await loadSelfie('sample3-middle');
  const id = await generateIdDocument({ face: 'sample3-middle', output: 'jpeg' });
  const pass = async (created: CreatedCase, sessionId: string, confidence: number) => {
    await stack.aws.sessions.completeSession(sessionId, {
      confidence,
      referenceImage: selfie,
      auditImages: [selfie],
    });
    await applicant.submit(created, sessionId);
  };

  // Approved by the workflow.
  const approved = await applicant.createCase('bank-onboarding', 'logscan-approved-01');
  await applicant.uploadIdImage(approved, id.image);
  await pass(approved, approved.livenessSessionId, 97);
  expect(await applicant.waitFor(approved, decided)).toMatchObject({ status: 'APPROVED' });

  // Three failed checks -> review -> an operator approves, reads the case, then erases it.
  const reviewed = await applicant.createCase('bank-onboarding', 'logscan-review-01');
  await applicant.uploadIdImage(reviewed, id.image);
  let sessionId = reviewed.livenessSessionId;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await pass(reviewed, sessionId, 20);
    const view = await applicant.waitFor(reviewed, settled);
    if (attempt < 3)
      sessionId = await applicant.newLivenessSession(reviewed, `logscan-retry-${attempt}`);
    else expect(view).toMatchObject({ status: 'UNDER_REVIEW' });
  }
  const idToken = await testStack.signIn();
  await operatorCall(`/ops/reviews/${reviewed.caseId}`, idToken, {
    outcome: 'APPROVED',
    reason: 'Checked on a video call',
  });
  expect(await applicant.waitFor(reviewed, decided)).toMatchObject({ status: 'APPROVED' });
  const detail = await operatorCall(`/ops/executions/${approved.caseId}`, idToken);
  await operatorCall(`/ops/executions/${reviewed.caseId}`, idToken);
  await operatorCall(`/ops/cases/${reviewed.caseId}/erasure`, idToken, {
    reason: 'Applicant request',
  });

  const output = captured.join('\n');
  // The capture saw the functions' structured logs: the scan below is not of an empty string.
  expect(output).toContain('"message":"Case created"');
  expect(output).toContain('"message":"Case decided"');

  const fields = (
    detail.case as { document: { facts: { fields: Record<string, { text: string }> } } }
  ).document.facts.fields;
  const read = Object.values(fields)
    .map((field) => field.text)
    .filter((text) => text.length >= 4);
  expect(read).toEqual(expect.arrayContaining(['MARTIN', 'T22000129']));
  const { spec } = id;
  const forbidden = [
    ...read,
    spec.surname,
    spec.givenNames,
    spec.documentNumber,
    spec.dateOfBirth,
    spec.dateOfBirth.split('-').reverse().join('.'),
    spec.dateOfBirth.slice(2).replaceAll('-', ''),
    ...id.mrz,
    approved.caseSecret,
    reviewed.caseSecret,
    idToken,
    operator.password,
  ];
  for (const value of forbidden) expect(output, `the logs contain ${value}`).not.toContain(value);
  expect(output).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
  // Image bytes as base64 (a JPEG starts with /9j/, a PNG with iVBORw0KGgo) or any long run.
  expect(output).not.toMatch(/\/9j\/|iVBORw0KGgo/);
  expect(output).not.toMatch(/[A-Za-z0-9+/_-]{200,}/);

  expect(applicantAnswers.length).toBeGreaterThan(10);
  for (const answer of applicantAnswers) {
    expect(
      keysOf(answer.body).filter((key) => forbiddenApplicantKeys.test(key)),
      answer.path,
    ).toEqual([]);
  }
});
