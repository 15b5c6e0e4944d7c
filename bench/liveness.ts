/**
 * Face Liveness streaming endpoint: time from the end of a 5 s 640x480 VP8 recording (the
 * empty VideoEvent) to DisconnectionEvent, with the real face engine. Two ways of sending:
 * paced like FaceLivenessDetector (one chunk per second while recording, so decoding and
 * face analysis run during the recording) and all at once (a fast upload: everything is
 * left to do at the end). The test videos and client come from the liveness tests.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { playSession, streamUrl } from '../test/local/liveness/fixtures/liveness-client.js';
import { startHarness } from '../test/local/liveness/fixtures/liveness-server.js';
import { summary } from './_stats.js';

const RUNS = 10;
const CHUNK_INTERVAL_MS = 1000;

export default async function run(): Promise<void> {
  const harness = await startHarness(['genuine']);
  try {
    const video = await harness.video('genuine');
    const modes = {
      'paced 1 chunk/s': async (index: number) => {
        if (index > 0) await delay(CHUNK_INTERVAL_MS);
      },
      'all at once': undefined,
    };
    for (const [mode, beforeChunk] of Object.entries(modes)) {
      const answers: number[] = [];
      const confidences: number[] = [];
      for (let index = 0; index < RUNS; index++) {
        const sessionId = harness.sessions.create();
        const played = await playSession(streamUrl(harness.base, sessionId), video, {
          ...(beforeChunk ? { beforeChunk } : {}),
        });
        const session = await harness.sessions.settled(sessionId);
        if (played.answerMs === undefined) throw new Error(`no DisconnectionEvent (${mode})`);
        answers.push(played.answerMs);
        confidences.push(session.result?.confidence ?? Number.NaN);
      }
      console.log(`end of video -> DisconnectionEvent, ${mode}: ${summary(answers)}`);
      console.log(`  genuine Confidence ${Math.min(...confidences)}-${Math.max(...confidences)}`);
    }
  } finally {
    await harness.close();
  }
}
