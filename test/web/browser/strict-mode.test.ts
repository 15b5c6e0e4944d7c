/**
 * React StrictMode in development runs every effect twice, and the Amplify liveness samples'
 * classic bug is two sessions (or two cases) per attempt. Here the sources run through Vite's
 * development server (`npm run dev`), and the backend's own records are counted: one case,
 * and one liveness session per attempt, including the attempt after "Try again".
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/stack.js';
import { signIn } from '../../local/fixtures/test-stack.js';
import {
  finishAttempt,
  reachFaceCheck,
  statusMessage,
  waitForDetector,
} from './fixtures/applicant-steps.js';
import {
  hasChromium,
  launchChromium,
  shot,
  startWebStack,
  type WebStack,
  warnWithoutChromium,
} from './fixtures/browser-stack.js';

warnWithoutChromium('the StrictMode browser test');

const operator = { username: 'ops-strict', password: 'strict-mode-operator-password-1' };

let web: WebStack;
let stack: LocalStack;
let browser: Browser;

/** Liveness sessions the local Rekognition created: one file each. */
async function livenessSessionsCreated(): Promise<number> {
  const files = await readdir(join(web.dataFolder, 'rekognition', 'sessions'));
  return files.filter((file) => file.endsWith('.json')).length;
}

/** Cases in the table, as the operations console lists them. */
async function casesCreated(): Promise<number> {
  const idToken = await signIn(stack.apiUrl, operator);
  const list = await fetch(`${stack.apiUrl}/ops/executions?limit=100`, {
    headers: { authorization: `Bearer ${idToken}` },
  });
  expect(list.status).toBe(200);
  return ((await list.json()) as { items: unknown[] }).items.length;
}

describe.skipIf(!hasChromium)('StrictMode in the development build', () => {
  beforeAll(async () => {
    web = await startWebStack({
      folderPrefix: 'kyc-web-dev-',
      idCardFace: 'sample3-middle',
      development: true,
      stack: {
        env: {
          LOCAL_OPERATOR_USERNAME: operator.username,
          LOCAL_OPERATOR_PASSWORD: operator.password,
        },
      },
    });
    stack = web.stack;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('creates exactly one case and one liveness session per attempt', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await reachFaceCheck(page, stack.webUrl, web.idCardPath);
    // The development server, not a build: React runs in development mode, StrictMode on.
    expect(requests).toContain('/@vite/client');
    expect(requests).toContain('/@react-refresh');
    const first = await waitForDetector(page, 60_000);
    await shot(page, 'strict-mode-1-face-check');

    expect(await casesCreated()).toBe(1);
    expect(await livenessSessionsCreated()).toBe(1);

    // The attempt fails; the status page asks for another; "Try again" mounts the detector
    // step again, which asks the backend for the next session.
    await finishAttempt(page, stack, first, 20);
    await statusMessage(page, 'Let us try the face check again').waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Try again' }).click();
    const second = await waitForDetector(page, 60_000);
    await shot(page, 'strict-mode-2-second-attempt');

    expect(second.caseId).toBe(first.caseId);
    expect(second.livenessSessionId).not.toBe(first.livenessSessionId);
    expect(await casesCreated()).toBe(1);
    expect(await livenessSessionsCreated()).toBe(2);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 240_000);
});
