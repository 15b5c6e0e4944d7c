import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CaseRecord,
  CaseRepository,
  ConditionFailedError,
  type CreationRecord,
  InvalidCursorError,
  monthsBetween,
  type PendingTask,
} from '../../../functions/adapters/case-repository.js';
import {
  CaseNotFoundError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../functions/domain/errors.js';
import { awsError, expectRejection } from './sdk-errors.js';

const TABLE = 'kyc-cases';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = new CaseRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
);
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const caseKey = { pk: 'CASE#case-1', sk: 'CASE' };

const record: CaseRecord = {
  caseId: 'case-1',
  profileId: 'bank-onboarding',
  status: 'CREATED',
  createdAt: '2025-01-31T23:59:00.000Z',
  updatedAt: '2025-01-31T23:59:00.000Z',
  secretHash: 'hash',
  livenessSessions: {},
  usedLivenessSessionIds: [],
  idImageKey: 'cases/case-1/id/1',
  idAttempt: 1,
  livenessAttempts: [],
  auditImageKeys: [],
  audit: [],
};
const stored = (item: CaseRecord) => ({
  pk: `CASE#${item.caseId}`,
  sk: 'CASE',
  listPartition: `CASES#${item.createdAt.slice(0, 7)}`,
  ...item,
});

const updateInputs = () => dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input);

beforeEach(() => {
  dynamo.reset();
});

describe('getCase / requireCase', () => {
  it('reads the case consistently and strips the table keys', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...stored(record), expiresAt: 123 } });

    await expect(repository.getCase('case-1')).resolves.toStrictEqual(record);
    expect(dynamo.commandCalls(GetCommand).map((c) => c.args[0].input)).toStrictEqual([
      { TableName: TABLE, Key: caseKey, ConsistentRead: true },
    ]);
  });

  it('returns undefined for a missing case, and requireCase throws CaseNotFoundError', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(repository.getCase('case-1')).resolves.toBeUndefined();
    await expectRejection(repository.requireCase('case-1'), CaseNotFoundError);
  });

  it('translates throttling', async () => {
    dynamo.on(GetCommand).rejects(awsError('ProvisionedThroughputExceededException', 400));
    await expectRejection(repository.getCase('case-1'), ServiceThrottledError);
  });
});

describe('createCase', () => {
  it('puts the case under its key and month partition, only if absent', async () => {
    dynamo.on(PutCommand).resolves({});

    await repository.createCase(record);

    expect(dynamo.commandCalls(PutCommand).map((c) => c.args[0].input)).toStrictEqual([
      { TableName: TABLE, Item: stored(record), ConditionExpression: 'attribute_not_exists(pk)' },
    ]);
  });

  it('is a no-op when the case already exists', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    await expect(repository.createCase(record)).resolves.toBeUndefined();
  });

  it('propagates other failures', async () => {
    dynamo.on(PutCommand).rejects(awsError('InternalServerError', 500));
    await expectRejection(repository.createCase(record), ServiceUnavailableError);
  });
});

describe('reserveCreation', () => {
  const creation: CreationRecord = {
    clientToken: 'token-1',
    status: 'IN_PROGRESS',
    caseId: 'case-1',
    caseSecret: 'secret',
    profileId: 'bank-onboarding',
    lockedUntil: 1_000_030,
  };

  it('puts the creation record with its expiry, only if absent', async () => {
    dynamo.on(PutCommand).resolves({});

    await expect(repository.reserveCreation(creation, 1_000_000, 86_400)).resolves.toStrictEqual({
      reserved: true,
      record: creation,
    });
    expect(dynamo.commandCalls(PutCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        TableName: TABLE,
        Item: { pk: 'CREATE#token-1', sk: 'CREATE', ...creation, expiresAt: 1_086_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('returns the existing record when the token was already used', async () => {
    const existing: CreationRecord = {
      ...creation,
      caseId: 'case-0',
      status: 'COMPLETED',
      livenessSessionId: 's-0',
    };
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo
      .on(GetCommand)
      .resolves({ Item: { pk: 'CREATE#token-1', sk: 'CREATE', ...existing, expiresAt: 5 } });

    await expect(repository.reserveCreation(creation, 1_000_000, 60)).resolves.toStrictEqual({
      reserved: false,
      record: existing,
    });
    expect(dynamo.commandCalls(GetCommand).map((c) => c.args[0].input)).toStrictEqual([
      { TableName: TABLE, Key: { pk: 'CREATE#token-1', sk: 'CREATE' }, ConsistentRead: true },
    ]);
  });

  it('throws ConditionFailedError when the existing record vanished meanwhile', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});
    await expectRejection(repository.reserveCreation(creation, 1, 60), ConditionFailedError);
  });
});

describe('relockCreation / completeCreation', () => {
  it('takes over the lock only if it is still the one seen and the creation is in progress', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await expect(repository.relockCreation('token-1', 100, 130)).resolves.toBe(true);
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: { pk: 'CREATE#token-1', sk: 'CREATE' },
        UpdateExpression: 'SET lockedUntil = :next',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':next': 130, ':expected': 100, ':inProgress': 'IN_PROGRESS' },
        ConditionExpression: 'lockedUntil = :expected AND #status = :inProgress',
      },
    ]);
  });

  it('returns false when someone else holds the lock', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expect(repository.relockCreation('token-1', 100, 130)).resolves.toBe(false);
  });

  it('completes the creation with its liveness session', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.completeCreation('token-1', 'session-1');
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: { pk: 'CREATE#token-1', sk: 'CREATE' },
        UpdateExpression: 'SET #status = :done, livenessSessionId = :session',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'COMPLETED', ':session': 'session-1' },
      },
    ]);
  });
});

describe('addLivenessSession', () => {
  it('keeps the first session recorded for a client token and returns the one in force', async () => {
    const first = { sessionId: 'session-1', createdAt: '2025-01-01T00:00:00.000Z' };
    const second = { sessionId: 'session-2', createdAt: '2025-01-01T00:00:05.000Z' };
    dynamo
      .on(UpdateCommand)
      .resolves({ Attributes: { ...stored(record), livenessSessions: { 'token-1': first } } });

    await expect(
      repository.addLivenessSession('case-1', 'token-1', second, second.createdAt),
    ).resolves.toStrictEqual(first);
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression:
          'SET livenessSessions.#token = if_not_exists(livenessSessions.#token, :entry), updatedAt = :at',
        ExpressionAttributeNames: { '#token': 'token-1' },
        ExpressionAttributeValues: { ':entry': second, ':at': second.createdAt },
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_NEW',
      },
    ]);
  });
});

describe('markSubmitted', () => {
  const submission = {
    executionArn: 'arn:exec',
    idEvidence: null,
    sessionId: 'session-1',
    at: '2025-01-01T00:01:00.000Z',
  };
  const pinned = {
    attempt: 1,
    key: 'cases/case-1/evidence/id-1',
    sha256: 'ab'.repeat(32),
    etag: '"e"',
    size: 10,
    contentType: 'image/jpeg',
    pinnedAt: '2025-01-01T00:01:00.000Z',
  };

  it('records the pinned ID photo with the submission', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.markSubmitted('case-1', { ...submission, idEvidence: pinned });
    const input = updateInputs()[0];
    expect(input?.UpdateExpression).toMatch(/, idEvidence = :evidence$/);
    expect(input?.ExpressionAttributeValues?.[':evidence']).toStrictEqual(pinned);
  });

  it('moves CREATED to PROCESSING once, recording the execution and the used session', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.markSubmitted('case-1', submission);
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression:
          'SET #status = :processing, executionArn = :arn, updatedAt = :at, usedLivenessSessionIds = list_append(usedLivenessSessionIds, :session), audit = list_append(audit, :audit)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':processing': 'PROCESSING',
          ':created': 'CREATED',
          ':arn': 'arn:exec',
          ':at': submission.at,
          ':session': ['session-1'],
          ':audit': [{ at: submission.at, actor: 'applicant', action: 'SUBMITTED' }],
        },
        ConditionExpression: '#status = :created',
      },
    ]);
  });

  it('throws ConditionFailedError when the case was already submitted', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expectRejection(repository.markSubmitted('case-1', submission), ConditionFailedError);
  });
});

describe('pending tasks', () => {
  const review: PendingTask = {
    action: 'REVIEW',
    token: 'task-token',
    attempt: 1,
    issuedAt: '2025-01-02T00:00:00.000Z',
  };

  it('setPendingTask queues a review with its reasons', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.setPendingTask('case-1', review, { reasonCodes: ['FACE_MATCH_BORDERLINE'] });
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression:
          'SET pendingTask = :task, #status = :status, updatedAt = :at, audit = list_append(audit, :audit), reviewQueue = :pending, queuedAt = :at, reviewReasonCodes = :codes',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':task': review,
          ':status': 'IN_REVIEW',
          ':at': review.issuedAt,
          ':audit': [{ at: review.issuedAt, actor: 'workflow', action: 'AWAITING_REVIEW' }],
          ':pending': 'PENDING',
          ':codes': ['FACE_MATCH_BORDERLINE'],
        },
        ConditionExpression: 'attribute_exists(pk)',
      },
    ]);
  });

  it('setPendingTask for a new ID photo moves the upload key', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const task: PendingTask = { ...review, action: 'ID_RESUBMIT' };
    await repository.setPendingTask('case-1', task, {
      idImageKey: 'cases/case-1/id/2',
      idAttempt: 2,
    });
    const [input] = updateInputs();
    expect(input?.UpdateExpression).toBe(
      'SET pendingTask = :task, #status = :status, updatedAt = :at, audit = list_append(audit, :audit), idImageKey = :idKey, idAttempt = :idAttempt',
    );
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':status': 'AWAITING_ID',
      ':idKey': 'cases/case-1/id/2',
      ':idAttempt': 2,
    });
  });

  it('claimPendingTask takes the token only while the case waits for that action', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { ...stored(record), pendingTask: review } });

    await expect(
      repository.claimPendingTask('case-1', 'REVIEW', {
        at: '2025-01-03T00:00:00.000Z',
        actor: 'operator:op-1',
        sets: { review: { outcome: 'APPROVED' } },
        detail: 'looks fine',
      }),
    ).resolves.toStrictEqual(review);
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression:
          'SET #status = :processing, updatedAt = :at, audit = list_append(audit, :audit), #set0 = :set0 REMOVE pendingTask, reviewQueue',
        ExpressionAttributeNames: { '#status': 'status', '#action': 'action', '#set0': 'review' },
        ExpressionAttributeValues: {
          ':processing': 'PROCESSING',
          ':action': 'REVIEW',
          ':at': '2025-01-03T00:00:00.000Z',
          ':audit': [
            {
              at: '2025-01-03T00:00:00.000Z',
              actor: 'operator:op-1',
              action: 'RESUMED_REVIEW',
              detail: 'looks fine',
            },
          ],
          ':set0': { outcome: 'APPROVED' },
        },
        ConditionExpression: 'pendingTask.#action = :action',
        ReturnValues: 'ALL_OLD',
      },
    ]);
  });

  it('claimPendingTask records the session a liveness retry used', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { pendingTask: review } });
    await repository.claimPendingTask('case-1', 'LIVENESS_RETRY', {
      at: '2025-01-03T00:00:00.000Z',
      actor: 'applicant',
      appendUsedSession: 'session-2',
    });
    const [input] = updateInputs();
    expect(input?.UpdateExpression).toBe(
      'SET #status = :processing, updatedAt = :at, audit = list_append(audit, :audit), usedLivenessSessionIds = list_append(usedLivenessSessionIds, :used) REMOVE pendingTask',
    );
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':action': 'LIVENESS_RETRY',
      ':used': ['session-2'],
    });
  });

  it('claimPendingTask throws ConditionFailedError when the task was already taken', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expectRejection(
      repository.claimPendingTask('case-1', 'REVIEW', { at: 'now', actor: 'applicant' }),
      ConditionFailedError,
    );
  });

  it('restorePendingTask puts a review back in the queue', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.restorePendingTask('case-1', review, '2025-01-03T00:00:01.000Z');
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression:
          'SET pendingTask = :task, #status = :status, updatedAt = :at, reviewQueue = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':task': review,
          ':status': 'IN_REVIEW',
          ':at': '2025-01-03T00:00:01.000Z',
          ':pending': 'PENDING',
        },
      },
    ]);
  });
});

describe('evidence', () => {
  it('recordLivenessAttempt appends the attempt and stores the images', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const attempt = { sessionId: 's', attempt: 1, status: 'SUCCEEDED', confidence: 99, at: 'T1' };
    await repository.recordLivenessAttempt('case-1', attempt, {
      referenceImageKey: 'ref.jpg',
      auditImageKeys: ['a0.jpg'],
    });
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression:
          'SET livenessAttempts = list_append(livenessAttempts, :attempt), updatedAt = :at, #status = :processing, referenceImageKey = :ref, auditImageKeys = :audit',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':attempt': [attempt],
          ':at': 'T1',
          ':processing': 'PROCESSING',
          ':ref': 'ref.jpg',
          ':audit': ['a0.jpg'],
        },
        ConditionExpression: 'attribute_exists(pk)',
      },
    ]);
  });

  it('saveEvidence sets each piece under an attribute name placeholder', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const faceMatch = { similarity: 97.25, facesOnId: 1 };
    await repository.saveEvidence('case-1', { faceMatch }, 'T2');
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression: 'SET #e0 = :e0, updatedAt = :at',
        ExpressionAttributeNames: { '#e0': 'faceMatch' },
        ExpressionAttributeValues: { ':e0': faceMatch, ':at': 'T2' },
        ConditionExpression: 'attribute_exists(pk)',
      },
    ]);
  });

  it('a missing case fails the condition', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expectRejection(repository.saveEvidence('case-1', {}, 'T2'), ConditionFailedError);
  });
});

describe('recordVerdict', () => {
  const verdict = {
    outcome: 'APPROVED',
    source: 'AUTOMATED' as const,
    decidedAt: '2025-01-04T00:00:00.000Z',
  };

  it('stores the verdict once: RECORDED, with a condition on its absence', async () => {
    dynamo.on(UpdateCommand).resolves({});

    await expect(repository.recordVerdict('case-1', verdict, 'APPROVED')).resolves.toBe('RECORDED');
    expect(updateInputs()).toStrictEqual([
      {
        TableName: TABLE,
        Key: caseKey,
        UpdateExpression:
          'SET verdict = :verdict, #status = :status, updatedAt = :at, audit = list_append(audit, :audit) REMOVE pendingTask, reviewQueue',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':verdict': verdict,
          ':status': 'APPROVED',
          ':at': verdict.decidedAt,
          ':audit': [
            {
              at: verdict.decidedAt,
              actor: 'workflow',
              action: 'VERDICT_APPROVED',
              detail: 'AUTOMATED',
            },
          ],
        },
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(verdict)',
      },
    ]);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('ALREADY_RECORDED when a retry finds the verdict stored', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: stored({ ...record, verdict }) });

    await expect(repository.recordVerdict('case-1', verdict, 'APPROVED')).resolves.toBe(
      'ALREADY_RECORDED',
    );
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('throws CaseNotFoundError when the case is missing', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});
    await expectRejection(
      repository.recordVerdict('case-1', verdict, 'APPROVED'),
      CaseNotFoundError,
    );
  });

  it('rethrows ConditionFailedError when the case exists but holds no verdict', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: stored(record) });
    await expectRejection(
      repository.recordVerdict('case-1', verdict, 'APPROVED'),
      ConditionFailedError,
    );
  });

  it('propagates a translated service failure without reading the case', async () => {
    dynamo.on(UpdateCommand).rejects(awsError('ThrottlingException', 400));
    await expectRejection(
      repository.recordVerdict('case-1', verdict, 'APPROVED'),
      ServiceThrottledError,
    );
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });
});

describe('listCases', () => {
  const FROM = '2024-12-10T00:00:00.000Z';
  const TO = '2025-01-20T00:00:00.000Z';
  const item = (caseId: string, createdAt: string) => stored({ ...record, caseId, createdAt });
  const january = (cursor?: Record<string, unknown>) => ({
    TableName: TABLE,
    IndexName: 'by-month',
    KeyConditionExpression: 'listPartition = :p AND createdAt BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':p': 'CASES#2025-01', ':from': FROM, ':to': TO },
    ScanIndexForward: false,
    ...(cursor ? { ExclusiveStartKey: cursor } : {}),
  });
  const keyOf = (caseId: string, createdAt: string) => ({
    pk: `CASE#${caseId}`,
    sk: 'CASE',
    listPartition: `CASES#${createdAt.slice(0, 7)}`,
    createdAt,
  });
  const queryInputs = () => dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);

  it('walks the months newest first and pages with a cursor', async () => {
    const lastOfJanuaryPage = keyOf('c-jan-2', '2025-01-10T00:00:00.000Z');
    const lastOfDecemberPage = keyOf('c-dec-1', '2024-12-20T00:00:00.000Z');
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [
          item('c-jan-1', '2025-01-15T00:00:00.000Z'),
          item('c-jan-2', '2025-01-10T00:00:00.000Z'),
        ],
        LastEvaluatedKey: lastOfJanuaryPage,
      })
      .resolvesOnce({ Items: [item('c-jan-3', '2025-01-02T00:00:00.000Z')] })
      .resolvesOnce({
        Items: [item('c-dec-1', '2024-12-20T00:00:00.000Z')],
        LastEvaluatedKey: lastOfDecemberPage,
      })
      .resolvesOnce({ Items: [item('c-dec-2', '2024-12-11T00:00:00.000Z')] });

    const first = await repository.listCases({ from: FROM, to: TO, limit: 3 });

    expect(first.items.map((c) => c.caseId)).toStrictEqual(['c-jan-1', 'c-jan-2', 'c-jan-3']);
    expect(first.items[0]).toStrictEqual({
      ...record,
      caseId: 'c-jan-1',
      createdAt: '2025-01-15T00:00:00.000Z',
    });
    expect(first.cursor).toEqual(expect.any(String));
    expect(queryInputs()).toStrictEqual([
      { ...january(), Limit: 3 },
      { ...january(lastOfJanuaryPage), Limit: 1 },
    ]);

    // resetHistory would rewind the resolvesOnce chain too: count the calls instead.
    const second = await repository.listCases({
      from: FROM,
      to: TO,
      limit: 3,
      cursor: first.cursor,
    });

    expect(second.items.map((c) => c.caseId)).toStrictEqual(['c-dec-1', 'c-dec-2']);
    expect(second.cursor).toBeUndefined();
    const december = { ':p': 'CASES#2024-12', ':from': FROM, ':to': TO };
    expect(queryInputs().slice(2)).toStrictEqual([
      { ...january(), ExpressionAttributeValues: december, Limit: 3 },
      { ...january(lastOfDecemberPage), ExpressionAttributeValues: december, Limit: 2 },
    ]);
  });

  it('resumes inside a month from the key in the cursor', async () => {
    const lastKey = keyOf('c-jan-2', '2025-01-10T00:00:00.000Z');
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [
          item('c-jan-1', '2025-01-15T00:00:00.000Z'),
          item('c-jan-2', '2025-01-10T00:00:00.000Z'),
        ],
        LastEvaluatedKey: lastKey,
      })
      .resolvesOnce({ Items: [item('c-jan-3', '2025-01-02T00:00:00.000Z')] })
      .resolves({ Items: [] });

    const first = await repository.listCases({ from: FROM, to: TO, limit: 2 });
    expect(first.items.map((c) => c.caseId)).toStrictEqual(['c-jan-1', 'c-jan-2']);
    expect(queryInputs()).toHaveLength(1);

    const second = await repository.listCases({
      from: FROM,
      to: TO,
      limit: 2,
      cursor: first.cursor,
    });

    expect(second.items.map((c) => c.caseId)).toStrictEqual(['c-jan-3']);
    expect(second.cursor).toBeUndefined();
    const [inJanuary, inDecember, ...rest] = queryInputs().slice(1);
    expect(inJanuary).toStrictEqual({ ...january(lastKey), Limit: 2 });
    expect(inDecember?.ExpressionAttributeValues).toMatchObject({ ':p': 'CASES#2024-12' });
    expect(inDecember?.ExclusiveStartKey).toBeUndefined();
    expect(rest).toStrictEqual([]);
  });

  it('filters by status and profile', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });

    await repository.listCases({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-31T23:59:59.999Z',
      status: 'IN_REVIEW',
      profileId: 'age-gate',
      limit: 10,
    });

    expect(queryInputs()).toStrictEqual([
      {
        TableName: TABLE,
        IndexName: 'by-month',
        KeyConditionExpression: 'listPartition = :p AND createdAt BETWEEN :from AND :to',
        FilterExpression: '#status = :status AND profileId = :profile',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':p': 'CASES#2025-01',
          ':from': '2025-01-01T00:00:00.000Z',
          ':to': '2025-01-31T23:59:59.999Z',
          ':status': 'IN_REVIEW',
          ':profile': 'age-gate',
        },
        ScanIndexForward: false,
        Limit: 10,
      },
    ]);
  });

  // biome-ignore format: one table row per line
  const invalidCursors: [string, string][] = [
    ['not base64 JSON', 'not-a-cursor!'],
    ['JSON without a month', Buffer.from(JSON.stringify({ key: { pk: 'x' } })).toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['a month outside the range', Buffer.from(JSON.stringify({ month: '2024-11' })).toString('base64url')],
  ];
  it.each(invalidCursors)(
    'an invalid cursor (%s) -> InvalidCursorError',
    async (_label, cursor) => {
      await expectRejection(
        repository.listCases({ from: FROM, to: TO, limit: 3, cursor }),
        InvalidCursorError,
      );
      expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
    },
  );
});

describe('listReviewQueue', () => {
  it('lists the queue oldest first and pages with a cursor', async () => {
    const lastKey = { pk: 'CASE#c1', sk: 'CASE', reviewQueue: 'PENDING', queuedAt: 'T1' };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [stored(record)], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [] });

    const first = await repository.listReviewQueue(1);
    expect(first.items).toStrictEqual([record]);
    await repository.listReviewQueue(1, first.cursor);

    const base = {
      TableName: TABLE,
      IndexName: 'review-queue',
      KeyConditionExpression: 'reviewQueue = :pending',
      ExpressionAttributeValues: { ':pending': 'PENDING' },
      ScanIndexForward: true,
      Limit: 1,
    };
    expect(dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input)).toStrictEqual([
      base,
      { ...base, ExclusiveStartKey: lastKey },
    ]);
  });
});

describe('monthsBetween', () => {
  // biome-ignore format: one table row per line
  const rows: [string, string, string[]][] = [
    ['2024-11-15T00:00:00Z', '2025-02-01T00:00:00Z', ['2024-11', '2024-12', '2025-01', '2025-02']],
    ['2025-03-01T00:00:00Z', '2025-03-31T23:59:59Z', ['2025-03']],
    ['2024-12-31T23:59:59Z', '2025-01-01T00:00:00Z', ['2024-12', '2025-01']],
    ['2025-04-01T00:00:00Z', '2025-03-01T00:00:00Z', []],
  ];
  it.each(rows)('%s .. %s -> %j', (from, to, months) => {
    expect(monthsBetween(from, to)).toStrictEqual(months);
  });
});
