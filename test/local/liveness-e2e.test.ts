/**
 * The Face Liveness stream inside the whole local stack: a session created through the API,
 * a recording played over the WebSocket like the FaceLivenessDetector does, the result read
 * by the workflow through GetFaceLivenessSessionResults, and the case decided.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicantClient, settled } from '../../local/applicant-client.js';
import { generateIdDocument } from '../../local/sample-data/id-document.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { facePatches } from './liveness/fixtures/face-patches.js';
import { playSession, streamUrl } from './liveness/fixtures/liveness-client.js';
import { PINNED_CHALLENGE } from './liveness/fixtures/liveness-server.js';
import { renderVideo, type Scenario } from './liveness/fixtures/liveness-video.js';

let stack: LocalStack;
let dataFolder: string;
let applicant: ApplicantClient;
let rekognition: RekognitionClient;
const videos = new Map<Scenario, Buffer>();

beforeAll(async () => {
  dataFolder = await mkdtemp(join(tmpdir(), 'kyc-liveness-e2e-'));
  stack = await startLocalStack({
    dataFolder,
    apiPort: 0,
    awsPort: 0,
    dynamoDbPort: 0,
    livenessChallenge: () => PINNED_CHALLENGE,
  });
  applicant = new ApplicantClient(stack.apiUrl);
  rekognition = new RekognitionClient({
    endpoint: stack.awsUrl,
    region: stack.aws.environment.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local-secret' },
  });
  const [first, second] = await facePatches(stack.faceEngine, 2);
  if (!first || !second) throw new Error('no face patches');
  for (const scenario of ['genuine', 'replay'] as const) {
    videos.set(
      scenario,
      await renderVideo({ scenario, challenge: PINNED_CHALLENGE, patches: [first, second] }),
    );
  }
});

afterAll(async () => {
  await stack?.close();
  await rm(dataFolder, { recursive: true, force: true });
});

async function runCheck(scenario: Scenario, sessionId: string) {
  const run = await playSession(
    streamUrl(stack.awsUrl.replace('http', 'ws'), sessionId),
    videos.get(scenario) as Buffer,
  );
  expect(run.messages.map((message) => message.type)).toEqual([
    'ServerSessionInformationEvent',
    'DisconnectionEvent',
  ]);
  expect(run.close.code).toBe(1000);
  return rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
}

describe('liveness through the local stack', () => {
  it('a genuine recording passes, the reference image lands in S3 and the workflow decides', async () => {
    const created = await applicant.createCase('age-gate', 'stream-genuine-01');
    const result = await runCheck('genuine', created.livenessSessionId);
    expect(result.Status).toBe('SUCCEEDED');
    expect(result.Confidence).toBeGreaterThan(90);
    expect(result.ReferenceImage?.S3Object?.Name).toMatch(/reference\.jpg$/);

    await applicant.submit(created, created.livenessSessionId);
    const view = await applicant.waitFor(created, settled);
    // Face only on the age gate: the recorded face's estimated age decides. The adult of the
    // recording is estimated under 40, where AgeRange.Low stays under 23 (age-range.ts: the
    // face alone never admits someone who may be a child), so an ID document is asked for.
    expect(view).toEqual({
      caseId: created.caseId,
      status: 'ACTION_REQUIRED',
      nextStep: 'RESUBMIT_ID',
    });
  });

  it('a replayed recording fails the light challenge: the applicant is asked to try again', async () => {
    const created = await applicant.createCase('bank-onboarding', 'stream-replay-001');
    const card = await generateIdDocument({ face: 'sample3-middle', output: 'jpeg' });
    await applicant.uploadIdImage(created, card.image);
    const result = await runCheck('replay', created.livenessSessionId);
    expect(result.Confidence).toBeLessThan(50);

    await applicant.submit(created, created.livenessSessionId);
    expect(await applicant.waitFor(created, settled)).toMatchObject({
      status: 'ACTION_REQUIRED',
      nextStep: 'RETRY_LIVENESS',
    });
  });

  it('refuses a second stream on a used session', async () => {
    const created = await applicant.createCase('age-gate', 'stream-reused-001');
    await runCheck('genuine', created.livenessSessionId);
    const again = await playSession(
      streamUrl(stack.awsUrl.replace('http', 'ws'), created.livenessSessionId),
      videos.get('genuine') as Buffer,
    );
    expect(again.messages[0]?.type).toBe('ValidationException');
  });
});
