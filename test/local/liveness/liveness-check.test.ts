import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playSession, streamUrl } from './fixtures/liveness-client.js';
import { type LivenessHarness, startHarness } from './fixtures/liveness-server.js';
import type { Scenario } from './fixtures/liveness-video.js';

const ATTACKS: readonly { scenario: Scenario; name: string; reason: RegExp }[] = [
  {
    scenario: 'replay',
    name: 'a replay (the face ignores the colours)',
    reason: /^light: (correlation|response)/,
  },
  {
    scenario: 'wrong-order',
    name: 'a response to another colour order',
    reason: /^light: correlation/,
  },
  { scenario: 'late', name: 'a response 500 ms late', reason: /^light: best match at \d+ ms lag/ },
  {
    scenario: 'static-photo',
    name: 'a face that answers the light but never comes closer',
    reason: /^movement: face grew/,
  },
  { scenario: 'no-face', name: 'no face at all', reason: /^face: on 0% of analysed frames/ },
  { scenario: 'two-faces', name: 'two people in the picture', reason: /^face: more than one face/ },
];

let harness: LivenessHarness;

beforeAll(async () => {
  harness = await startHarness([
    'genuine',
    'genuine-moving',
    ...ATTACKS.map((attack) => attack.scenario),
  ]);
});

afterAll(() => harness?.close());

describe('liveness check on recorded video', () => {
  it('passes a face that comes closer and answers the colours on time', async () => {
    const sessionId = harness.sessions.create({ auditImagesLimit: 2 });
    const run = await playSession(
      streamUrl(harness.base, sessionId),
      await harness.video('genuine'),
    );

    expect(run.messages.map((message) => message.type)).toEqual([
      'ServerSessionInformationEvent',
      'DisconnectionEvent',
    ]);
    expect(run.close.code).toBe(1000);
    const session = await harness.sessions.settled(sessionId);
    expect(session.status).toBe('SUCCEEDED');
    expect(session.result?.reasons).toEqual([]);
    expect(session.result?.confidence).toBeGreaterThan(90);
    const reference = session.result?.referenceImage as Buffer;
    expect(reference.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await harness.engine.detectFaces(reference)).FaceDetails).toHaveLength(1);
    expect(session.result?.boundingBox?.Width).toBeGreaterThan(0.2);
    expect(session.result?.auditImages).toHaveLength(2);
  });

  it('passes an applicant who sways and nods under drifting exposure', async () => {
    const sessionId = harness.sessions.create();
    await playSession(streamUrl(harness.base, sessionId), await harness.video('genuine-moving'));

    const session = await harness.sessions.settled(sessionId);
    expect(session.result?.reasons).toEqual([]);
    expect(session.result?.confidence).toBeGreaterThan(90);
  });

  it.each(ATTACKS)('scores $name below 50 and records why', async ({ scenario, reason }) => {
    const sessionId = harness.sessions.create();
    const run = await playSession(
      streamUrl(harness.base, sessionId),
      await harness.video(scenario),
    );

    expect(run.messages.at(-1)?.type).toBe('DisconnectionEvent');
    const session = await harness.sessions.settled(sessionId);
    expect(session.result?.confidence).toBeLessThan(50);
    expect(session.result?.reasons).toContainEqual(expect.stringMatching(reason));
  });
});
