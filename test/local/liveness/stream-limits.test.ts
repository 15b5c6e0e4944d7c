import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachLivenessStream,
  InMemoryLivenessSessions,
  type LivenessStream,
} from '../../../local/liveness/index.js';
import { chunksOf, playSession, streamUrl, TestClient } from './fixtures/liveness-client.js';
import { PINNED_CHALLENGE } from './fixtures/liveness-server.js';
import { faceless, testPatternVideo } from './fixtures/test-pattern.js';

/** Shortened limits: the applicant may wait 3 s before the video, the recording may last 1 s. */
const WAIT_MS = 3000;
const RECORDING_MS = 1000;

let sessions: InMemoryLivenessSessions;
let server: Server;
let stream: LivenessStream;
let base: string;
let video: Buffer;

beforeAll(async () => {
  video = await testPatternVideo();
  sessions = new InMemoryLivenessSessions();
  server = createServer();
  stream = attachLivenessStream(server, {
    sessions,
    analyzer: faceless,
    newChallenge: () => PINNED_CHALLENGE,
    limits: { maxWaitForVideoMs: WAIT_MS, maxRecordingMs: RECORDING_MS },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stream?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the stream limits: the applicant’s wait is not the check’s', () => {
  it('a check started after a wait longer than the recording limit is analysed, not cut off', async () => {
    const sessionId = sessions.create();
    // The detector's start screen: the stream is open, nothing is sent yet.
    const run = await playSession(streamUrl(base, sessionId), video, {
      beforeChunk: async (index) => {
        if (index === 0) await sleep(RECORDING_MS + 800);
      },
    });
    expect(run.messages.map((message) => message.type)).toEqual([
      'ServerSessionInformationEvent',
      'DisconnectionEvent',
    ]);
    expect((await sessions.settled(sessionId)).status).toBe('SUCCEEDED');
  });

  it('no video within the wait: the session fails, and the reason says the check never started', async () => {
    const sessionId = sessions.create();
    const client = new TestClient(streamUrl(base, sessionId));
    const refusal = await client.message(1);
    expect(refusal).toMatchObject({ messageType: 'exception', type: 'ValidationException' });
    expect(String(refusal?.body.Message)).toBe('The check did not start within 3 s.');
    const settled = await sessions.settled(sessionId);
    expect(settled.status).toBe('FAILED');
    expect(settled.failureReason).toMatch(/did not start within 3 s/);
  });

  it('a recording that does not end within its limit fails, and the reason says so', async () => {
    const sessionId = sessions.create();
    const client = new TestClient(streamUrl(base, sessionId));
    await client.message(0);
    client.send('VideoEvent', {
      VideoChunk: chunksOf(video)[0]?.toString('base64'),
      TimestampMillis: Date.now(),
    });
    const refusal = await client.message(1);
    expect(String(refusal?.body.Message)).toBe('The video did not end within 1 s of its start.');
    expect((await sessions.settled(sessionId)).failureReason).toMatch(/did not end within 1 s/);
  });

  it('the session’s expiry ends a wait that would outlast it, and the reason names the expiry', async () => {
    const sessionId = sessions.create({ createdAt: Date.now() - 180_000 + 1500 });
    const client = new TestClient(streamUrl(base, sessionId));
    const refusal = await client.message(1);
    expect(String(refusal?.body.Message)).toBe('The session expired before the check started.');
  });
});
