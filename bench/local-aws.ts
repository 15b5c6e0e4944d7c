/**
 * Local AWS endpoints: start-up of the whole stack (dynalite included) on an empty data
 * folder, then the latency of each served operation through the official SDK clients.
 * The face engine and OCR are stubbed out: their own benchmarks measure them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ImageStore, s3Client } from '../functions/adapters/image-store.js';
import { localAwsConfig } from '../local/aws/config.js';
import { startLocalAws } from '../local/aws/local-aws.js';
import { summary } from './_stats.js';

const RUNS = 50;
const unused = () => Promise.reject(new Error('not benchmarked here'));

async function timed(label: string, run: (index: number) => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const start = performance.now();
    await run(index);
    times.push(performance.now() - start);
  }
  console.log(`${label}: ${summary(times)}`);
}

export default async function run(): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'bench-local-aws-'));
  const config = localAwsConfig({ dataFolder: folder, awsPort: 0, dynamoDbPort: 0 });
  const started = performance.now();
  const stack = await startLocalAws({
    config,
    faces: { detectFaces: unused, compareFaces: unused, analyzeFrame: unused },
    reader: { analyzeId: unused },
  });
  console.log(
    `start-up (empty folder, table created): ${(performance.now() - started).toFixed(0)} ms`,
  );
  Object.assign(process.env, stack.environment);
  const s3 = s3Client(true);
  const images = new ImageStore(s3, config.bucketName);
  const rekognition = new RekognitionClient({});
  const events = new EventBridgeClient({});
  const dynamoDb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const photo = Buffer.alloc(300 * 1024, 0xab);
  try {
    await timed('S3 PutObject 300 KB', (i) =>
      s3.send(new PutObjectCommand({ Bucket: config.bucketName, Key: `b/${i}`, Body: photo })),
    );
    await timed('S3 GetObject 300 KB', async (i) => {
      const response = await s3.send(
        new GetObjectCommand({ Bucket: config.bucketName, Key: `b/${i}` }),
      );
      await response.Body?.transformToByteArray();
    });
    await timed('presigned PUT 300 KB (fetch, create-only)', async (i) => {
      const url = await images.presignUpload(`p/${i}`, 'image/jpeg', 60);
      const response = await fetch(url, {
        method: 'PUT',
        body: photo,
        headers: { 'content-type': 'image/jpeg', 'if-none-match': '*' },
      });
      if (!response.ok) throw new Error(`presigned PUT answered ${response.status}`);
    });
    const sessionIds: string[] = [];
    await timed('CreateFaceLivenessSession', async (i) => {
      const { SessionId = '' } = await rekognition.send(
        new CreateFaceLivenessSessionCommand({ ClientRequestToken: `bench-${i}` }),
      );
      sessionIds.push(SessionId);
    });
    await timed('GetFaceLivenessSessionResults', (i) =>
      rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionIds[i] })),
    );
    await timed('PutEvents (1 entry)', () =>
      events.send(
        new PutEventsCommand({
          Entries: [
            { Source: 'bench', DetailType: 'T', Detail: '{}', EventBusName: config.eventBusName },
          ],
        }),
      ),
    );
    await timed('DynamoDB PutItem + GetItem', async (i) => {
      const Key = { pk: `CASE#${i}`, sk: 'CASE' };
      await dynamoDb.send(new PutCommand({ TableName: config.tableName, Item: { ...Key, n: i } }));
      await dynamoDb.send(new GetCommand({ TableName: config.tableName, Key }));
    });
  } finally {
    for (const client of [s3, rekognition, events, dynamoDb]) client.destroy();
    await stack.close();
    await rm(folder, { recursive: true, force: true });
  }
}
