import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { generateUsLicence } from '../../../local/sample-data/us-licence.js';
import { finishAttempt, storedCase } from './fixtures/applicant-steps.js';
import {
  hasChromium,
  launchChromium,
  shot,
  startWebStack,
  type WebStack,
  warnWithoutChromium,
} from './fixtures/browser-stack.js';
import { expectImagesLoaded, signInToConsole } from './fixtures/operator-console.js';

warnWithoutChromium('the licence journey');

const operator = { username: 'ops-licence', password: 'licence-operator-password-123' };

let web: WebStack;
let browser: Browser;
let frontPath: string;
let backPath: string;

describe.skipIf(!hasChromium)('a US driver licence in Chromium on the local stack', () => {
  beforeAll(async () => {
    web = await startWebStack({
      folderPrefix: 'kyc-licence-',
      idCardFace: 'sample3-middle',
      stack: {
        env: {
          LOCAL_OPERATOR_USERNAME: operator.username,
          LOCAL_OPERATOR_PASSWORD: operator.password,
        },
      },
    });
    const licence = await generateUsLicence({ face: 'sample3-middle' });
    frontPath = join(web.dataFolder, 'licence-front.jpg');
    backPath = join(web.dataFolder, 'licence-back.png');
    await writeFile(frontPath, licence.front);
    await writeFile(backPath, licence.back);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('the applicant gives front and back; the licence is read and the console shows both pages', async () => {
    const { stack } = web;
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(stack.webUrl);
    await page.getByRole('checkbox', { name: /I agree/ }).check();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('heading', { level: 1, name: 'Photograph your ID' }).waitFor();
    await page.getByRole('radio', { name: 'US driver licence' }).check();
    await page.getByLabel(/upload a photo of your ID/).setInputFiles(frontPath);
    await page.getByLabel(/upload a photo of the back of your licence/).setInputFiles(backPath);
    await page.getByRole('img', { name: 'Back of your licence, ready to send' }).waitFor();
    await shot(page, 'licence-1-front-and-back');
    await page.getByRole('button', { name: 'Send and continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Face check' }).waitFor();

    const stored = await storedCase(page);
    const { caseId } = stored;
    await finishAttempt(page, stack, stored, 97);
    await page
      .getByRole('status')
      .filter({ hasText: 'You are verified' })
      .waitFor({ timeout: 90_000 });

    const ops = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const console = await ops.newPage();
    await signInToConsole(console, stack.webUrl, operator);
    await console.getByRole('button', { name: `Open case ${caseId}` }).click();
    await console.getByRole('heading', { name: 'Timeline' }).waitFor();
    await expectImagesLoaded(console, ['ID document photo', 'ID document back (barcode side)']);
    await shot(console, 'licence-2-ops-evidence');
    await ops.close();
    await context.close();
  });
});
