import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicantClient } from '../../../local/applicant-client.js';
import { loadSelfie } from '../../../local/sample-data/faces.js';
import type { LocalStack } from '../../../local/stack.js';
import { storedCase } from './fixtures/applicant-steps.js';
import {
  hasChromium,
  launchChromium,
  shot,
  startWebStack,
  type WebStack,
  warnWithoutChromium,
} from './fixtures/browser-stack.js';
import { expectImagesLoaded, signInToConsole } from './fixtures/operator-console.js';

warnWithoutChromium('the browser tests');

const operator = { username: 'ops-browser', password: 'browser-operator-password-123' };

let web: WebStack;
let stack: LocalStack;
let browser: Browser;
let idCardPath: string;

/** Nothing wider than the viewport: the page works at 360 px without sideways scrolling. */
async function fitsWidth(page: Page) {
  // Strings: this file is type-checked for Node, without the DOM's globals.
  const [scrollWidth, innerWidth] = (await page.evaluate(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  )) as [number, number];
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

describe.skipIf(!hasChromium)('web app in Chromium on the local stack', () => {
  beforeAll(async () => {
    web = await startWebStack({
      folderPrefix: 'kyc-web-',
      idCardFace: 'sample3-middle',
      stack: {
        env: {
          LOCAL_OPERATOR_USERNAME: operator.username,
          LOCAL_OPERATOR_PASSWORD: operator.password,
        },
      },
    });
    ({ stack, idCardPath } = web);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('serves the runtime config for local mode from the app’s origin', async () => {
    expect(stack.webBuilt).toBe(true);
    const response = await fetch(`${stack.webUrl}/config.json`);
    expect(await response.json()).toEqual({
      apiUrl: stack.apiUrl,
      mode: 'local',
      region: 'us-east-1',
      liveness: {
        endpoint: stack.awsUrl,
        wasmPath: `${stack.webUrl}/liveness/tfjs-wasm/`,
        faceModelUrl: `${stack.webUrl}/liveness/face-model/facemesh-detection-short.json`,
      },
      auth: { kind: 'local' },
    });
    const model = await fetch(`${stack.webUrl}/liveness/face-model/facemesh-detection-short.bin`);
    expect(model.status).toBe(200);
    const wasm = await fetch(`${stack.webUrl}/liveness/tfjs-wasm/tfjs-backend-wasm-simd.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
  });

  it('applicant at 360 px: consent, ID upload, face check screen, then the verdict; operator sees it', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A first load has no 404 (the favicon included, which browsers ask for by themselves).
    const notFound: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    // Offline means offline: the detector's model and wasm come from the local web server.
    const external: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && !['localhost', '127.0.0.1'].includes(url.hostname)) {
        external.push(request.url());
      }
    });

    await page.goto(stack.webUrl);
    await page.getByRole('heading', { level: 1, name: 'Verify your identity' }).waitFor();
    await shot(page, '1-applicant-start');
    await fitsWidth(page);
    // The page names its icon, and the server has it.
    const icon = (await page.evaluate("document.querySelector('link[rel=icon]')?.href ?? null")) as
      | string
      | null;
    expect(icon).toBeTruthy();
    expect((await fetch(icon as string)).status).toBe(200);
    await page.getByRole('checkbox', { name: /I agree/ }).check();
    await page.getByRole('button', { name: 'Start' }).click();

    await page.getByRole('heading', { level: 1, name: 'Photograph your ID' }).waitFor();
    await page.getByLabel(/upload a photo of your ID/).setInputFiles(idCardPath);
    await page.getByRole('img', { name: /Your ID photo/ }).waitFor();
    await shot(page, '2-applicant-id');
    await fitsWidth(page);
    expect(scripts.some((path) => path.includes('liveness-detector'))).toBe(false);
    await page.getByRole('button', { name: 'Send and continue' }).click();

    await page.getByRole('heading', { level: 1, name: 'Face check' }).waitFor();
    // The detector's own start screen, from the lazily loaded chunk.
    await page.getByRole('button', { name: /Start video check/i }).waitFor({ timeout: 30_000 });
    expect(scripts.some((path) => path.includes('liveness-detector'))).toBe(true);
    await shot(page, '3-applicant-face-check');

    const { caseId, caseSecret, livenessSessionId } = await storedCase(page);
    expect(livenessSessionId).toBeTruthy();
    await stack.aws.sessions.completeSession(livenessSessionId, {
      confidence: 97,
      referenceImage: await loadSelfie('sample3-middle'),
      auditImages: [await loadSelfie('sample3-middle')],
    });
    const applicant = new ApplicantClient(stack.apiUrl);
    await applicant.submit(
      { caseId, caseSecret, livenessSessionId, idUpload: { url: '', headers: {} } },
      livenessSessionId,
    );

    // A reload resumes from sessionStorage: the case was submitted, so the status page polls.
    await page.reload();
    await page
      .getByRole('status')
      .filter({ hasText: 'You are verified' })
      .waitFor({ timeout: 90_000 });
    await shot(page, '4-applicant-approved');
    await fitsWidth(page);
    expect(pageErrors).toEqual([]);
    expect(notFound).toEqual([]);
    expect(external).toEqual([]);
    const text = await page.textContent('body');
    expect(text).not.toMatch(/97|score|confidence|similarity/i);

    const ops = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const console = await ops.newPage();
    await signInToConsole(console, stack.webUrl, operator);
    await console.getByRole('button', { name: `Open case ${caseId}` }).waitFor();
    await shot(console, '5-ops-executions');

    await console.getByRole('button', { name: `Open case ${caseId}` }).click();
    await console.getByRole('heading', { name: 'Timeline' }).waitFor();
    await expectImagesLoaded(console, [
      'Liveness reference image',
      'Liveness audit image 1',
      'ID document photo',
    ]);
    const timeline = await console.locator('ol.timeline').textContent();
    expect(timeline).toMatch(/Entered CheckLiveness[\s\S]*Entered Decide[\s\S]*ExecutionSucceeded/);
    await shot(console, '6-ops-detail');
    await console.getByRole('button', { name: 'Review queue' }).click();
    await console.getByText('Nothing is waiting for a review.').waitFor();
    await shot(console, '7-ops-review-queue');
    await ops.close();
    await context.close();
  });
});
