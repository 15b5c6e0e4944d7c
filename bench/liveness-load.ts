/**
 * `npm run bench -- liveness-load`: the unmodified FaceLivenessDetector in Chromium against the
 * local stack, played by the simulated applicant (test/web/browser/fixtures), with one
 * CPU-busy process beside it, as on a busy phone. Runs the genuine check and the attacks
 * (replay, a response 500 ms late, a response to another colour order) and prints how many
 * passed (SUCCEEDED at or above the bank profile's 90), how many were judged failed, and how
 * many ended as too thin to judge (FAILED: the applicant is asked to repeat the check).
 * LIVENESS_LOAD_RUNS (default 6) genuine runs, LIVENESS_LOAD_ATTACK_RUNS (default 2) per attack,
 * LIVENESS_LOAD_BUSY (default 1) busy processes. Skips without Chromium.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { policyProfiles } from '../functions/domain/profiles.js';
import { reachFaceCheck, storedCase } from '../test/web/browser/fixtures/applicant-steps.js';
import {
  hasChromium,
  launchChromium,
  startWebStack,
} from '../test/web/browser/fixtures/browser-stack.js';
import { fakeCamera } from '../test/web/browser/fixtures/fake-camera.js';
import {
  type ApplicantBehaviour,
  type ApplicantTrace,
  applicantInitScript,
  centredOvalChallenge,
} from '../test/web/browser/fixtures/liveness-applicant.js';

const face = 'sample3-middle';
const SCREEN_LIGHT = 0.1;
const passAt = policyProfiles()['bank-onboarding'].liveness.passThreshold;

type Outcome = 'passed' | 'judged failed' | 'too thin' | 'stream error';

const kinds: readonly { name: string; behaviour: Omit<ApplicantBehaviour, 'face'> }[] = [
  { name: 'genuine', behaviour: { approaches: true, screenLight: SCREEN_LIGHT } },
  { name: 'replay', behaviour: { approaches: true, screenLight: 0 } },
  {
    name: 'late 500 ms',
    behaviour: { approaches: true, screenLight: SCREEN_LIGHT, lateByMs: 500 },
  },
  {
    name: 'reordered',
    behaviour: { approaches: true, screenLight: SCREEN_LIGHT, rotatedColours: true },
  },
];

const count = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
};

export default async function run(): Promise<void> {
  if (!hasChromium) {
    console.log('skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)');
    return;
  }
  const genuineRuns = count('LIVENESS_LOAD_RUNS', 6);
  const attackRuns = count('LIVENESS_LOAD_ATTACK_RUNS', 2);
  const busyCount = count('LIVENESS_LOAD_BUSY', 1);
  const web = await startWebStack({
    folderPrefix: 'kyc-bench-liveness-load-',
    idCardFace: face,
    stack: {
      // The simulated applicant only moves straight toward the camera: the oval is centred.
      livenessChallenge: centredOvalChallenge,
    },
  });
  const { stack, dataFolder, idCardPath } = web;
  const rekognition = new RekognitionClient({
    endpoint: stack.awsUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local-secret' },
  });
  const camera = await fakeCamera(stack.faceEngine, face);
  const cameraPath = join(dataFolder, 'camera.y4m');
  await writeFile(cameraPath, camera.y4m);
  const browser = await launchChromium(cameraPath);
  // One core kept busy elsewhere, the way other apps keep a phone busy.
  const busy = Array.from({ length: busyCount }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );

  async function once(behaviour: Omit<ApplicantBehaviour, 'face'>): Promise<Outcome> {
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    try {
      const page = await context.newPage();
      await page.addInitScript(applicantInitScript({ ...behaviour, face: camera.face }));
      await reachFaceCheck(page, stack.webUrl, idCardPath);
      await page.getByRole('button', { name: /Start video check/i }).waitFor({ timeout: 30_000 });
      const { livenessSessionId } = await storedCase(page);
      await page.getByRole('button', { name: /Start video check/i }).click();
      await page
        .locator('[role="status"], [role="alert"]')
        .filter({
          hasText: /You are verified|try the face check again|being reviewed|Start a new check/,
        })
        .first()
        .waitFor({ timeout: 120_000 });
      const result = await rekognition.send(
        new GetFaceLivenessSessionResultsCommand({ SessionId: livenessSessionId }),
      );
      // The endpoint's reasons stay server-side; the bench reads them for its diagnostics.
      const file = join(dataFolder, 'rekognition', 'sessions', `${livenessSessionId}.json`);
      const reasons =
        (JSON.parse(await readFile(file, 'utf8')) as { reasons?: string[] }).reasons ?? [];
      const outcome: Outcome =
        result.Status === 'SUCCEEDED'
          ? (result.Confidence ?? 0) >= passAt
            ? 'passed'
            : 'judged failed'
          : reasons.some((reason) => reason.startsWith('too thin'))
            ? 'too thin'
            : 'stream error';
      // How often the simulated camera could draw a frame on the page's busy main thread.
      const trace = (await page.evaluate('window.livenessApplicant')) as ApplicantTrace;
      const drawn = `camera frames drawn ${trace.framesDrawn}, longest gap ${Math.round(trace.longestGapMs)} ms`;
      console.log(
        `  ${outcome} (${drawn})${outcome === 'passed' ? '' : `: ${reasons.join('; ')}`}`,
      );
      return outcome;
    } catch (error) {
      console.log(`  run failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
      return 'stream error';
    } finally {
      await context.close();
    }
  }

  try {
    console.log(
      `${busyCount} busy process(es) beside the browser; pass = SUCCEEDED at >= ${passAt}; the machine is shared, so rates are noisy`,
    );
    for (const kind of kinds) {
      const runs = kind.name === 'genuine' ? genuineRuns : attackRuns;
      if (runs === 0) continue;
      const outcomes: Outcome[] = [];
      for (let index = 0; index < runs; index += 1) outcomes.push(await once(kind.behaviour));
      const tally = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
      const passed = tally('passed');
      console.log(
        `${kind.name.padEnd(12)} passed ${passed}/${runs} (${Math.round((100 * passed) / runs)}%), judged failed ${tally('judged failed')}, too thin to judge ${tally('too thin')}, stream error ${tally('stream error')}`,
      );
    }
  } finally {
    for (const child of busy) child.kill();
    await browser.close();
    rekognition.destroy();
    await web.close();
  }
}
