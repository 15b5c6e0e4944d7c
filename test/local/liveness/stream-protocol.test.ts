import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThrottlingError } from '../../../local/face-engine/index.js';
import {
  attachLivenessStream,
  encodeClientFrame,
  encodeEvent,
  type FrameAnalyzer,
  InMemoryLivenessSessions,
  type LivenessStream,
  SESSION_LIFETIME_MS,
} from '../../../local/liveness/index.js';
import { playSession, streamUrl, TestClient } from './fixtures/liveness-client.js';
import { PINNED_CHALLENGE } from './fixtures/liveness-server.js';
import { seededRandom } from './fixtures/seeded-random.js';
import { faceless, testPatternVideo } from './fixtures/test-pattern.js';

const MAX_FRAME_BYTES = 512 * 1024;
const MAX_VIDEO_BYTES = 600 * 1024;
const MAX_STREAMS = 3;

let sessions: InMemoryLivenessSessions;
let server: Server;
let stream: LivenessStream;
let base: string;
/** One second of a test pattern, VP8 WebM: real video that needs no face engine. */
let video: Buffer;
/** What the route logged on completed checks. */
const completions: Record<string, unknown>[] = [];

beforeAll(async () => {
  video = await testPatternVideo();
  sessions = new InMemoryLivenessSessions();
  server = createServer();
  stream = attachLivenessStream(server, {
    sessions,
    analyzer: faceless,
    newChallenge: () => PINNED_CHALLENGE,
    limits: { maxFrameBytes: MAX_FRAME_BYTES, maxVideoBytes: MAX_VIDEO_BYTES },
    maxConcurrentStreams: MAX_STREAMS,
    logger: { info: (_, attributes) => completions.push(attributes), warn: () => {} },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stream?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** A client whose session is claimed: the server's first message has arrived. */
async function openSession(sessionId = sessions.create()) {
  const client = new TestClient(streamUrl(base, sessionId));
  const first = await client.message(0);
  expect(first?.type).toBe('ServerSessionInformationEvent');
  return { client, sessionId };
}

async function expectRefusal(client: TestClient, index: number, exceptionType: string) {
  const message = await client.message(index);
  expect(message).toMatchObject({ messageType: 'exception', type: exceptionType });
  expect((await client.closed).code).toBe(1000);
  return String(message?.body.Message);
}

const lightInformation = (body: unknown) => ({
  Challenge: { FaceMovementAndLightChallenge: body },
});

describe('session checks at connection', () => {
  it('answers SessionNotFoundException for an unknown session', async () => {
    const client = new TestClient(streamUrl(base, randomUUID()));
    expect(await expectRefusal(client, 0, 'SessionNotFoundException')).toMatch(/not found/);
  });

  it('refuses an expired session with ValidationException without touching it', async () => {
    const sessionId = sessions.create({ createdAt: Date.now() - SESSION_LIFETIME_MS - 1 });
    const client = new TestClient(streamUrl(base, sessionId));
    expect(await expectRefusal(client, 0, 'ValidationException')).toMatch(/expired/);
    expect(sessions.peek(sessionId)?.status).toBe('CREATED');
  });

  it('refuses a second stream for a session in progress; the first one still owns it', async () => {
    const { client: first, sessionId } = await openSession();
    const second = new TestClient(streamUrl(base, sessionId));
    expect(await expectRefusal(second, 0, 'ValidationException')).toMatch(/already been used/);
    expect(sessions.peek(sessionId)?.status).toBe('IN_PROGRESS');

    first.socket.close(4003, 'cancelled');
    const settled = await sessions.settled(sessionId);
    expect(settled).toMatchObject({ status: 'FAILED' });
    expect(settled.failureReason).toMatch(/closed the stream with 4003/);
  });

  it('refuses the session of a completed check and leaves its result alone', async () => {
    const sessionId = sessions.create();
    await sessions.markInProgress(sessionId);
    await sessions.complete(sessionId, {
      confidence: 97,
      referenceImage: Buffer.from('jpeg'),
      auditImages: [],
      challenge: { type: 'FaceMovementAndLightChallenge', version: '2.0.0' },
      reasons: [],
    });
    const before = sessions.peek(sessionId);

    const client = new TestClient(streamUrl(base, sessionId));
    expect(await expectRefusal(client, 0, 'ValidationException')).toMatch(/already been used/);
    expect(sessions.peek(sessionId)).toBe(before);
  });

  it.each([
    ['no session-id', (url: string) => url.replace(/session-id=[^&]+&?/, '')],
    ['a zero video width', (url: string) => url.replace(/video-width=\d+/, 'video-width=0')],
    [
      'a video too large',
      (url: string) =>
        url.replace(/video-width=\d+&video-height=\d+/, 'video-width=4000&video-height=3000'),
    ],
    [
      'no light challenge version',
      (url: string) =>
        url.replace(/challenge-versions=[^&]+/, 'challenge-versions=FaceMovementChallenge_1.0.0'),
    ],
  ])('refuses a handshake with %s and leaves the session unused', async (_, edit) => {
    const sessionId = sessions.create();
    const client = new TestClient(edit(streamUrl(base, sessionId)));
    await expectRefusal(client, 0, 'ValidationException');
    expect(sessions.peek(sessionId)?.status).toBe('CREATED');
  });

  it('refuses streams beyond the concurrency limit with ThrottlingException, session untouched', async () => {
    const open = await Promise.all(Array.from({ length: MAX_STREAMS }, () => openSession()));
    const sessionId = sessions.create();
    await expectRefusal(new TestClient(streamUrl(base, sessionId)), 0, 'ThrottlingException');
    expect(sessions.peek(sessionId)?.status).toBe('CREATED');

    for (const { client } of open) client.socket.close(4003);
    await Promise.all(open.map(({ sessionId: id }) => sessions.settled(id)));
  });
});

describe('stream failures', () => {
  it.each([4001, 4003, 4005])(
    'fails the session when the client closes with %i mid-stream',
    async (code) => {
      const { client, sessionId } = await openSession();
      client.send(
        'ClientSessionInformationEvent',
        lightInformation({ VideoStartTimestamp: Date.now() }),
      );
      client.send('VideoEvent', {
        VideoChunk: video.toString('base64'),
        TimestampMillis: Date.now(),
      });
      client.socket.close(code, 'client gave up');

      const settled = await sessions.settled(sessionId);
      expect(settled.status).toBe('FAILED');
      expect(settled.failureReason).toBe(`client closed the stream with ${code} (client gave up)`);
    },
  );

  const signedGarbage = encodeClientFrame('VideoEvent', {}).slice();
  signedGarbage[signedGarbage.length - 20] = (signedGarbage.at(-20) ?? 0) ^ 0xff;
  it.each([
    [
      'bytes that are no event-stream message',
      Buffer.from('not an event stream'),
      /not an event-stream message/,
    ],
    ['a frame with a broken checksum', signedGarbage, /not an event-stream message/],
    ['an unsigned event', encodeEvent('VideoEvent', { VideoChunk: '' }), /not signed/],
    ['an unknown event type', encodeClientFrame('SmileEvent', {}), /Unknown event type SmileEvent/],
    [
      'a VideoChunk that is not base64 text',
      encodeClientFrame('VideoEvent', { VideoChunk: 5 }),
      /base64/,
    ],
    [
      'a ColorDisplayed without its colour',
      encodeClientFrame(
        'ClientSessionInformationEvent',
        lightInformation({ ColorDisplayed: { SequenceNumber: 1 } }),
      ),
      /ColorDisplayed needs/,
    ],
    [
      'information without a light challenge',
      encodeClientFrame('ClientSessionInformationEvent', { Challenge: null }),
      /FaceMovementAndLightChallenge is required/,
    ],
    [
      'a first chunk that is not WebM or MP4',
      encodeClientFrame('VideoEvent', { VideoChunk: Buffer.from('GIF89a....').toString('base64') }),
      /neither WebM nor MP4/,
    ],
    [
      `a frame over ${MAX_FRAME_BYTES} bytes`,
      encodeClientFrame('VideoEvent', {
        VideoChunk: Buffer.alloc(MAX_FRAME_BYTES).toString('base64'),
      }),
      /exceeds/,
    ],
  ])('answers %s with ValidationException and fails the session', async (_, frame, reason) => {
    const { client, sessionId } = await openSession();
    client.sendRaw(frame);

    expect(await expectRefusal(client, 1, 'ValidationException')).toMatch(reason);
    const settled = await sessions.settled(sessionId);
    expect(settled.status).toBe('FAILED');
    expect(settled.failureReason).toMatch(reason);
  });

  it('ignores the empty signed frame that ends the client stream', async () => {
    const { client, sessionId } = await openSession();
    const codec = new EventStreamCodec(
      (data) => Buffer.from(data).toString('latin1'),
      (text) => Buffer.from(text, 'latin1'),
    );
    client.sendRaw(
      codec.encode({
        headers: {
          ':date': { type: 'timestamp', value: new Date() },
          ':chunk-signature': { type: 'binary', value: new Uint8Array(32) },
        },
        body: new Uint8Array(0),
      }),
    );
    client.send('SmileEvent', {});
    // The next answer is the refusal of the unknown event: the empty frame was let through.
    expect(await expectRefusal(client, 1, 'ValidationException')).toMatch(/SmileEvent/);
    expect((await sessions.settled(sessionId)).status).toBe('FAILED');
  });

  it('refuses text frames', async () => {
    const { client, sessionId } = await openSession();
    client.socket.send('hello');
    expect(await expectRefusal(client, 1, 'ValidationException')).toMatch(/binary/);
    expect((await sessions.settled(sessionId)).status).toBe('FAILED');
  });

  it(`refuses more than ${MAX_VIDEO_BYTES} bytes of video in total`, async () => {
    const { client, sessionId } = await openSession();
    const chunk = Buffer.concat([video, Buffer.alloc(300 * 1024 - video.byteLength)]);
    for (let sent = 0; sent <= MAX_VIDEO_BYTES; sent += chunk.byteLength) {
      client.send('VideoEvent', {
        VideoChunk: chunk.toString('base64'),
        TimestampMillis: Date.now(),
      });
    }
    expect(await expectRefusal(client, 1, 'ValidationException')).toMatch(/Video exceeds/);
    expect((await sessions.settled(sessionId)).failureReason).toMatch(/Video exceeds/);
  });

  it('answers a video that does not decode with ValidationException', async () => {
    const { client, sessionId } = await openSession();
    const broken = Buffer.concat([video.subarray(0, 4), Buffer.alloc(4096, 7)]);
    client.send('VideoEvent', {
      VideoChunk: broken.toString('base64'),
      TimestampMillis: Date.now(),
    });
    client.send('VideoEvent', { VideoChunk: '', TimestampMillis: Date.now() });
    expect(await expectRefusal(client, 1, 'ValidationException')).toMatch(/could not be decoded/);
    expect((await sessions.settled(sessionId)).status).toBe('FAILED');
  });

  it('answers an end of video before any video with ValidationException', async () => {
    const { client, sessionId } = await openSession();
    client.send('VideoEvent', { VideoChunk: '', TimestampMillis: Date.now() });
    expect(await expectRefusal(client, 1, 'ValidationException')).toMatch(/No video was received/);
    expect((await sessions.settled(sessionId)).status).toBe('FAILED');
  });

  it('refuses open streams with ServiceUnavailableException when the server shuts down', async () => {
    const other = createServer();
    const closing = attachLivenessStream(other, {
      sessions,
      analyzer: { analyzeFrame: async () => ({ width: 0, height: 0, faces: [] }) },
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const sessionId = sessions.create();
    const url = streamUrl(`ws://127.0.0.1:${(other.address() as AddressInfo).port}`, sessionId);
    const client = new TestClient(url);
    expect((await client.message(0))?.type).toBe('ServerSessionInformationEvent');

    await closing.close();
    await new Promise((resolve) => other.close(resolve));

    expect(await expectRefusal(client, 1, 'ServiceUnavailableException')).toMatch(/shutting down/);
    expect((await sessions.settled(sessionId)).failureReason).toMatch(
      /^ServiceUnavailableException/,
    );
  });

  it('survives random input and keeps serving', async () => {
    const random = seededRandom(11);
    const bytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(random() * 256));
    const codec = new EventStreamCodec(
      (data) => Buffer.from(data).toString('latin1'),
      (text) => Buffer.from(text, 'latin1'),
    );
    for (let round = 0; round < 30; round++) {
      const { client, sessionId } = await openSession();
      const inner = bytes(1 + Math.floor(random() * 64));
      const frame =
        round % 2 === 0
          ? bytes(1 + Math.floor(random() * 256))
          : codec.encode({
              headers: {
                ':date': { type: 'timestamp', value: new Date() },
                ':chunk-signature': { type: 'binary', value: bytes(32) },
              },
              body: inner,
            });
      client.sendRaw(frame);
      await expectRefusal(client, 1, 'ValidationException');
      expect((await sessions.settled(sessionId)).status).toBe('FAILED');
    }
    expect(stream.activeStreams).toBeLessThanOrEqual(1);
    await openSession().then(({ client }) => client.socket.close(4003));
  });
});

describe('face engine failures', () => {
  async function playWith(analyzer: FrameAnalyzer) {
    const other = createServer();
    const route = attachLivenessStream(other, { sessions, analyzer });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const sessionId = sessions.create();
    const port = (other.address() as AddressInfo).port;
    const run = await playSession(streamUrl(`ws://127.0.0.1:${port}`, sessionId), video);
    await route.close();
    await new Promise((resolve) => other.close(resolve));
    return { run, session: await sessions.settled(sessionId) };
  }

  it('answers ThrottlingException when the engine had no time for any frame', async () => {
    const { run, session } = await playWith({
      analyzeFrame: () => Promise.reject(new ThrottlingError('queue full')),
    });
    expect(run.messages[1]).toMatchObject({
      messageType: 'exception',
      type: 'ThrottlingException',
    });
    expect(session.failureReason).toMatch(/^ThrottlingException/);
  });

  it('answers InternalServerException without details, keeping them server-side', async () => {
    const { run, session } = await playWith({
      analyzeFrame: () => Promise.reject(new Error('model file missing at /secret/path')),
    });
    expect(run.messages[1]).toMatchObject({
      messageType: 'exception',
      type: 'InternalServerException',
      body: { Message: 'Internal server error.' },
    });
    expect(session.failureReason).toBe(
      'InternalServerException: model file missing at /secret/path',
    );
  });
});

describe('end of video', () => {
  it('answers DisconnectionEvent and closes 1000, recording a low score when no face is seen', async () => {
    const sessionId = sessions.create();
    const run = await playSession(streamUrl(base, sessionId), video);

    expect(run.messages.map((message) => message.type)).toEqual([
      'ServerSessionInformationEvent',
      'DisconnectionEvent',
    ]);
    expect(run.messages[1]?.body.TimestampMillis).toEqual(expect.any(Number));
    expect(run.close.code).toBe(1000);
    const settled = await sessions.settled(sessionId);
    expect(settled.status).toBe('SUCCEEDED');
    expect(settled.result?.confidence).toBeLessThan(50);
    expect(settled.result?.reasons).toContainEqual(expect.stringMatching(/^face: on 0%/));
    // The client's own claims are kept server-side with the outcome, for audit.
    expect(completions.find((entry) => entry.sessionId === sessionId)).toMatchObject({
      confidence: settled.result?.confidence,
      client: {
        ChallengeId: expect.any(String),
        TargetFace: { BoundingBox: expect.any(Object) },
        VideoEndTimestamp: expect.any(Number),
        chunkTimestamps: Array.from({ length: 5 }, () => expect.any(Number)),
        colours: 8,
      },
    });
  });
});
