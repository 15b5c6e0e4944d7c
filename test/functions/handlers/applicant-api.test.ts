import { createHash } from 'node:crypto';
import {
  CreateFaceLivenessSessionCommand,
  RekognitionClient,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../functions/adapters/case-repository.js';
import { hashCaseSecret } from '../../../functions/api/case-secret.js';
import { deviceKeyOf } from '../../../functions/api/device-key.js';
import { httpEvent, parse, stubHandlerEnv } from './http-event.js';
import { conditionFailed } from './sdk-errors.js';

stubHandlerEnv();
const { handler } = await import('../../../functions/handlers/applicant-api.js');

const dynamo = mockClient(DynamoDBDocumentClient);
const rekognition = mockClient(RekognitionClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

const caseId = '6f1c7a2e-1d4b-4c1a-9a57-3f0f3b1c2d4e';
const secret = 'correct-horse-battery-staple-0123456789';

function storedCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId,
    profileId: 'bank-onboarding',
    status: 'CREATED',
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
    secretHash: hashCaseSecret(secret),
    livenessSessions: {
      'client-token-1': { sessionId: 'session-1', createdAt: '2026-11-21T10:00:00.000Z' },
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

const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7, 6, 5]);
/** A GetObject answer as the SDK gives it (the body a stream with its byte reader). */
const stored = (body: Buffer, etag = '"upload-etag"') =>
  ({
    Body: { transformToByteArray: async () => new Uint8Array(body) },
    ContentLength: body.length,
    ContentType: 'image/jpeg',
    ETag: etag,
  }) as never;

const backUpload = (attempt: number) => `cases/${caseId}/id/${attempt}-back`;
const notFound = () =>
  Object.assign(new Error('nf'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });

/** HEAD answers for the uploads: the front photo, and a back page only when one is given. */
function headUploads(back?: { ContentLength: number; ContentType: string }) {
  s3.on(HeadObjectCommand).resolves({ ContentLength: photo.length, ContentType: 'image/jpeg' });
  for (const attempt of [1, 2]) {
    const head = s3.on(HeadObjectCommand, { Key: backUpload(attempt) });
    if (back) head.resolves(back);
    else head.rejects(notFound());
  }
}

const withSecret = (extra: Parameters<typeof httpEvent>[1] = {}) => ({
  pathParameters: { caseId },
  headers: { 'x-case-secret': secret },
  ...extra,
});

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

beforeEach(() => {
  dynamo.reset();
  rekognition.reset();
  s3.reset();
  sfn.reset();
  // No liveness limit recorded unless a test says otherwise.
  dynamo.on(GetCommand).resolves({});
});

describe('POST /cases', () => {
  it.each([
    ['missing fields', { body: {} }, 400, 'VALIDATION_FAILED'],
    ['wrong types', { body: { profile: 5, clientToken: true } }, 400, 'VALIDATION_FAILED'],
    [
      'unknown profile',
      { body: { profile: 'casino', clientToken: 'token-123456' } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'short client token',
      { body: { profile: 'age-gate', clientToken: 'abc' } },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'bad content type',
      {
        body: { profile: 'age-gate', clientToken: 'token-123456', idImageContentType: 'image/gif' },
      },
      400,
      'VALIDATION_FAILED',
    ],
    ['malformed JSON', { rawBody: '{"profile":' }, 400, 'MALFORMED_JSON'],
    [
      'oversized body',
      { rawBody: JSON.stringify({ pad: 'x'.repeat(20_000) }) },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('%s -> %i %s', async (_name, options, status, code) => {
    const result = parse(await handler(httpEvent('POST /cases', options)));
    expect(result.status).toBe(status);
    expect(result.body.code).toBe(code);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('names the invalid fields', async () => {
    const result = parse(
      await handler(httpEvent('POST /cases', { body: { profile: 'bank-onboarding' } })),
    );
    expect(result.body.details).toEqual([expect.objectContaining({ path: 'clientToken' })]);
  });

  it('creates a case with a secret, a liveness session and an upload URL', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-new' });
    const result = parse(
      await handler(
        httpEvent('POST /cases', {
          body: { profile: 'bank-onboarding', clientToken: 'token-123456' },
          base64: true,
        }),
      ),
    );
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      profile: 'bank-onboarding',
      livenessSessionId: 'session-new',
    });
    expect(result.body.caseSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const upload = result.body.idUpload as { url: string; headers: Record<string, string> };
    expect(upload.url).toContain(`cases/${result.body.caseId}/id/1`);
    expect(upload.headers['content-type']).toBe('image/jpeg');
    const storedCaseItem = dynamo.commandCalls(PutCommand)[1]?.args[0].input.Item as Record<
      string,
      unknown
    >;
    expect(storedCaseItem.secretHash).toBe(hashCaseSecret(result.body.caseSecret as string));
    expect(JSON.stringify(storedCaseItem)).not.toContain(result.body.caseSecret as string);
  });

  const deviceA = 'device-a-0123456789abcdef';
  const completedCreation = {
    clientToken: 'token-123456',
    status: 'COMPLETED',
    caseId,
    caseSecret: secret,
    profileId: 'age-gate',
    lockedUntil: 0,
    livenessSessionId: 'session-1',
    deviceKey: deviceKeyOf(httpEvent('POST /cases'), deviceA),
  };

  it('answers a repeated call with the same client token with the same case and session', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed);
    dynamo.on(GetCommand).resolves({ Item: completedCreation });
    const result = parse(
      await handler(
        httpEvent('POST /cases', {
          body: { profile: 'age-gate', clientToken: 'token-123456', deviceId: deviceA },
        }),
      ),
    );
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      caseId,
      caseSecret: secret,
      livenessSessionId: 'session-1',
    });
    expect(rekognition.commandCalls(CreateFaceLivenessSessionCommand)).toHaveLength(0);
  });

  it.each([
    ['another device id', { deviceId: 'device-b-0123456789abcdef' }],
    ['no device id (counted by source IP)', {}],
  ])(
    'refuses a replay of the client token from %s, without the case or its secret',
    async (_name, device) => {
      dynamo.on(PutCommand).rejects(conditionFailed);
      dynamo.on(GetCommand).resolves({ Item: completedCreation });
      const result = parse(
        await handler(
          httpEvent('POST /cases', {
            body: { profile: 'age-gate', clientToken: 'token-123456', ...device },
          }),
        ),
      );
      expect(result).toMatchObject({ status: 409, body: { code: 'CLIENT_TOKEN_REUSED' } });
      expect(JSON.stringify(result.body)).not.toContain(secret);
      expect(JSON.stringify(result.body)).not.toContain(caseId);
    },
  );

  it('stores the creating device with the reservation', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    rekognition.on(CreateFaceLivenessSessionCommand).resolves({ SessionId: 'session-new' });
    await handler(
      httpEvent('POST /cases', {
        body: { profile: 'age-gate', clientToken: 'token-123456', deviceId: deviceA },
      }),
    );
    const reservation = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(reservation?.deviceKey).toBe(completedCreation.deviceKey);
  });

  it('refuses a client token reused for another profile', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed);
    dynamo.on(GetCommand).resolves({
      Item: {
        clientToken: 'token-123456',
        status: 'COMPLETED',
        caseId,
        caseSecret: secret,
        profileId: 'age-gate',
        lockedUntil: 0,
      },
    });
    const result = parse(
      await handler(
        httpEvent('POST /cases', {
          body: { profile: 'bank-onboarding', clientToken: 'token-123456' },
        }),
      ),
    );
    expect(result).toMatchObject({ status: 409, body: { code: 'CLIENT_TOKEN_REUSED' } });
  });

  it('answers 503 with Retry-After when a service throttles', async () => {
    dynamo.on(PutCommand).resolves({});
    rekognition
      .on(CreateFaceLivenessSessionCommand)
      .rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const raw = await handler(
      httpEvent('POST /cases', { body: { profile: 'age-gate', clientToken: 'token-123456' } }),
    );
    expect(raw.statusCode).toBe(503);
    expect(raw.headers?.['retry-after']).toBe('2');
  });

  it('hides unexpected failures behind a generic 500', async () => {
    dynamo.on(PutCommand).rejects(new Error('table arn:aws:dynamodb:secret-internals exploded'));
    const result = parse(
      await handler(
        httpEvent('POST /cases', { body: { profile: 'age-gate', clientToken: 'token-123456' } }),
      ),
    );
    expect(result).toEqual({
      status: 500,
      body: { code: 'INTERNAL_ERROR', message: 'Something went wrong' },
    });
  });
});

describe('GET /cases/{caseId}', () => {
  it.each([
    [
      'an invalid case id',
      { pathParameters: { caseId: '../../etc/passwd' }, headers: { 'x-case-secret': secret } },
      400,
      'VALIDATION_FAILED',
    ],
    ['no secret', { pathParameters: { caseId } }, 401, 'UNAUTHORIZED'],
  ])('%s -> %i', async (_name, options, status, code) => {
    const result = parse(await handler(httpEvent('GET /cases/{caseId}', options)));
    expect(result).toMatchObject({ status, body: { code } });
  });

  it('404s an unknown case', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = parse(await handler(httpEvent('GET /cases/{caseId}', withSecret())));
    expect(result).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
  });

  it("401s another case's secret", async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    const result = parse(
      await handler(
        httpEvent(
          'GET /cases/{caseId}',
          withSecret({ headers: { 'x-case-secret': 'someone-elses-secret' } }),
        ),
      ),
    );
    expect(result).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });

  it('shows the status and next step only: no scores, no reasons', async () => {
    dynamo.on(GetCommand).resolves({
      Item: storedCase({
        status: 'AWAITING_LIVENESS_RETRY',
        livenessAttempts: [
          { sessionId: 'session-1', attempt: 1, status: 'SUCCEEDED', confidence: 42.5, at: 'x' },
        ],
        reviewReasonCodes: ['FACE_MATCH_BORDERLINE'],
      }),
    });
    const result = parse(await handler(httpEvent('GET /cases/{caseId}', withSecret())));
    expect(result).toEqual({
      status: 200,
      // The advice comes from the last session's status (judged, below the threshold).
      body: {
        caseId,
        status: 'ACTION_REQUIRED',
        nextStep: 'RETRY_LIVENESS',
        retryAdvice: 'FACE_AND_LIGHT',
      },
    });
  });
});

describe('POST /cases/{caseId}/id-upload-url', () => {
  it('signs a create-only URL (If-None-Match: *) and clears the earlier photos (front and back) of the attempt', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    s3.on(DeleteObjectCommand).resolves({});
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/id-upload-url',
          withSecret({ body: { contentType: 'image/png' } }),
        ),
      ),
    );
    expect(result.status).toBe(201);
    const upload = result.body.idUpload as {
      url: string;
      headers: Record<string, string>;
      expiresInSeconds: number;
    };
    expect(upload.headers).toEqual({ 'content-type': 'image/png', 'if-none-match': '*' });
    expect(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-type;host;if-none-match',
    );
    expect(upload.expiresInSeconds).toBe(60);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `cases/${caseId}/id/1`,
      backUpload(1),
    ]);
  });

  it('signs the back page of the current attempt on its own key, with the same rules', async () => {
    dynamo.on(GetCommand).resolves({
      Item: storedCase({ status: 'AWAITING_ID', idImageKey: `cases/${caseId}/id/2`, idAttempt: 2 }),
    });
    s3.on(DeleteObjectCommand).resolves({});
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/id-upload-url',
          withSecret({ body: { contentType: 'image/jpeg', page: 'back' } }),
        ),
      ),
    );
    expect(result.status).toBe(201);
    const upload = result.body.idUpload as { url: string; headers: Record<string, string> };
    const url = new URL(upload.url);
    expect(url.pathname).toMatch(new RegExp(`/cases/${caseId}/id/2-back$`));
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host;if-none-match');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(upload.headers).toEqual({ 'content-type': 'image/jpeg', 'if-none-match': '*' });
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      backUpload(2),
    ]);
  });

  it('refuses an unknown page', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/id-upload-url',
          withSecret({ body: { contentType: 'image/jpeg', page: 'inside' } }),
        ),
      ),
    );
    expect(result).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(s3.calls()).toHaveLength(0);
  });
});

/** The case waits for a second ID photo (the workflow's task token stored). */
function awaitingSecondId() {
  const pendingTask = { action: 'ID_RESUBMIT', token: 'tok', attempt: 1, issuedAt: 'x' } as const;
  dynamo.on(GetCommand).resolves({
    Item: storedCase({
      status: 'AWAITING_ID',
      idImageKey: `cases/${caseId}/id/2`,
      idAttempt: 2,
      pendingTask,
    }),
  });
  dynamo.on(UpdateCommand).resolves({ Attributes: { pendingTask } });
}

/** Submits the stored case's first liveness session, the workflow start answering. */
async function submitFirstSession() {
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
  return handler(
    httpEvent(
      'POST /cases/{caseId}/submit',
      withSecret({ body: { livenessSessionId: 'session-1' } }),
    ),
  );
}

describe('POST /cases/{caseId}/submit', () => {
  it('refuses a liveness session that is not the case’s', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/submit',
          withSecret({ body: { livenessSessionId: 'foreign' } }),
        ),
      ),
    );
    expect(result).toMatchObject({ status: 400, body: { code: 'UNKNOWN_LIVENESS_SESSION' } });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('asks for the ID photo first on the bank profile', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    s3.on(HeadObjectCommand).rejects(
      Object.assign(new Error('nf'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/submit',
          withSecret({ body: { livenessSessionId: 'session-1' } }),
        ),
      ),
    );
    expect(result).toMatchObject({ status: 409, body: { code: 'ID_IMAGE_REQUIRED' } });
  });

  it('refuses an ID upload that is not an image', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    s3.on(HeadObjectCommand).resolves({ ContentLength: 1000, ContentType: 'text/html' });
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/submit',
          withSecret({ body: { livenessSessionId: 'session-1' } }),
        ),
      ),
    );
    expect(result).toMatchObject({ status: 400, body: { code: 'ID_IMAGE_INVALID' } });
  });

  it('starts one execution named after the case', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    dynamo.on(UpdateCommand).resolves({});
    headUploads();
    s3.on(GetObjectCommand).resolves(stored(photo));
    s3.on(PutObjectCommand).resolves({ ETag: '"pinned-etag"' });
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:execution', startDate: new Date() });
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/submit',
          withSecret({ body: { livenessSessionId: 'session-1' } }),
        ),
      ),
    );
    expect(result).toEqual({
      status: 202,
      body: { caseId, status: 'IN_PROGRESS', nextStep: 'WAIT' },
    });
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.name).toBe(caseId);
    expect(JSON.parse(start?.input ?? '{}')).toEqual({
      caseId,
      profileId: 'bank-onboarding',
      livenessSessionId: 'session-1',
      livenessAttempt: 1,
      idImageKey: `cases/${caseId}/evidence/id-1`,
      idBackImageKey: null,
      idAttempt: 1,
    });
  });

  it('pins the ID photo at submit: a write-once copy the checks read, named with its SHA-256 on the record', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    dynamo.on(UpdateCommand).resolves({});
    headUploads();
    s3.on(GetObjectCommand).resolves(stored(photo));
    s3.on(PutObjectCommand).resolves({ ETag: '"pinned-etag"' });
    expect((await submitFirstSession()).statusCode).toBe(202);
    const sha256 = createHash('sha256').update(photo).digest();
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input.Key).toBe(`cases/${caseId}/id/1`);
    const pin = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(pin).toMatchObject({
      Key: `cases/${caseId}/evidence/id-1`,
      IfNoneMatch: '*',
      ContentType: 'image/jpeg',
      ChecksumSHA256: sha256.toString('base64'),
    });
    expect(Buffer.from(pin?.Body as Uint8Array)).toEqual(photo);
    const submitted = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(Object.values(submitted?.ExpressionAttributeValues ?? {})).toContainEqual({
      attempt: 1,
      key: `cases/${caseId}/evidence/id-1`,
      sha256: sha256.toString('hex'),
      etag: '"pinned-etag"',
      size: photo.length,
      contentType: 'image/jpeg',
      pinnedAt: expect.any(String),
    });
  });

  it('pins the back page too when uploaded: its own evidence key and SHA-256, a second page for the workflow', async () => {
    const back = Buffer.concat([photo, Buffer.from('back')]);
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    dynamo.on(UpdateCommand).resolves({});
    headUploads({ ContentLength: back.length, ContentType: 'image/jpeg' });
    s3.on(GetObjectCommand).resolves(stored(photo));
    s3.on(GetObjectCommand, { Key: backUpload(1) }).resolves(stored(back));
    s3.on(PutObjectCommand).resolves({ ETag: '"pinned-etag"' });
    expect((await submitFirstSession()).statusCode).toBe(202);
    const backSha = createHash('sha256').update(back).digest();
    const pins = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(pins.map((pin) => pin.Key)).toEqual([
      `cases/${caseId}/evidence/id-1`,
      `cases/${caseId}/evidence/id-1-back`,
    ]);
    expect(pins[1]).toMatchObject({ IfNoneMatch: '*', ChecksumSHA256: backSha.toString('base64') });
    const submitted = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(Object.values(submitted?.ExpressionAttributeValues ?? {})).toContainEqual(
      expect.objectContaining({
        key: `cases/${caseId}/evidence/id-1`,
        back: {
          key: `cases/${caseId}/evidence/id-1-back`,
          sha256: backSha.toString('hex'),
          etag: '"pinned-etag"',
          size: back.length,
          contentType: 'image/jpeg',
        },
      }),
    );
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(JSON.parse(start?.input ?? '{}')).toMatchObject({
      idImageKey: `cases/${caseId}/evidence/id-1`,
      idBackImageKey: `cases/${caseId}/evidence/id-1-back`,
    });
  });

  it('refuses a back page that is not an image', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    headUploads({ ContentLength: 10, ContentType: 'text/html' });
    s3.on(GetObjectCommand).resolves(stored(photo));
    s3.on(PutObjectCommand).resolves({ ETag: '"pinned-etag"' });
    const result = parse(await submitFirstSession());
    expect(result).toMatchObject({ status: 400, body: { code: 'ID_IMAGE_INVALID' } });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('a repeated submission keeps the first pin: the copy is never overwritten', async () => {
    const first = Buffer.concat([photo, Buffer.from('first')]);
    dynamo.on(GetCommand).resolves({ Item: storedCase() });
    dynamo.on(UpdateCommand).resolves({});
    headUploads();
    s3.on(GetObjectCommand, { Key: `cases/${caseId}/id/1` }).resolves(stored(photo));
    s3.on(GetObjectCommand, { Key: `cases/${caseId}/evidence/id-1` }).resolves(
      stored(first, '"first-etag"'),
    );
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
        message: 'At least one of the pre-conditions you specified did not hold',
      }),
    );
    expect((await submitFirstSession()).statusCode).toBe(202);
    const submitted = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(Object.values(submitted?.ExpressionAttributeValues ?? {})).toContainEqual(
      expect.objectContaining({
        sha256: createHash('sha256').update(first).digest('hex'),
        etag: '"first-etag"',
      }),
    );
  });

  it('resubmitting an ID pins the new attempt and hands the workflow the pinned key', async () => {
    awaitingSecondId();
    headUploads();
    s3.on(GetObjectCommand).resolves(stored(photo));
    s3.on(PutObjectCommand).resolves({ ETag: '"e2"' });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = await handler(
      httpEvent('POST /cases/{caseId}/submit', withSecret({ body: {} })),
    );
    expect(result.statusCode).toBe(202);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Key).toBe(
      `cases/${caseId}/evidence/id-2`,
    );
    const output = JSON.parse(
      sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '{}',
    );
    expect(output).toEqual({ idImageKey: `cases/${caseId}/evidence/id-2`, idBackImageKey: null });
  });

  it('resubmitting with a back page hands the workflow both pinned keys', async () => {
    awaitingSecondId();
    headUploads({ ContentLength: photo.length, ContentType: 'image/jpeg' });
    s3.on(GetObjectCommand).resolves(stored(photo));
    s3.on(PutObjectCommand).resolves({ ETag: '"e2"' });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = await handler(
      httpEvent('POST /cases/{caseId}/submit', withSecret({ body: {} })),
    );
    expect(result.statusCode).toBe(202);
    const output = JSON.parse(
      sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '{}',
    );
    expect(output).toEqual({
      idImageKey: `cases/${caseId}/evidence/id-2`,
      idBackImageKey: `cases/${caseId}/evidence/id-2-back`,
    });
  });

  it('refuses a liveness session used before on retry', async () => {
    dynamo.on(GetCommand).resolves({
      Item: storedCase({
        status: 'AWAITING_LIVENESS_RETRY',
        usedLivenessSessionIds: ['session-1'],
      }),
    });
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/submit',
          withSecret({ body: { livenessSessionId: 'session-1' } }),
        ),
      ),
    );
    expect(result).toMatchObject({ status: 409, body: { code: 'LIVENESS_SESSION_USED' } });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a submission once decided', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase({ status: 'APPROVED' }) });
    const result = parse(
      await handler(
        httpEvent(
          'POST /cases/{caseId}/submit',
          withSecret({ body: { livenessSessionId: 'session-1' } }),
        ),
      ),
    );
    expect(result).toMatchObject({ status: 409, body: { code: 'CASE_STATE_CONFLICT' } });
  });
});

it.each(['DELETE /cases', '$default'])(
  '404s an unknown route (%s) as {code, message}',
  async (routeKey) => {
    const result = parse(await handler(httpEvent(routeKey)));
    expect(result).toEqual({
      status: 404,
      body: { code: 'ROUTE_NOT_FOUND', message: 'No such route' },
    });
  },
);
