import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsJsonService } from '../../../local/aws/json-service.js';
import { type LocalAws, startLocalAws } from '../../../local/aws/local-aws.js';
import { clientOptions, tempDataFolder, testConfig } from './helpers.js';

const unused = () => Promise.reject(new Error('not used'));
const stubs = {
  faces: { detectFaces: unused, compareFaces: unused, analyzeFrame: unused },
  reader: { analyzeId: unused },
};
const stepFunctions: AwsJsonService = {
  targetPrefix: 'AWSStepFunctions',
  jsonVersion: '1.0',
  operations: { ListStateMachines: async () => ({ stateMachines: [] }) },
};

let data: Awaited<ReturnType<typeof tempDataFolder>>;
let config: ReturnType<typeof testConfig>;
let stack: LocalAws | undefined;

const start = () => startLocalAws({ config, ...stubs, services: [stepFunctions] });

beforeAll(async () => {
  data = await tempDataFolder();
  config = testConfig(data.folder);
});

afterAll(async () => {
  await stack?.close();
  await data?.remove();
});

function clients(local: LocalAws) {
  return {
    s3: new S3Client({ ...clientOptions(local.url), forcePathStyle: true }),
    rekognition: new RekognitionClient(clientOptions(local.url)),
    events: new EventBridgeClient(clientOptions(local.url)),
    dynamoDb: DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions(local.dynamoDbUrl))),
  };
}

describe('startLocalAws', () => {
  it('serves every endpoint and keeps objects, sessions, events and items across a restart', async () => {
    stack = await start();
    expect(stack.environment.AWS_ENDPOINT_URL_SFN).toBe(stack.url);
    expect(stack.environment.AWS_ENDPOINT_URL_DYNAMODB).toBe(stack.dynamoDbUrl);
    let c = clients(stack);
    await c.s3.send(
      new PutObjectCommand({
        Bucket: config.bucketName,
        Key: 'cases/p/id/1',
        Body: 'photo',
        ContentType: 'image/png',
      }),
    );
    const { SessionId = '' } = await c.rekognition.send(
      new CreateFaceLivenessSessionCommand({
        ClientRequestToken: 'persist',
        Settings: {
          OutputConfig: { S3Bucket: config.bucketName, S3KeyPrefix: 'cases/p/liveness' },
        },
      }),
    );
    await stack.sessions.completeSession(SessionId, {
      confidence: 88,
      referenceImage: Buffer.from('reference'),
      auditImages: [],
    });
    const { Entries = [] } = await c.events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'kyc.onboarding',
            DetailType: 'T',
            Detail: '{"n":1}',
            EventBusName: config.eventBusName,
          },
        ],
      }),
    );
    await c.dynamoDb.send(
      new PutCommand({
        TableName: config.tableName,
        Item: { pk: 'CASE#p', sk: 'CASE', status: 'CREATED' },
      }),
    );
    for (const client of Object.values(c)) client.destroy();
    await stack.close();

    stack = await start();
    c = clients(stack);
    const object = await c.s3.send(
      new GetObjectCommand({ Bucket: config.bucketName, Key: 'cases/p/id/1' }),
    );
    expect(await object.Body?.transformToString()).toBe('photo');
    expect(object.ContentType).toBe('image/png');
    const session = await c.rekognition.send(
      new GetFaceLivenessSessionResultsCommand({ SessionId }),
    );
    expect(session.Status).toBe('SUCCEEDED');
    expect(session.ReferenceImage?.S3Object?.Name).toBe(
      `cases/p/liveness/${SessionId}/reference.jpg`,
    );
    const again = await c.rekognition.send(
      new CreateFaceLivenessSessionCommand({ ClientRequestToken: 'persist' }),
    );
    expect(again.SessionId).toBe(SessionId);
    expect((await stack.events.read()).map((event) => event.id)).toEqual([Entries[0]?.EventId]);
    const { Item } = await c.dynamoDb.send(
      new GetCommand({ TableName: config.tableName, Key: { pk: 'CASE#p', sk: 'CASE' } }),
    );
    expect(Item?.status).toBe('CREATED');
    for (const client of Object.values(c)) client.destroy();
  });

  it('serves a plugged-in JSON service on the same port', async () => {
    const response = await fetch(stack?.url ?? '', {
      method: 'POST',
      headers: {
        'x-amz-target': 'AWSStepFunctions.ListStateMachines',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '{}',
    });
    expect(await response.json()).toEqual({ stateMachines: [] });
  });
});
