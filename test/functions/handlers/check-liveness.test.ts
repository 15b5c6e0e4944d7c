import {
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  CaseRecord,
  LivenessAttemptEntry,
} from '../../../functions/adapters/case-repository.js';
import { stubHandlerEnv } from './http-event.js';

stubHandlerEnv();
const checkLiveness = await import('../../../functions/handlers/check-liveness.js');

const dynamo = mockClient(DynamoDBDocumentClient);
const rekognition = mockClient(RekognitionClient);
const s3 = mockClient(S3Client);

const caseId = '6f1c7a2e-1d4b-4c1a-9a57-3f0f3b1c2d4e';
const reference = (session: string) => `cases/${caseId}/liveness/${session}/reference.jpg`;

function storedCase(attempts: LivenessAttemptEntry[]): CaseRecord {
  return {
    caseId,
    profileId: 'bank-onboarding',
    status: 'PROCESSING',
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
    secretHash: 'x',
    livenessSessions: {},
    usedLivenessSessionIds: [],
    idImageKey: `cases/${caseId}/id/1`,
    idAttempt: 1,
    livenessAttempts: attempts,
    auditImageKeys: [],
    audit: [],
  };
}

const attemptUpdate = () => {
  const update = dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .find((input) => String(input.UpdateExpression).includes('livenessAttempts'));
  if (!update) throw new Error('the attempt was not recorded');
  return update;
};

function answer(session: string, confidence: number) {
  rekognition.on(GetFaceLivenessSessionResultsCommand).resolves({
    SessionId: session,
    Status: 'SUCCEEDED',
    Confidence: confidence,
    ReferenceImage: { S3Object: { Bucket: 'images', Name: reference(session) } },
    AuditImages: [],
  });
}

beforeEach(() => {
  dynamo.reset();
  rekognition.reset();
  s3.reset();
  dynamo.onAnyCommand().resolves({});
  s3.onAnyCommand().resolves({});
});

describe('check-liveness hands on the best attempt’s reference image', () => {
  const earlier: LivenessAttemptEntry[] = [
    {
      sessionId: 's1',
      attempt: 1,
      status: 'SUCCEEDED',
      confidence: 20,
      referenceImageKey: reference('s1'),
      at: 'a',
    },
    {
      sessionId: 's2',
      attempt: 2,
      status: 'SUCCEEDED',
      confidence: 60,
      referenceImageKey: reference('s2'),
      at: 'b',
    },
  ];

  it('budget spent on a weaker last attempt: the earlier, better one is compared, the case keeps its images', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase(earlier) });
    answer('s3', 35);
    const result = await checkLiveness.handler({
      caseId,
      profileId: 'bank-onboarding',
      livenessSessionId: 's3',
      attempt: 3,
    });
    expect(result).toMatchObject({ verdict: 'EXHAUSTED', referenceImageKey: reference('s2') });
    const update = attemptUpdate();
    expect(update.UpdateExpression).not.toContain('referenceImageKey');
    expect(update.ExpressionAttributeValues?.[':attempt']).toEqual([
      expect.objectContaining({
        sessionId: 's3',
        confidence: 35,
        referenceImageKey: reference('s3'),
      }),
    ]);
  });

  it('a better last attempt becomes the case’s reference image', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedCase(earlier) });
    answer('s3', 75);
    const result = await checkLiveness.handler({
      caseId,
      profileId: 'bank-onboarding',
      livenessSessionId: 's3',
      attempt: 3,
    });
    expect(result).toMatchObject({ verdict: 'EXHAUSTED', referenceImageKey: reference('s3') });
    expect(attemptUpdate().ExpressionAttributeValues?.[':ref']).toBe(reference('s3'));
  });
});
