import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CaseRepository,
  ConditionFailedError,
} from '../../../functions/adapters/case-repository.js';
import { ServiceThrottledError } from '../../../functions/domain/errors.js';
import { awsError, expectRejection } from './sdk-errors.js';

const TABLE = 'kyc-cases';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = new CaseRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
);
const key = { pk: 'LIVENESS_LIMIT#DEVICE#abc123', sk: 'LIMIT' };
const failures = [{ sessionId: 's1', at: 1_000 }];

beforeEach(() => {
  dynamo.reset();
});

describe('liveness limit items', () => {
  it('reads a subject with a consistent read', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { ...key, failures, coolDownUntil: 2_800, version: 7, expiresAt: 2_860 },
    });
    await expect(repository.getLivenessLimit('DEVICE#abc123')).resolves.toEqual({
      state: { failures, coolDownUntil: 2_800 },
      version: 7,
    });
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: key,
      ConsistentRead: true,
    });
  });

  it('reads nothing for a subject never limited', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(repository.getLivenessLimit('DEVICE#abc123')).resolves.toBeUndefined();
  });

  it('creates the first state only if no one else did', async () => {
    dynamo.on(PutCommand).resolves({});
    await repository.saveLivenessLimit('DEVICE#abc123', { failures }, undefined, 1_240);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { ...key, failures, version: 1, expiresAt: 1_240 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('replaces a state only at the version it was read at, with a TTL', async () => {
    dynamo.on(PutCommand).resolves({});
    await repository.saveLivenessLimit(
      'DEVICE#abc123',
      { failures, coolDownUntil: 2_800 },
      7,
      2_860,
    );
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { ...key, failures, coolDownUntil: 2_800, version: 8, expiresAt: 2_860 },
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': 7 },
    });
  });

  it('reports a write that lost the race', async () => {
    dynamo
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    await expect(
      repository.saveLivenessLimit('DEVICE#abc123', { failures }, 7, 2_860),
    ).rejects.toBeInstanceOf(ConditionFailedError);
  });

  it('turns throttling into the retryable error', async () => {
    dynamo.on(GetCommand).rejects(awsError('ProvisionedThroughputExceededException', 400));
    await expectRejection(repository.getLivenessLimit('DEVICE#abc123'), ServiceThrottledError);
  });
});

describe('case updates for the limits', () => {
  it('marks an unsubmitted session settled', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.settleLivenessSession('case-1', 'token-1', 'FAILURE', '2026-11-21T10:00:00Z');
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'CASE#case-1', sk: 'CASE' },
      UpdateExpression: 'SET livenessSessions.#token.settled = :settled, updatedAt = :at',
      ExpressionAttributeNames: { '#token': 'token-1' },
      ExpressionAttributeValues: { ':settled': 'FAILURE', ':at': '2026-11-21T10:00:00Z' },
      ConditionExpression: 'attribute_exists(livenessSessions.#token)',
    });
  });

  it('appends audit entries to an existing case', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const entry = {
      at: '2026-11-21T10:00:00Z',
      actor: 'workflow',
      action: 'LIVENESS_COOL_DOWN_STARTED',
      detail: 'case until 2026-11-21T10:30:00.000Z',
    };
    await repository.appendAudit('case-1', [entry]);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'CASE#case-1', sk: 'CASE' },
      UpdateExpression: 'SET audit = list_append(audit, :audit)',
      ExpressionAttributeValues: { ':audit': [entry] },
      ConditionExpression: 'attribute_exists(pk)',
    });
  });
});
