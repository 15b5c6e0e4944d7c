import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DetectFacesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AnalyzeIDCommand, TextractClient } from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/shared/config.js';
import { functionEnvironment, localAwsConfig } from '../../../local/aws/config.js';
import type { AwsJsonService } from '../../../local/aws/json-service.js';
import { type AwsServer, createAwsServer } from '../../../local/aws/server.js';

const calls: string[] = [];
const recorder = (
  targetPrefix: string,
  operation: string,
  jsonVersion: '1.0' | '1.1',
): AwsJsonService => ({
  targetPrefix,
  jsonVersion,
  operations: {
    [operation]: async () => {
      calls.push(`${targetPrefix}.${operation}`);
      return {};
    },
  },
});

let aws: AwsServer;
let dynamo: AwsServer;
const savedEnv = { ...process.env };

beforeAll(async () => {
  aws = await createAwsServer({
    services: [
      recorder('RekognitionService', 'DetectFaces', '1.1'),
      recorder('Textract', 'AnalyzeID', '1.1'),
      recorder('AWSEvents', 'PutEvents', '1.1'),
      recorder('AWSStepFunctions', 'ListStateMachines', '1.0'),
    ],
    s3: async (request, response) => {
      calls.push(`S3 ${request.method} ${request.url?.split('?')[0]}`);
      response.writeHead(200, { 'content-length': 0 });
      response.end();
    },
  });
  // A stand-in for dynalite: only where the request lands matters here.
  dynamo = await createAwsServer({
    services: [recorder('DynamoDB_20120810', 'ListTables', '1.0')],
  });
  Object.assign(
    process.env,
    functionEnvironment(localAwsConfig(), { awsUrl: aws.url, dynamoDbUrl: dynamo.url }),
  );
});

afterAll(async () => {
  process.env = savedEnv;
  await aws?.close();
  await dynamo?.close();
});

describe('functionEnvironment', () => {
  it('points every SDK client the functions use at the local endpoints', async () => {
    // Created with no options at all, as the adapters do: only the environment configures them.
    const rekognition = new RekognitionClient({});
    const textract = new TextractClient({});
    const events = new EventBridgeClient({});
    const sfn = new SFNClient({});
    const s3 = new S3Client({ forcePathStyle: true });
    const dynamoDb = new DynamoDBClient({});
    await rekognition.send(new DetectFacesCommand({ Image: { Bytes: new Uint8Array([1]) } }));
    await textract.send(new AnalyzeIDCommand({ DocumentPages: [{ Bytes: new Uint8Array([1]) }] }));
    await events.send(
      new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }),
    );
    await sfn.send(new ListStateMachinesCommand({}));
    await s3.send(new HeadObjectCommand({ Bucket: 'kyc-onboarding-local', Key: 'k' }));
    await dynamoDb.send(new ListTablesCommand({}));
    expect(calls).toEqual([
      'RekognitionService.DetectFaces',
      'Textract.AnalyzeID',
      'AWSEvents.PutEvents',
      'AWSStepFunctions.ListStateMachines',
      'S3 HEAD /kyc-onboarding-local/k',
      'DynamoDB_20120810.ListTables',
    ]);
    for (const client of [rekognition, textract, events, sfn, s3, dynamoDb]) client.destroy();
  });

  it('satisfies the functions configuration schema', () => {
    const config = loadConfig([
      'TABLE_NAME',
      'BUCKET_NAME',
      'EVENT_BUS_NAME',
      'S3_FORCE_PATH_STYLE',
    ]);
    expect(config).toEqual({
      TABLE_NAME: 'kyc-onboarding-cases',
      BUCKET_NAME: 'kyc-onboarding-local',
      EVENT_BUS_NAME: 'kyc-onboarding-verdicts',
      S3_FORCE_PATH_STYLE: true,
    });
  });
});

describe('localAwsConfig', () => {
  it('keeps data in .data at the repository root unless told otherwise', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    expect(localAwsConfig().dataFolder).toBe(path.join(root, '.data'));
    expect(localAwsConfig({ dataFolder: '/tmp/x', awsPort: 1 })).toMatchObject({
      dataFolder: '/tmp/x',
      awsPort: 1,
      dynamoDbPort: 4567,
    });
  });
});
