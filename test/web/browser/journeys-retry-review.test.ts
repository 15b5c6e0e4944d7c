import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/stack.js';
import {
  finishAttempt,
  reachFaceCheck,
  type StoredCase,
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

warnWithoutChromium('the browser tests');

const operator = { username: 'ops-browser', password: 'browser-operator-password-123' };

/** What the applicant must never see: the engine's numbers or their names. */
const scoreWords = /\b(20|97)\b|score|confidence|similarity/i;

let web: WebStack;
let stack: LocalStack;
let browser: Browser;
let idCardPath: string;

/** Consent and the ID photo, up to the detector's start screen, on a session of its own. */
async function reachDetector(page: Page): Promise<StoredCase> {
  await reachFaceCheck(page, stack.webUrl, idCardPath);
  return detectorOnNewSession(page);
}

async function detectorOnNewSession(page: Page): Promise<StoredCase> {
  const stored = await waitForDetector(page);
  expect(stored.stage).toBe('liveness');
  expect(stored.livenessSessionId).toBeTruthy();
  return stored;
}

/** The status page asks for another face check; its button leads to a new session. */
async function tryAgain(page: Page, previous: StoredCase, screenshot: string): Promise<StoredCase> {
  await statusMessage(page, 'Let us try the face check again').waitFor({ timeout: 90_000 });
  await shot(page, screenshot);
  expect(await page.textContent('body')).not.toMatch(scoreWords);
  await page.getByRole('button', { name: 'Try again' }).click();
  const next = await detectorOnNewSession(page);
  expect(next.caseId).toBe(previous.caseId);
  expect(next.livenessSessionId).not.toBe(previous.livenessSessionId);
  return next;
}

describe.skipIf(!hasChromium)('web app retry and review journeys in Chromium', () => {
  beforeAll(async () => {
    web = await startWebStack({
      folderPrefix: 'kyc-web-retry-',
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

  it('a failed face check: try again on a new session, then approved', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      const first = await reachDetector(page);
      await shot(page, 'retry-1-face-check');
      await finishAttempt(page, stack, first, 20);

      const second = await tryAgain(page, first, 'retry-2-try-again');
      await shot(page, 'retry-3-new-session');
      await finishAttempt(page, stack, second, 97);

      await statusMessage(page, 'You are verified').waitFor({ timeout: 90_000 });
      await shot(page, 'retry-4-approved');
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await page.textContent('body')).not.toMatch(scoreWords);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('three failed face checks: under review; an operator approves; the open page follows', async () => {
    const contexts: BrowserContext[] = [];
    try {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      contexts.push(context);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      let attempt = await reachDetector(page);
      const sessions = [attempt.livenessSessionId];
      for (let tries = 1; tries <= 3; tries += 1) {
        await finishAttempt(page, stack, attempt, 20);
        if (tries < 3) {
          attempt = await tryAgain(page, attempt, `review-${tries}-try-again`);
          sessions.push(attempt.livenessSessionId);
        }
      }
      expect(new Set(sessions).size).toBe(3);
      const { caseId } = attempt;

      await statusMessage(page, 'Your verification is being reviewed').waitFor({
        timeout: 90_000,
      });
      await shot(page, 'review-3-under-review');
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await page.textContent('body')).not.toMatch(scoreWords);
      // From here on the page must follow by itself: a reload would drop this marker.
      await page.evaluate('window.__stillOpen = true');
      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations += 1;
      });

      const ops = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(ops);
      const console = await ops.newPage();
      await console.goto(`${stack.webUrl}/ops`);
      await console.getByLabel('Username').fill(operator.username);
      await console.getByLabel('Password').fill(operator.password);
      await console.getByRole('button', { name: 'Sign in' }).click();
      await console.getByRole('heading', { level: 1, name: 'Executions' }).waitFor();
      await console.getByRole('button', { name: 'Review queue' }).click();
      const reviewButton = console.getByRole('button', { name: `Review case ${caseId}` });
      await reviewButton.waitFor();
      const row = console
        .getByRole('table', { name: 'Cases waiting for review' })
        .getByRole('row')
        .filter({ has: reviewButton });
      expect(await row.textContent()).toMatch(/bank-onboarding[\s\S]*LIVENESS_BUDGET_EXHAUSTED/);
      await shot(console, 'review-4-ops-queue');

      await reviewButton.click();
      await console.getByRole('heading', { level: 2, name: 'Review' }).waitFor();
      // The reviewer decides with the evidence: the face compared with the ID, the document read.
      const fact = (name: string) =>
        console.locator('dl.facts dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');
      expect(await fact('Face similarity (0-100)').textContent()).toMatch(
        /^\d+\.\d \(1 face\(s\) on the ID\)$/,
      );
      expect(await fact('Estimated age').textContent()).toMatch(/^\d+-\d+$/);
      expect(await fact('LAST_NAME').textContent()).toMatch(/\S/);
      await console
        .getByRole('img', {
          name: /Liveness reference image \(attempt #\d, compared with the ID\)/,
        })
        .waitFor();
      expect(await fact('Liveness attempts').textContent()).toMatch(
        /#1 failed, new attempt asked[\s\S]*#3 failed, budget spent/,
      );
      await shot(console, 'review-4b-ops-evidence');
      await console.getByRole('radio', { name: 'Approve' }).check();
      // The form refuses a decision without a reason.
      await console.getByRole('button', { name: 'Record decision' }).click();
      await console
        .getByRole('alert')
        .filter({ hasText: 'Give a reason for the decision' })
        .waitFor();
      const reason = 'Liveness re-checked by video call';
      await console.getByLabel(/Reason \(required/).fill(reason);
      await shot(console, 'review-5-ops-decision');
      await console.getByRole('button', { name: 'Record decision' }).click();
      await console.getByRole('heading', { level: 2, name: 'Review decision' }).waitFor();
      const recorded = console.getByRole('status').filter({ hasText: reason });
      expect(await recorded.textContent()).toMatch(new RegExp(`APPROVED by ${operator.username}`));
      await shot(console, 'review-6-ops-recorded');

      // The applicant's page, left open on "under review", turns to the verdict by polling.
      await statusMessage(page, 'You are verified').waitFor({ timeout: 90_000 });
      expect(await page.evaluate('window.__stillOpen')).toBe(true);
      expect(navigations).toBe(0);
      await shot(page, 'review-7-applicant-approved');
      expect(await page.textContent('body')).not.toMatch(scoreWords);
      expect(pageErrors).toEqual([]);
    } finally {
      for (const context of contexts) await context.close();
    }
  });
});
