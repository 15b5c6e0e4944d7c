import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CaseRepository,
  ConditionFailedError,
  type ErasureTombstone,
} from '../../../functions/adapters/case-repository.js';
import { expectRejection } from './sdk-errors.js';

const TABLE = 'kyc-cases';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = new CaseRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
);

const erasure: ErasureTombstone = {
  erasedAt: '2026-11-21T12:00:00.000Z',
  erasedBy: 'ops-alice',
  reason: 'Applicant asked for erasure (ticket 42)',
  imagesDeleted: 3,
  fieldsErased: ['document', 'ageEstimate'],
};
const decision = {
  outcome: 'APPROVE',
  reasons: [
    { code: 'DOCUMENT_EXPIRED', effect: 'REJECT', detail: 'expired on 2020-01-01' },
    { code: 'AGE_CONFIRMED', effect: 'PASS', detail: 'age 35 from the document >= 18' },
  ],
  profileId: 'bank-onboarding',
  profileVersion: '2026-11-01',
  review: { onTimeout: 'REJECTED', timeoutSeconds: 259200 },
  decidedAt: '2026-11-21T11:00:00.000Z',
} as never;

beforeEach(() => {
  dynamo.reset();
});

describe('eraseCase', () => {
  it('removes the personal fields, blanks the decision details and leaves the tombstone, once, in an ended state', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.eraseCase('case-1', erasure, {
      statuses: ['APPROVED', 'REJECTED'],
      decision,
    });
    expect(dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input)).toStrictEqual([
      {
        TableName: TABLE,
        Key: { pk: 'CASE#case-1', sk: 'CASE' },
        UpdateExpression:
          'SET erasure = :erasure, updatedAt = :at, auditImageKeys = :none, audit = list_append(audit, :audit), decision = :decision REMOVE #document, ageEstimate, idEvidence, referenceImageKey',
        ExpressionAttributeNames: { '#status': 'status', '#document': 'document' },
        ExpressionAttributeValues: {
          ':erasure': erasure,
          ':at': erasure.erasedAt,
          ':none': [],
          ':audit': [
            {
              at: erasure.erasedAt,
              actor: 'operator:ops-alice',
              action: 'PERSONAL_DATA_ERASED',
              detail: erasure.reason,
            },
          ],
          ':decision': {
            outcome: 'APPROVE',
            reasons: [
              { code: 'DOCUMENT_EXPIRED', effect: 'REJECT', detail: '' },
              { code: 'AGE_CONFIRMED', effect: 'PASS', detail: '' },
            ],
            profileId: 'bank-onboarding',
            profileVersion: '2026-11-01',
            review: { onTimeout: 'REJECTED', timeoutSeconds: 259200 },
            decidedAt: '2026-11-21T11:00:00.000Z',
          },
          ':s0': 'APPROVED',
          ':s1': 'REJECTED',
        },
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(erasure) AND #status IN (:s0, :s1)',
      },
    ]);
  });

  it('leaves the decision alone when there is none', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.eraseCase('case-1', erasure, { statuses: ['ABANDONED'] });
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).not.toContain('decision');
    expect(input?.ExpressionAttributeValues).not.toHaveProperty(':decision');
  });

  it('throws ConditionFailedError when the case is missing, erased or still running', async () => {
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
      }),
    );
    await expectRejection(
      repository.eraseCase('case-1', erasure, { statuses: ['APPROVED'] }),
      ConditionFailedError,
    );
  });
});
