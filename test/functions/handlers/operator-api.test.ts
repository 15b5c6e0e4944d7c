import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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
const operator = { 'cognito:username': 'ops-alice', 'cognito:groups': '[operators auditors]' };
const pendingReview = {
  action: 'REVIEW',
  token: 'token-abc',
  attempt: 1,
  issuedAt: '2026-11-21T10:00:00.000Z',
};

beforeEach(() => {
  dynamo.reset();
  s3.reset();
  sfn.reset();
});

describe('authorisation', () => {
  it('401s a call without a verified token', async () => {
    const result = parse(await handler(httpEvent('GET /ops/reviews')));
    expect(result).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('403s a signed-in user outside the operators group', async () => {
    const result = parse(
      await handler(
        httpEvent('GET /ops/reviews', {
          claims: { 'cognito:username': 'eve', 'cognito:groups': '[applicants]' },
        }),
      ),
    );
    expect(result).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  // biome-ignore format: one claim per line
  const notOperators: [string, string | string[]][] = [
    ['one group named "readonly,operators" (HTTP API rendering)', '[readonly,operators]'],
    ['one group named "readonly,operators" (array)', ['readonly,operators']],
    ['"x,operators"', '[x,operators]'],
    ['"operators " with a trailing space (array)', ['operators ']],
    ['"[operators ]": an empty name after the space', '[operators ]'],
    ['"[ operators]": an empty name before the space', '[ operators]'],
    ['"x operators" as one name (array)', ['x operators']],
    ['a bare string, not the rendering of a list', 'operators'],
    ['an unclosed list', '[operators'],
    ['another case', '[Operators]'],
    ['a name that only contains it', '[operators2]'],
    ['an empty list', '[]'],
  ];
  it.each(notOperators)('403s %s', async (_name, groups) => {
    const result = parse(
      await handler(
        httpEvent('GET /ops/reviews', {
          claims: { 'cognito:username': 'eve', 'cognito:groups': groups },
        }),
      ),
    );
    expect(result).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(dynamo.calls()).toHaveLength(0);
  });

  // biome-ignore format: one claim per line
  const operators: [string, string | string[]][] = [
    ['"[operators]"', '[operators]'],
    ['two groups as HTTP API renders them', '[x operators]'],
    ['two groups as an array', ['x', 'operators']],
  ];
  it.each(operators)('lets %s in', async (_name, groups) => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const result = parse(
      await handler(
        httpEvent('GET /ops/reviews', {
          claims: { 'cognito:username': 'ops', 'cognito:groups': groups },
        }),
      ),
    );
    expect(result.status).toBe(200);
  });

  it('accepts the group as a real array claim', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const result = parse(
      await handler(
        httpEvent('GET /ops/reviews', { claims: { sub: 'u-1', 'cognito:groups': ['operators'] } }),
      ),
    );
    expect(result).toEqual({ status: 200, body: { items: [] } });
  });
});

describe('GET /ops/executions', () => {
  it.each([
    ['a limit above 100', { limit: '1000' }, 'VALIDATION_FAILED'],
    ['an unknown status', { status: 'WHATEVER' }, 'VALIDATION_FAILED'],
    ['a date that is not ISO', { from: 'yesterday' }, 'VALIDATION_FAILED'],
    [
      'from after to',
      { from: '2026-11-20T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      'INVALID_DATE_RANGE',
    ],
    [
      'a range over a year',
      { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      'INVALID_DATE_RANGE',
    ],
    ['a forged cursor', { cursor: 'not-a-cursor' }, 'INVALID_CURSOR'],
  ])('400s %s', async (_name, query, code) => {
    const result = parse(
      await handler(httpEvent('GET /ops/executions', { claims: operator, query })),
    );
    expect(result).toMatchObject({ status: 400, body: { code } });
  });

  it('filters by status and profile within the range', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await handler(
      httpEvent('GET /ops/executions', {
        claims: operator,
        query: {
          status: 'IN_REVIEW',
          profile: 'age-gate',
          from: '2026-11-01T00:00:00Z',
          to: '2026-11-21T00:00:00Z',
        },
      }),
    );
    const input = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input?.IndexName).toBe('by-month');
    expect(input?.FilterExpression).toBe('#status = :status AND profileId = :profile');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':p': 'CASES#2026-11',
      ':status': 'IN_REVIEW',
      ':profile': 'age-gate',
    });
  });
});

describe('GET /ops/executions/{caseId}', () => {
  it('shows the case without its secret or task token, with the timeline and evidence URLs', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        caseId,
        profileId: 'bank-onboarding',
        status: 'IN_REVIEW',
        secretHash: 'deadbeef',
        pendingTask: pendingReview,
        executionArn: 'arn:aws:states:eu-west-1:1:execution:onboarding:x',
        idImageKey: `cases/${caseId}/id/1`,
        idEvidence: {
          attempt: 1,
          key: `cases/${caseId}/evidence/id-1`,
          sha256: 'ab',
          back: { key: `cases/${caseId}/evidence/id-1-back`, sha256: 'cd' },
        },
        referenceImageKey: `cases/${caseId}/liveness/s/reference.jpg`,
        auditImageKeys: [],
        audit: [],
        livenessSessions: {},
      },
    });
    s3.onAnyCommand().resolves({ ContentLength: 10, ContentType: 'image/jpeg' });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: 'arn:x', status: 'RUNNING', startDate: new Date(0) });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 1,
          timestamp: new Date(0),
          type: 'TaskStateEntered',
          stateEnteredEventDetails: { name: 'CompareFaces' },
        },
        {
          id: 2,
          previousEventId: 1,
          timestamp: new Date(0),
          type: 'TaskFailed',
          taskFailedEventDetails: {
            resourceType: 'lambda',
            resource: 'invoke',
            error: 'ServiceThrottledError',
            cause: 'slow',
          },
        },
      ],
    });
    const result = parse(
      await handler(
        httpEvent('GET /ops/executions/{caseId}', { claims: operator, pathParameters: { caseId } }),
      ),
    );
    expect(result.status).toBe(200);
    const text = JSON.stringify(result.body);
    expect(text).not.toContain('deadbeef');
    expect(text).not.toContain('token-abc');
    expect(result.body.case).toMatchObject({ pendingAction: 'REVIEW' });
    expect(result.body.timeline).toEqual([
      expect.objectContaining({ type: 'TaskStateEntered', state: 'CompareFaces' }),
      expect.objectContaining({ type: 'TaskFailed', error: 'ServiceThrottledError' }),
    ]);
    const evidence = result.body.evidence as Record<string, string>;
    expect(evidence.referenceImage).toContain('reference.jpg');
    expect(evidence.referenceImage).toContain('X-Amz-Expires=60');
    // The pinned copy the checks read, never the upload key a live URL may still target.
    expect(evidence.idImage).toContain(`cases/${caseId}/evidence/id-1`);
    expect(evidence.idImage).not.toContain(`cases/${caseId}/id/1`);
    expect(evidence.idBackImage).toContain(`cases/${caseId}/evidence/id-1-back`);
  });

  it('404s an unknown case', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = parse(
      await handler(
        httpEvent('GET /ops/executions/{caseId}', { claims: operator, pathParameters: { caseId } }),
      ),
    );
    expect(result).toMatchObject({ status: 404, body: { code: 'CASE_NOT_FOUND' } });
  });
});

describe('POST /ops/reviews/{caseId}', () => {
  const review = (body: unknown) =>
    handler(
      httpEvent('POST /ops/reviews/{caseId}', {
        claims: operator,
        pathParameters: { caseId },
        body,
      }),
    );

  it.each([
    ['no reason', { outcome: 'APPROVED' }],
    ['a blank reason', { outcome: 'APPROVED', reason: '   ' }],
    ['an unknown outcome', { outcome: 'MAYBE', reason: 'looks fine' }],
  ])('400s %s', async (_name, body) => {
    const result = parse(await review(body));
    expect(result).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('409s a case that is not waiting for review', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed);
    dynamo.on(GetCommand).resolves({ Item: { caseId, status: 'APPROVED' } });
    const result = parse(await review({ outcome: 'APPROVED', reason: 'document checked by hand' }));
    expect(result).toMatchObject({ status: 409, body: { code: 'NOT_IN_REVIEW' } });
  });

  it('resumes the workflow with the outcome and reviewer, keeping the reason out of the history', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { pendingTask: pendingReview } });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = parse(await review({ outcome: 'REJECTED', reason: 'portrait does not match' }));
    expect(result).toMatchObject({
      status: 200,
      body: { caseId, outcome: 'REJECTED', reviewerId: 'ops-alice' },
    });
    const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(sent?.taskToken).toBe('token-abc');
    const output = JSON.parse(sent?.output ?? '{}');
    expect(output).toMatchObject({ outcome: 'REJECTED', reviewerId: 'ops-alice' });
    expect(sent?.output).not.toContain('portrait');
    const claim = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(claim?.ConditionExpression).toBe('pendingTask.#action = :action');
  });

  it('puts the review back and 409s when the review already timed out', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { pendingTask: pendingReview } });
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    const result = parse(await review({ outcome: 'APPROVED', reason: 'checked' }));
    expect(result).toMatchObject({ status: 409, body: { code: 'REVIEW_EXPIRED' } });
    const restore = dynamo.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(restore?.ExpressionAttributeValues).toMatchObject({
      ':task': pendingReview,
      ':status': 'IN_REVIEW',
    });
  });
});
