import {
  DeleteObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { httpEvent, parse, stubHandlerEnv } from './http-event.js';
import { conditionFailed } from './sdk-errors.js';

stubHandlerEnv();
const { handler } = await import('../../../functions/handlers/operator-api.js');

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

const caseId = '6f1c7a2e-1d4b-4c1a-9a57-3f0f3b1c2d4e';
const operator = { 'cognito:username': 'ops-alice', 'cognito:groups': '[operators]' };
const executionArn = 'arn:aws:states:eu-west-1:1:execution:onboarding:x';
const stored = [
  `cases/${caseId}/id/1`,
  `cases/${caseId}/evidence/id-1`,
  `cases/${caseId}/liveness/s1/reference.jpg`,
];

const approvedCase = {
  caseId,
  profileId: 'bank-onboarding',
  status: 'APPROVED',
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:05:00.000Z',
  secretHash: 'deadbeef',
  livenessSessions: { t1: { sessionId: 's1', createdAt: '2026-11-21T10:00:00.000Z' } },
  usedLivenessSessionIds: ['s1'],
  idImageKey: `cases/${caseId}/id/1`,
  idAttempt: 1,
  idEvidence: { attempt: 1, key: `cases/${caseId}/evidence/id-1`, sha256: 'ab' },
  executionArn,
  livenessAttempts: [{ sessionId: 's1', attempt: 1, status: 'SUCCEEDED', confidence: 97, at: 'x' }],
  referenceImageKey: `cases/${caseId}/liveness/s1/reference.jpg`,
  auditImageKeys: [`cases/${caseId}/liveness/s1/audit_images/1.jpg`],
  document: {
    attempt: 1,
    idType: 'NATIONAL_ID',
    facts: {
      fields: { LAST_NAME: { text: 'MARTIN', confidence: 99 } },
      mrz: { present: true, consistent: true },
    },
  },
  ageEstimate: { faceCount: 1, ageRange: { low: 30, high: 42 }, quality: {}, pose: {} },
  decision: {
    outcome: 'APPROVE',
    reasons: [{ code: 'AGE_CONFIRMED', effect: 'PASS', detail: 'age 36 from the document >= 18' }],
    profileId: 'bank-onboarding',
    profileVersion: '2026-11-01',
    decidedAt: '2026-11-21T10:04:00.000Z',
  },
  verdict: { outcome: 'APPROVED', source: 'AUTOMATED', decidedAt: '2026-11-21T10:05:00.000Z' },
  audit: [],
};

const erase = (body: unknown, claims: Record<string, string> | null = operator) =>
  handler(
    httpEvent('POST /ops/cases/{caseId}/erasure', {
      ...(claims ? { claims } : {}),
      pathParameters: { caseId },
      body,
    }),
  ).then(parse);

beforeEach(() => {
  dynamo.reset();
  s3.reset();
  sfn.reset();
  s3.on(HeadObjectCommand)
    .rejects(new NotFound({ message: 'x', $metadata: { httpStatusCode: 404 } }))
    .on(DeleteObjectCommand)
    .resolves({})
    .on(PutObjectCommand)
    .resolves({ ETag: '"d41d8cd98f00b204e9800998ecf8427e"' });
  for (const key of stored) {
    s3.on(HeadObjectCommand, { Key: key }).resolves({
      ContentLength: 5,
      ContentType: 'image/jpeg',
    });
  }
  sfn
    .on(DescribeExecutionCommand)
    .resolves({ executionArn, status: 'SUCCEEDED', startDate: new Date(0) });
});

describe('POST /ops/cases/{caseId}/erasure', () => {
  it('deletes every image key of the case, erases the personal fields and answers the tombstone', async () => {
    dynamo.on(GetCommand).resolves({ Item: approvedCase }).on(UpdateCommand).resolves({});
    const result = await erase({ reason: 'Applicant request, ticket 42' });

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      caseId,
      erasure: {
        erasedBy: 'ops-alice',
        reason: 'Applicant request, ticket 42',
        imagesDeleted: 3,
        fieldsErased: [
          'document',
          'ageEstimate',
          'idEvidence',
          'decision.reasons.detail',
          'referenceImageKey',
          'auditImageKeys',
        ],
      },
    });
    const deleted = s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key as string);
    expect(deleted).toEqual(
      expect.arrayContaining([...stored, `cases/${caseId}/liveness/s1/audit_images/1.jpg`]),
    );
    expect(deleted.every((key) => key.startsWith(`cases/${caseId}/`))).toBe(true);
    expect(
      new Set(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Bucket)),
    ).toEqual(new Set(['images']));
    const update = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.UpdateExpression).toContain(
      'REMOVE #document, ageEstimate, idEvidence, referenceImageKey',
    );
    expect(update?.ConditionExpression).toContain('attribute_not_exists(erasure)');
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':s0': 'APPROVED',
      ':s1': 'REJECTED',
      ':s2': 'ABANDONED',
      ':s3': 'FAILED',
    });
  });

  it('seals each upload key with an empty create-only object, so a still-valid URL cannot refill it', async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: { ...approvedCase, idAttempt: 2 } })
      .on(UpdateCommand)
      .resolves({});
    const result = await erase({ reason: 'Applicant request, ticket 43' });
    expect(result.status).toBe(200);
    const seals = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const sealed = [1, 2].flatMap((n) => [
      `cases/${caseId}/id/${n}`,
      `cases/${caseId}/id/${n}-back`,
    ]);
    expect(seals.map((seal) => seal.Key)).toEqual(sealed);
    for (const seal of seals) {
      expect(seal).toMatchObject({ IfNoneMatch: '*', ContentType: 'application/x-kyc-erased' });
      expect((seal.Body as Uint8Array).byteLength).toBe(0);
    }
    expect(result.body.erasure).toMatchObject({
      uploadsSealed: sealed,
    });
  });

  it('deletes a licence back page (upload and pinned copy) and seals its upload key', async () => {
    const back = [`cases/${caseId}/id/1-back`, `cases/${caseId}/evidence/id-1-back`];
    for (const key of back) {
      s3.on(HeadObjectCommand, { Key: key }).resolves({
        ContentLength: 5,
        ContentType: 'image/jpeg',
      });
    }
    const idEvidence = { ...approvedCase.idEvidence, back: { key: back[1], sha256: 'cd' } };
    dynamo
      .on(GetCommand)
      .resolves({ Item: { ...approvedCase, idEvidence } })
      .on(UpdateCommand)
      .resolves({});
    const result = await erase({ reason: 'Applicant request, ticket 45' });
    expect(result.status).toBe(200);
    expect(result.body.erasure).toMatchObject({ imagesDeleted: 5 });
    const deleted = s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key);
    expect(deleted).toEqual(expect.arrayContaining(back));
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `cases/${caseId}/id/1`,
      back[0],
    ]);
  });

  it('a photo that lands between the delete and the seal is deleted and the seal retried', async () => {
    dynamo.on(GetCommand).resolves({ Item: approvedCase }).on(UpdateCommand).resolves({});
    s3.on(PutObjectCommand)
      .rejectsOnce(
        new S3ServiceException({
          name: 'PreconditionFailed',
          $fault: 'client',
          $metadata: { httpStatusCode: 412 },
          message: 'At least one of the pre-conditions you specified did not hold',
        }),
      )
      .resolves({ ETag: '"e"' });
    const result = await erase({ reason: 'Applicant request, ticket 44' });
    expect(result.status).toBe(200);
    // The front's seal twice, then the back's.
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(3);
    const deletes = s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key);
    expect(deletes.filter((key) => key === `cases/${caseId}/id/1`)).toHaveLength(2);
  });

  it('is idempotent: an erased case answers its tombstone and deletes nothing more', async () => {
    const erasure = {
      erasedAt: '2026-11-21T12:00:00.000Z',
      erasedBy: 'ops-bob',
      reason: 'Earlier request',
      imagesDeleted: 2,
      fieldsErased: ['document'],
    };
    dynamo.on(GetCommand).resolves({ Item: { ...approvedCase, erasure } });
    const result = await erase({ reason: 'Again' });
    expect(result).toEqual({ status: 200, body: { caseId, erasure } });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers the winner’s tombstone when a concurrent erasure stored it first', async () => {
    const erasure = {
      erasedAt: 'x',
      erasedBy: 'ops-bob',
      reason: 'r',
      imagesDeleted: 2,
      fieldsErased: [],
    };
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: approvedCase })
      .resolves({ Item: { ...approvedCase, erasure } })
      .on(UpdateCommand)
      .rejects(conditionFailed);
    expect(await erase({ reason: 'Applicant request' })).toEqual({
      status: 200,
      body: { caseId, erasure },
    });
  });

  it('401s without a verified token and 403s outside the operators group', async () => {
    expect(await erase({ reason: 'Applicant request' }, null)).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED' },
    });
    expect(
      await erase(
        { reason: 'Applicant request' },
        { 'cognito:username': 'eve', 'cognito:groups': '[x]' },
      ),
    ).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(dynamo.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it.each([
    ['no body', undefined],
    ['no reason', {}],
    ['a blank reason', { reason: '   ' }],
    ['a reason too long', { reason: 'x'.repeat(1001) }],
  ])('400s %s', async (_name, body) => {
    const result = await erase(body);
    expect(result).toMatchObject({ status: 400 });
    expect(['VALIDATION_FAILED', 'MALFORMED_JSON']).toContain(result.body.code);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it.each(['CREATED', 'PROCESSING', 'AWAITING_LIVENESS_RETRY', 'AWAITING_ID', 'IN_REVIEW'])(
    '409s a case in %s and deletes nothing',
    async (status) => {
      dynamo.on(GetCommand).resolves({ Item: { ...approvedCase, status } });
      sfn
        .on(DescribeExecutionCommand)
        .resolves({ executionArn, status: 'RUNNING', startDate: new Date(0) });
      expect(await erase({ reason: 'Applicant request' })).toMatchObject({
        status: 409,
        body: { code: 'CASE_STATE_CONFLICT' },
      });
      expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
      expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    },
  );

  it('409s a decided case whose execution is still running (the verdict was just recorded)', async () => {
    dynamo.on(GetCommand).resolves({ Item: approvedCase });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn, status: 'RUNNING', startDate: new Date(0) });
    expect(await erase({ reason: 'Applicant request' })).toMatchObject({ status: 409 });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('404s an unknown case', async () => {
    dynamo.on(GetCommand).resolves({});
    expect(await erase({ reason: 'Applicant request' })).toMatchObject({
      status: 404,
      body: { code: 'CASE_NOT_FOUND' },
    });
  });
});

describe('GET /ops/executions/{caseId} after erasure or retention', () => {
  const detail = () =>
    handler(
      httpEvent('GET /ops/executions/{caseId}', { claims: operator, pathParameters: { caseId } }),
    ).then(parse);

  it('an erased case shows its tombstone and no evidence URL', async () => {
    const { document: _d, ageEstimate: _a, referenceImageKey: _r, ...rest } = approvedCase;
    const erasure = {
      erasedAt: 'x',
      erasedBy: 'ops-bob',
      reason: 'r',
      imagesDeleted: 2,
      fieldsErased: [],
    };
    dynamo.on(GetCommand).resolves({ Item: { ...rest, auditImageKeys: [], erasure } });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const result = await detail();
    expect(result.status).toBe(200);
    expect(result.body.case).toMatchObject({ erasure });
    expect(result.body.evidence).toEqual({
      expiresInSeconds: 60,
      referenceImage: null,
      auditImages: [],
      idImage: null,
      idBackImage: null,
      missing: [],
    });
    expect(JSON.stringify(result.body)).not.toContain('MARTIN');
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it('a case whose images the retention rule deleted lists them as missing (no 500)', async () => {
    s3.reset();
    s3.on(HeadObjectCommand).rejects(
      new NotFound({ message: 'x', $metadata: { httpStatusCode: 404 } }),
    );
    const idEvidence = {
      ...approvedCase.idEvidence,
      back: { key: `cases/${caseId}/evidence/id-1-back`, sha256: 'cd' },
    };
    dynamo.on(GetCommand).resolves({ Item: { ...approvedCase, idEvidence } });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const result = await detail();
    expect(result.status).toBe(200);
    expect(result.body.evidence).toEqual({
      expiresInSeconds: 60,
      referenceImage: null,
      auditImages: [],
      idImage: null,
      idBackImage: null,
      missing: ['referenceImage', 'idImage', 'idBackImage', 'auditImage1'],
    });
  });
});
