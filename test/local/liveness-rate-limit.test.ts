/**
 * The liveness rate limits on the real local stack: five failed attempts from one device in
 * the window start a cool-down for that device and that case; another device is unaffected;
 * operators see it; once the cool-down is over, a new attempt is allowed. The window and the
 * cool-down are set short through the functions' environment (read on first invocation).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSelfie } from '../../local/sample-data/faces.js';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack, type TestStack } from './fixtures/test-stack.js';

// Long enough for the checks made during it on a loaded machine; the test waits it out once.
const coolDownSeconds = 15;
const limitEnv = {
  LIVENESS_FAILURE_LIMIT: '5',
  LIVENESS_FAILURE_WINDOW_SECONDS: '120',
  LIVENESS_COOL_DOWN_SECONDS: String(coolDownSeconds),
};
const operator = { username: 'ops-limits', password: 'limits-operator-password-123' };
const deviceA = 'e2e-device-aaaaaaaaaaaa';
const deviceB = 'e2e-device-bbbbbbbbbbbb';
const deviceKey = (id: string) => createHash('sha256').update(`device:${id}`).digest('hex');

let testStack: TestStack;
let stack: LocalStack;
let selfie: Buffer;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const [name, value] of Object.entries(limitEnv)) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
  testStack = await startTestStack('kyc-liveness-limits-', { operator });
  stack = testStack.stack;
  selfie = await loadSelfie('sample3-middle');
});

afterAll(async () => {
  await testStack?.close();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown>;
}

async function call(
  path: string,
  init: { method?: string; body?: unknown; secret?: string; token?: string } = {},
): Promise<Answer> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (init.secret) headers.set('x-case-secret', init.secret);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

interface Case {
  readonly caseId: string;
  readonly caseSecret: string;
  readonly livenessSessionId: string;
}

const createCase = (clientToken: string, deviceId: string) =>
  call('/cases', { method: 'POST', body: { profile: 'age-gate', clientToken, deviceId } });

const newSession = (created: Case, clientToken: string, deviceId: string) =>
  call(`/cases/${created.caseId}/liveness-sessions`, {
    method: 'POST',
    secret: created.caseSecret,
    body: { clientToken, deviceId },
  });

/** Polls the applicant's status route until `done` holds. */
async function waitForStatus(created: Case, done: (body: Record<string, unknown>) => boolean) {
  for (let polls = 0; polls < 600; polls += 1) {
    const answer = await call(`/cases/${created.caseId}`, { secret: created.caseSecret });
    if (done(answer.body)) return answer.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Case ${created.caseId} never reached the expected status`);
}

describe('liveness rate limits on the local stack', () => {
  it('five failures from one device -> cool-down for the device and the case, then allowed again', async () => {
    const first = await createCase('limits-case-a-0001', deviceA);
    expect(first.status).toBe(201);
    const created = first.body as unknown as Case;

    // Failure 1: submitted, scored low by the workflow (check-liveness counts it).
    await stack.aws.sessions.completeSession(created.livenessSessionId, {
      confidence: 10,
      referenceImage: selfie,
      auditImages: [selfie],
    });
    const submitted = await call(`/cases/${created.caseId}/submit`, {
      method: 'POST',
      secret: created.caseSecret,
      body: { livenessSessionId: created.livenessSessionId },
    });
    expect(submitted.status).toBe(202);
    await waitForStatus(created, (body) => body.nextStep === 'RETRY_LIVENESS');

    // Failures 2-5: sessions the detector failed and the applicant never submitted; each is
    // learned when the next session is asked for.
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      const session = await newSession(created, `limits-session-${attempt}`, deviceA);
      expect(session.status).toBe(201);
      await stack.aws.sessions.fail(session.body.livenessSessionId as string, 'test failure');
    }

    const refused = await newSession(created, 'limits-session-6', deviceA);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'LIVENESS_COOL_DOWN' });
    expect(JSON.stringify(refused.body)).not.toMatch(/confidence|score|failures/i);
    const wait = Number(refused.retryAfter);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(coolDownSeconds);
    expect(refused.body.retryAfterSeconds).toBe(wait);

    // The device may not start a new case either; another device may.
    const sameDevice = await createCase('limits-case-a-0002', deviceA);
    expect(sameDevice.status).toBe(429);
    expect(sameDevice.body).toMatchObject({ code: 'LIVENESS_COOL_DOWN' });
    expect(Number(sameDevice.retryAfter)).toBeGreaterThan(0);
    const otherDevice = await createCase('limits-case-b-0001', deviceB);
    expect(otherDevice.status).toBe(201);

    // Operators see the cool-down of the case and of its device, and when it started.
    const detail = await call(`/ops/executions/${created.caseId}`, {
      token: await testStack.signIn(),
    });
    expect(detail.status).toBe(200);
    const limits = detail.body.livenessLimits as {
      policy: Record<string, number>;
      case: { failuresInWindow: number; coolDownUntil: string | null };
      devices: { deviceKey: string; failuresInWindow: number; coolDownUntil: string | null }[];
    };
    expect(limits.policy).toEqual({
      failureLimit: 5,
      windowSeconds: 120,
      coolDownSeconds,
    });
    expect(limits.case.failuresInWindow).toBe(5);
    expect(limits.case.coolDownUntil).not.toBeNull();
    expect(limits.devices).toEqual([
      expect.objectContaining({ deviceKey: deviceKey(deviceA), failuresInWindow: 5 }),
    ]);
    expect(limits.devices[0]?.coolDownUntil).not.toBeNull();
    const audit = (detail.body.case as { audit: { action: string; detail?: string }[] }).audit;
    const started = audit.filter((entry) => entry.action === 'LIVENESS_COOL_DOWN_STARTED');
    expect(started.map((entry) => entry.detail?.split(' ')[0]).sort()).toEqual(['case', 'device']);
    expect(JSON.stringify(detail.body)).not.toContain(deviceA);

    // Once the cool-down is over, the applicant gets a new session (polled, as the web app's
    // "Try again" would be).
    let allowed: Answer | undefined;
    for (let tries = 0; tries < 240 && allowed?.status !== 201; tries += 1) {
      if (allowed) await new Promise((resolve) => setTimeout(resolve, 250));
      allowed = await newSession(created, 'limits-session-6', deviceA);
      expect([201, 429]).toContain(allowed.status);
    }
    expect(allowed?.status).toBe(201);
    expect(allowed?.body.livenessSessionId).toEqual(expect.any(String));
  });
});
