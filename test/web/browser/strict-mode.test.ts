/**
 * React StrictMode in development runs every effect twice, and the Amplify liveness samples'
 * classic bug is two sessions (or two cases) per attempt. Here the sources run through Vite's
 * development server (`npm run dev`), and the backend's own records are counted: one case,
 * and one liveness session per attempt, including the attempt after "Try again".
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicantClient, type CreatedCase } from '../../../local/applicant-client.js';
import { loadSelfie } from '../../../local/sample-data/faces.js';
import type { LocalStack } from '../../../local/stack.js';
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
const caseKey = 'kyc.applicant.case';

let web: WebStack;
let stack: LocalStack;
let browser: Browser;

async function storedCase(page: Page): Promise<CreatedCase & { stage: string }> {
  // Strings: this file is type-checked for Node, without the DOM's globals.
  const raw = (await page.evaluate(`sessionStorage.getItem('${caseKey}')`)) as string;
  return JSON.parse(raw) as CreatedCase & { stage: string };
}

/** Liveness sessions the local Rekognition created: one file each. */
async function livenessSessionsCreated(): Promise<number> {
  const files = await readdir(join(web.dataFolder, 'rekognition', 'sessions'));
  return files.filter((file) => file.endsWith('.json')).length;
}

/** Cases in the table, as the operations console lists them. */
async function casesCreated(): Promise<number> {
  const signIn = await fetch(`${stack.apiUrl}/local/operator/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(operator),
  });
  const { idToken } = (await signIn.json()) as { idToken: string };
  const list = await fetch(`${stack.apiUrl}/ops/executions?limit=100`, {
    headers: { authorization: `Bearer ${idToken}` },
  });
  expect(list.status).toBe(200);
  return ((await list.json()) as { items: unknown[] }).items.length;
}

async function waitForDetector(page: Page) {
  await page.getByRole('heading', { level: 1, name: 'Face check' }).waitFor();
  await page.getByRole('button', { name: /Start video check/i }).waitFor({ timeout: 60_000 });
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

    await page.goto(stack.webUrl);
    await page.getByRole('heading', { level: 1, name: 'Verify your identity' }).waitFor();
    // The development server, not a build: React runs in development mode, StrictMode on.
    expect(requests).toContain('/@vite/client');
    expect(requests).toContain('/@react-refresh');
    await page.getByRole('checkbox', { name: /I agree/ }).check();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { level: 1, name: 'Photograph your ID' }).waitFor();
    await page.getByLabel(/upload a photo of your ID/).setInputFiles(web.idCardPath);
    await page.getByRole('img', { name: /Your ID photo/ }).waitFor();
    await page.getByRole('button', { name: 'Send and continue' }).click();
    await waitForDetector(page);
    await shot(page, 'strict-mode-1-face-check');

    const first = await storedCase(page);
    expect(await casesCreated()).toBe(1);
    expect(await livenessSessionsCreated()).toBe(1);

    // The attempt fails; the status page asks for another; "Try again" mounts the detector
    // step again, which asks the backend for the next session.
    await stack.aws.sessions.completeSession(first.livenessSessionId, {
      confidence: 20,
      referenceImage: await loadSelfie('sample3-middle'),
      auditImages: [],
    });
    await new ApplicantClient(stack.apiUrl).submit(first, first.livenessSessionId);
    const { livenessSessionId: _spent, ...rest } = first;
    await page.evaluate(
      `sessionStorage.setItem('${caseKey}', ${JSON.stringify(JSON.stringify({ ...rest, stage: 'status' }))})`,
    );
    await page.reload();
    await page
      .getByRole('status')
      .filter({ has: page.getByRole('heading', { name: 'Let us try the face check again' }) })
      .waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Try again' }).click();
    await waitForDetector(page);
    await shot(page, 'strict-mode-2-second-attempt');

    const second = await storedCase(page);
    expect(second.caseId).toBe(first.caseId);
    expect(second.livenessSessionId).not.toBe(first.livenessSessionId);
    expect(await casesCreated()).toBe(1);
    expect(await livenessSessionsCreated()).toBe(2);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 240_000);
});
