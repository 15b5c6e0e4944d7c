/**
 * Beyond its capacity the local API answers 503 with Retry-After at once, instead of letting
 * requests pile up until they time out; the applicant client waits as told and gets through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ApiGateway,
  createApiGateway,
  createOperatorAuth,
} from '../../local/api-gateway/index.js';
import { ApplicantClient, retryAfterMs } from '../../local/applicant-client.js';
import { AdmissionControl } from '../../local/load/admission-control.js';

let dataDir: string;
let gateway: ApiGateway;
/** Requests being served, each answered when the test says so. */
const serving: (() => void)[] = [];
let served = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kyc-admission-'));
  const auth = await createOperatorAuth({
    dataDir,
    env: { LOCAL_OPERATOR_USERNAME: 'ops', LOCAL_OPERATOR_PASSWORD: 'admission-password-1' },
  });
  gateway = await createApiGateway({
    routes: { applicant: { routeKeys: ['GET /cases/{caseId}'] } },
    handlers: {
      applicant: async (event) => {
        if (event.pathParameters?.caseId === 'slow') {
          await new Promise<void>((resolve) => serving.push(resolve));
        }
        served += 1;
        return { caseId: event.pathParameters?.caseId, status: 'IN_PROGRESS', nextStep: 'WAIT' };
      },
    },
    webOrigin: 'http://localhost:5173',
    auth,
    admission: { maxInFlight: 2, maxQueued: 2, retryAfterSeconds: 1 },
  });
});

const caseNamed = (caseId: string) => ({
  caseId,
  caseSecret: 'secret',
  livenessSessionId: 'session',
  idUpload: { url: '', headers: {} },
});

afterAll(async () => {
  await gateway?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('serves two, queues two, refuses the rest with 503 and Retry-After; then serves again', async () => {
  const slow = () => fetch(`${gateway.url}/cases/slow`);
  const held = [slow(), slow()];
  await expect.poll(() => serving.length).toBe(2);
  const queued = [slow(), slow()];
  // Two slots and two queue places taken: one more is refused whichever arrives last.
  const refused = await Promise.race([...queued, slow(), slow()]);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(await refused.json()).toEqual({
    code: 'SERVICE_UNAVAILABLE',
    message: 'Service Unavailable',
    retryAfterSeconds: 1,
  });

  // The client retries as Retry-After says and gets through once the slots free up.
  const statuses: number[] = [];
  const client = new ApplicantClient(gateway.url, { onResponse: (s) => statuses.push(s) });
  const waiting = client.status(caseNamed('patient'));
  await expect.poll(() => statuses[0]).toBe(503);
  while (serving.length > 0 || served < 4) {
    serving.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  expect(await waiting).toMatchObject({ caseId: 'patient' });
  expect(statuses[0]).toBe(503);
  expect(statuses.at(-1)).toBe(200);
  await expect(client.status(caseNamed('fast'))).resolves.toMatchObject({ caseId: 'fast' });
});

it('reads Retry-After as seconds or an HTTP date', () => {
  expect(retryAfterMs('2')).toBe(2000);
  expect(retryAfterMs(null)).toBeUndefined();
  expect(retryAfterMs('soon')).toBeUndefined();
  const now = Date.parse('2026-11-21T10:00:00Z');
  expect(retryAfterMs('Sat, 21 Nov 2026 10:00:03 GMT', now)).toBe(3000);
});

it('hands a freed slot to the oldest waiting request and refuses beyond the queue', async () => {
  const admission = new AdmissionControl({ maxInFlight: 1, maxQueued: 1 });
  const first = admission.tryEnter();
  const second = admission.tryEnter();
  expect(admission.tryEnter()).toBeUndefined();
  expect(admission.refused).toBe(1);
  let secondIn = false;
  void second?.then(() => {
    secondIn = true;
  });
  const release = await first;
  await Promise.resolve();
  expect(secondIn).toBe(false);
  release?.();
  release?.();
  await expect.poll(() => secondIn).toBe(true);
  // The double release freed nothing more: the slot is the second's, the queue has room.
  expect(admission.tryEnter()).toBeDefined();
  expect(admission.tryEnter()).toBeUndefined();
});
