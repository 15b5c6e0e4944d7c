import { createHash } from 'node:crypto';
import {
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../functions/adapters/case-repository.js';
import { hashCaseSecret } from '../../../functions/api/case-secret.js';
import { httpEvent, parse, stubHandlerEnv } from './http-event.js';
import { conditionFailed } from './sdk-errors.js';

stubHandlerEnv();
const applicantApi = await import('../../../functions/handlers/applicant-api.js');
const operatorApi = await import('../../../functions/handlers/operator-api.js');
const checkLiveness = await import('../../../functions/handlers/check-liveness.js');

const dynamo = mockClient(DynamoDBDocumentClient);
const rekognition = mockClient(RekognitionClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

const now = Date.parse('2026-11-21T10:00:00.000Z');
const nowSeconds = now / 1000;
const iso = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
const caseId = '6f1c7a2e-1d4b-4c1a-9a57-3f0f3b1c2d4e';
const secret = 'correct-horse-battery-staple-0123456789';
const deviceId = 'device-0123456789abcdef';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const deviceKey = sha256(`device:${deviceId}`);
const otherDeviceKey = sha256('device:another-device-0123456789');
const caseLimitKey = { pk: `LIVENESS_LIMIT#CASE#${caseId}`, sk: 'LIMIT' };
const deviceLimitKey = (key: string) => ({ pk: `LIVENESS_LIMIT#DEVICE#${key}`, sk: 'LIMIT' });

function storedCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId,
    profileId: 'bank-onboarding',
    status: 'CREATED',
    createdAt: iso(120),
    updatedAt: iso(120),
    secretHash: hashCaseSecret(secret),
    deviceKey,
    livenessSessions: {
      'client-token-1': { sessionId: 'session-1', createdAt: iso(100), deviceKey },
    },
    usedLivenessSessionIds: [],
    idImageKey: `cases/${caseId}/id/1`,
    idAttempt: 1,
    livenessAttempts: [],
    auditImageKeys: [],
    audit: [],
    ...overrides,
  };
}

/** A stored limit item with `count` failures learned 10 s ago. */
function limitItem(count: number, extra: Record<string, unknown> = {}) {
  return {
    Item: {
      failures: Array.from({ length: count }, (_, index) => ({
        sessionId: `old-${index}`,
        at: nowSeconds - 10,
      })),
      version: 3,
      ...extra,
    },
  };
}

const newSession = (body: Record<string, unknown> = { clientToken: 'client-token-2', deviceId }) =>
  applicantApi.handler(
    httpEvent('POST /cases/{caseId}/liveness-sessions', {
      pathParameters: { caseId },
      headers: { 'x-case-secret': secret },
      body,
    }),
  );

const limitPuts = () =>
  dynamo
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input)
    .filter((input) => String(input.Item?.pk).startsWith('LIVENESS_LIMIT#'));

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
});

afterAll(() => {
  vi.useRealTimers();
});

beforeEach(() => {
  dynamo.reset();
  rekognition.reset();
  s3.reset();
  sfn.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
});

describe('POST /cases from a device', () => {
  const create = (body: Record<string, unknown>, sourceIp?: string) => {
    const event = httpEvent('POST /cases', { body });
    if (sourceIp) event.requestContext.http.sourceIp = sourceIp;
    return applicantApi.handler(event);
  };

  it('stores only the hash of the device id, on the case and its first session', async () => {
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-new' });
    const result = parse(
      await create({ profile: 'age-gate', clientToken: 'token-123456', deviceId }),
    );
    expect(result.status).toBe(201);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: 'cases',
      Key: deviceLimitKey(deviceKey),
      ConsistentRead: true,
    });
    const stored = dynamo
      .commandCalls(PutCommand)
      .map((call) => call.args[0].input.Item)
      .find((item) => item?.sk === 'CASE');
    expect(stored?.deviceKey).toBe(deviceKey);
    expect(Object.values(stored?.livenessSessions ?? {})).toEqual([
      expect.objectContaining({ sessionId: 'session-new', deviceKey }),
    ]);
    expect(JSON.stringify(dynamo.calls().map((call) => call.args[0].input))).not.toContain(
      deviceId,
    );
  });

  it('falls back to the hash of the source IP without a device id', async () => {
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-new' });
    await create({ profile: 'age-gate', clientToken: 'token-123456' }, '198.51.100.7');
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual(
      deviceLimitKey(sha256('ip:198.51.100.7')),
    );
  });

  it.each([
    ['too short', 'abc'],
    ['not url-safe', 'device id with spaces!!'],
    ['too long', 'x'.repeat(65)],
  ])('refuses a device id that is %s', async (_name, bad) => {
    const result = parse(
      await create({ profile: 'age-gate', clientToken: 'token-123456', deviceId: bad }),
    );
    expect(result).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('429s a device in a cool-down, with Retry-After and nothing created', async () => {
    dynamo
      .on(GetCommand, { Key: deviceLimitKey(deviceKey) })
      .resolves(limitItem(5, { coolDownUntil: nowSeconds + 600 }));
    const raw = await create({ profile: 'age-gate', clientToken: 'token-123456', deviceId });
    expect(raw.statusCode).toBe(429);
    expect(raw.headers?.['retry-after']).toBe('600');
    expect(parse(raw).body).toEqual({
      code: 'LIVENESS_COOL_DOWN',
      message: 'Too many face check attempts. Please try again later.',
      retryAfterSeconds: 600,
    });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
    expect(rekognition.calls()).toHaveLength(0);
  });

  it('lets a device create cases again once its cool-down is over', async () => {
    dynamo
      .on(GetCommand, { Key: deviceLimitKey(deviceKey) })
      .resolves(limitItem(5, { coolDownUntil: nowSeconds }));
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-new' });
    const result = parse(
      await create({ profile: 'age-gate', clientToken: 'token-123456', deviceId }),
    );
    expect(result.status).toBe(201);
  });
});

describe('POST /cases/{caseId}/liveness-sessions', () => {
  it('counts a failed session never submitted against the case and its device, once', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase(),
    });
    rekognition
      .on(GetFaceLivenessSessionResultsCommand, { SessionId: 'session-1' })
      .resolves({ SessionId: 'session-1', Status: 'FAILED' });
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-2' });
    dynamo.on(UpdateCommand).resolves({
      Attributes: {
        livenessSessions: { 'client-token-2': { sessionId: 'session-2', createdAt: iso(0) } },
      },
    });

    const result = parse(await newSession());
    expect(result).toEqual({ status: 201, body: { livenessSessionId: 'session-2' } });
    expect(limitPuts()).toEqual([
      {
        TableName: 'cases',
        Item: {
          ...caseLimitKey,
          failures: [{ sessionId: 'session-1', at: nowSeconds }],
          version: 1,
          expiresAt: nowSeconds + 180 + 60,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      {
        TableName: 'cases',
        Item: {
          ...deviceLimitKey(deviceKey),
          failures: [{ sessionId: 'session-1', at: nowSeconds }],
          version: 1,
          expiresAt: nowSeconds + 180 + 60,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates[0]).toEqual({
      TableName: 'cases',
      Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
      UpdateExpression: 'SET livenessSessions.#token.settled = :settled, updatedAt = :at',
      ExpressionAttributeNames: { '#token': 'client-token-1' },
      ExpressionAttributeValues: { ':settled': 'FAILURE', ':at': iso(0) },
      ConditionExpression: 'attribute_exists(livenessSessions.#token)',
    });
    expect(updates[1]?.ExpressionAttributeValues?.[':entry']).toEqual({
      sessionId: 'session-2',
      createdAt: iso(0),
      deviceKey,
    });
  });

  it.each([
    ['never started (CREATED)', { Status: 'CREATED' }, false, undefined],
    ['expired, perhaps never started', { Status: 'EXPIRED' }, false, 'NO_FAILURE'],
    ['passed but not submitted', { Status: 'SUCCEEDED', Confidence: 97 }, false, 'NO_FAILURE'],
    ['scored below the threshold', { Status: 'SUCCEEDED', Confidence: 40 }, true, 'FAILURE'],
    ['given up while in progress', { Status: 'IN_PROGRESS' }, true, 'FAILURE'],
  ])('a session %s: counted %s, settled %s', async (_name, outcome, counted, settled) => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase(),
    });
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: 'session-1', ...outcome } as never);
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-2' });
    dynamo.on(UpdateCommand).resolves({
      Attributes: {
        livenessSessions: { 'client-token-2': { sessionId: 'session-2', createdAt: iso(0) } },
      },
    });
    expect((await newSession()).statusCode).toBe(201);
    expect(limitPuts()).toHaveLength(counted ? 2 : 0);
    const settles = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':settled'])
      .filter(Boolean);
    expect(settles).toEqual(settled ? [settled] : []);
  });

  it('leaves alone sessions already settled, submitted, or older than the window', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase({
        livenessSessions: {
          a: { sessionId: 'settled', createdAt: iso(30), settled: 'FAILURE' },
          b: { sessionId: 'submitted', createdAt: iso(30) },
          c: { sessionId: 'old', createdAt: iso(180 + 180 + 1) },
        },
        usedLivenessSessionIds: ['submitted'],
      }),
    });
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-2' });
    dynamo.on(UpdateCommand).resolves({
      Attributes: {
        livenessSessions: { 'client-token-2': { sessionId: 'session-2', createdAt: iso(0) } },
      },
    });
    expect((await newSession()).statusCode).toBe(201);
    expect(rekognition.commandCalls(GetFaceLivenessSessionResultsCommand)).toHaveLength(0);
  });

  it('the failure that reaches the limit starts a cool-down: audited, 429, no session', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase(),
    });
    // Four failures stored, then what the write below stored.
    dynamo
      .on(GetCommand, { Key: caseLimitKey })
      .resolvesOnce(limitItem(4))
      .resolves(limitItem(5, { coolDownUntil: nowSeconds + 1800, version: 4 }));
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: 'session-1', Status: 'FAILED' });

    const raw = await newSession();
    expect(raw.statusCode).toBe(429);
    expect(raw.headers?.['retry-after']).toBe('1800');
    expect(parse(raw).body).toMatchObject({ code: 'LIVENESS_COOL_DOWN', retryAfterSeconds: 1800 });
    expect(raw.body).not.toMatch(/confidence|score|failures/i);
    expect(limitPuts()[0]).toMatchObject({
      Item: { ...caseLimitKey, version: 4, coolDownUntil: nowSeconds + 1800 },
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': 3 },
    });
    const audit = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .find((input) => input.UpdateExpression === 'SET audit = list_append(audit, :audit)');
    expect(audit?.ExpressionAttributeValues?.[':audit']).toEqual([
      {
        at: iso(0),
        actor: 'applicant',
        action: 'LIVENESS_COOL_DOWN_STARTED',
        detail: `case until ${new Date((nowSeconds + 1800) * 1000).toISOString()}`,
      },
    ]);
    expect(rekognition.commandCalls(CreateFaceLivenessSessionCommand)).toHaveLength(0);
  });

  it('a concurrent write of the same limit is re-read and counted on top', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase(),
    });
    dynamo
      .on(GetCommand, { Key: caseLimitKey })
      .resolvesOnce({})
      .resolves(limitItem(1, { version: 1 }));
    // Another request wrote the case's limit between this one's read and write.
    let casePutsSeen = 0;
    dynamo.on(PutCommand).callsFake((input: { Item?: Record<string, unknown> }) => {
      if (input.Item?.pk !== caseLimitKey.pk) return {};
      casePutsSeen += 1;
      if (casePutsSeen === 1) throw conditionFailed;
      return {};
    });
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: 'session-1', Status: 'FAILED' });
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-2' });
    dynamo.on(UpdateCommand).resolves({
      Attributes: {
        livenessSessions: { 'client-token-2': { sessionId: 'session-2', createdAt: iso(0) } },
      },
    });
    expect((await newSession()).statusCode).toBe(201);
    const casePuts = limitPuts().filter((input) => input.Item?.pk === caseLimitKey.pk);
    expect(casePuts.map((input) => [input.ConditionExpression, input.Item?.failures])).toEqual([
      ['attribute_not_exists(pk)', [{ sessionId: 'session-1', at: nowSeconds }]],
      [
        '#version = :expected',
        [
          { sessionId: 'old-0', at: nowSeconds - 10 },
          { sessionId: 'session-1', at: nowSeconds },
        ],
      ],
    ]);
  });

  it.each([
    ['the case', caseLimitKey, deviceLimitKey(otherDeviceKey)],
    ['the asking device', deviceLimitKey(deviceKey), caseLimitKey],
  ])('429s while %s is cooling down', async (_name, limited, _free) => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase({ livenessSessions: {} }),
    });
    dynamo
      .on(GetCommand, { Key: limited })
      .resolves(limitItem(0, { coolDownUntil: nowSeconds + 90 }));
    const raw = await newSession();
    expect(raw.statusCode).toBe(429);
    expect(raw.headers?.['retry-after']).toBe('90');
  });

  it('answers a repeated request with its session even in a cool-down (idempotent)', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase(),
    });
    dynamo
      .on(GetCommand, { Key: caseLimitKey })
      .resolves(limitItem(5, { coolDownUntil: nowSeconds + 90 }));
    const result = parse(await newSession({ clientToken: 'client-token-1', deviceId }));
    expect(result).toEqual({ status: 201, body: { livenessSessionId: 'session-1' } });
  });
});

describe('check-liveness counts the failed attempts the workflow evaluates', () => {
  const task = { caseId, profileId: 'bank-onboarding', livenessSessionId: 'session-1', attempt: 1 };

  it('a score below the threshold counts against the case and the session’s device', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase({
        deviceKey: otherDeviceKey,
        livenessSessions: { t: { sessionId: 'session-1', createdAt: iso(60), deviceKey } },
      }),
    });
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: 'session-1', Status: 'SUCCEEDED', Confidence: 50 });
    const result = await checkLiveness.handler(task);
    expect(result.verdict).toBe('RETRY');
    expect(limitPuts().map((input) => input.Item?.pk)).toEqual([
      caseLimitKey.pk,
      deviceLimitKey(deviceKey).pk,
    ]);
  });

  it('a retried step finds the failure counted and writes no limit again', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase(),
    });
    const counted = {
      Item: { failures: [{ sessionId: 'session-1', at: nowSeconds - 5 }], version: 1 },
    };
    dynamo.on(GetCommand, { Key: caseLimitKey }).resolves(counted);
    dynamo.on(GetCommand, { Key: deviceLimitKey(deviceKey) }).resolves(counted);
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: 'session-1', Status: 'FAILED' });
    await checkLiveness.handler(task);
    expect(limitPuts()).toHaveLength(0);
  });

  it('a passed attempt counts nothing', async () => {
    rekognition
      .on(GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: 'session-1', Status: 'SUCCEEDED', Confidence: 95 });
    const result = await checkLiveness.handler(task);
    expect(result.verdict).toBe('PASS');
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
    expect(limitPuts()).toHaveLength(0);
  });
});

describe('GET /ops/executions/{caseId} shows the liveness limits', () => {
  it('of the case and of each device that asked for a session', async () => {
    dynamo.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({
      Item: storedCase({
        livenessSessions: {
          a: { sessionId: 'session-1', createdAt: iso(60), deviceKey },
          b: { sessionId: 'session-2', createdAt: iso(30), deviceKey: otherDeviceKey },
        },
      }),
    });
    dynamo.on(GetCommand, { Key: caseLimitKey }).resolves(limitItem(2));
    dynamo
      .on(GetCommand, { Key: deviceLimitKey(deviceKey) })
      .resolves(limitItem(5, { coolDownUntil: nowSeconds + 1500 }));
    s3.onAnyCommand().resolves({});
    const result = parse(
      await operatorApi.handler(
        httpEvent('GET /ops/executions/{caseId}', {
          claims: { 'cognito:username': 'ops-alice', 'cognito:groups': '[operators]' },
          pathParameters: { caseId },
        }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body.livenessLimits).toEqual({
      policy: { failureLimit: 5, windowSeconds: 180, coolDownSeconds: 1800 },
      case: { failuresInWindow: 2, coolDownUntil: null },
      devices: [
        {
          deviceKey,
          failuresInWindow: 5,
          coolDownUntil: new Date((nowSeconds + 1500) * 1000).toISOString(),
        },
        { deviceKey: otherDeviceKey, failuresInWindow: 0, coolDownUntil: null },
      ],
    });
  });
});
