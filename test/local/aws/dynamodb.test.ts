import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableIndexes } from '../../../lib/onboarding-data.js';
import {
  CASES_TABLE_INDEXES,
  ensureCasesTable,
  type LocalDynamoDb,
  startDynamoDb,
} from '../../../local/aws/dynamodb.js';
import { clientOptions, tempDataFolder } from './helpers.js';

const TABLE = 'cases';
let data: Awaited<ReturnType<typeof tempDataFolder>>;
let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let documents: DynamoDBDocumentClient;

async function connect() {
  dynamo = await startDynamoDb({ folder: data.folder });
  client = new DynamoDBClient(clientOptions(dynamo.url));
  documents = DynamoDBDocumentClient.from(client);
}

async function disconnect() {
  client?.destroy();
  await dynamo?.close();
}

beforeAll(async () => {
  data = await tempDataFolder();
  await connect();
});

afterAll(async () => {
  await disconnect();
  await data?.remove();
});

const caseItem = (id: string, createdAt: string) => ({
  pk: `CASE#${id}`,
  sk: 'CASE',
  listPartition: `CASES#${createdAt.slice(0, 7)}`,
  createdAt,
  status: 'CREATED',
});

describe('the cases table on dynalite', () => {
  it('is created as the CDK stack declares it, once', async () => {
    expect(CASES_TABLE_INDEXES).toEqual(Object.values(tableIndexes));
    await ensureCasesTable(client, TABLE);
    await ensureCasesTable(client, TABLE);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      indexName: index.IndexName,
      partitionKey: index.KeySchema?.[0]?.AttributeName,
      sortKey: index.KeySchema?.[1]?.AttributeName,
      projection: index.Projection?.ProjectionType,
    }));
    expect(indexes).toEqual(CASES_TABLE_INDEXES.map((index) => ({ ...index, projection: 'ALL' })));
  });

  it('runs conditional writes and queries the by-month index', async () => {
    await documents.send(
      new PutCommand({
        TableName: TABLE,
        Item: caseItem('a', '2026-11-02T10:00:00Z'),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await documents.send(
      new PutCommand({ TableName: TABLE, Item: caseItem('b', '2026-11-20T10:00:00Z') }),
    );
    await documents.send(
      new PutCommand({ TableName: TABLE, Item: caseItem('c', '2026-10-30T10:00:00Z') }),
    );
    const again = await documents
      .send(
        new PutCommand({
          TableName: TABLE,
          Item: caseItem('a', '2026-11-02T10:00:00Z'),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: Error) => error.name);
    expect(again).toBe('ConditionalCheckFailedException');

    const updated = await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: 'CASE#a', sk: 'CASE' },
        UpdateExpression: 'SET #status = :processing',
        ConditionExpression: '#status = :created',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':processing': 'PROCESSING', ':created': 'CREATED' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes?.status).toBe('PROCESSING');

    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'by-month',
        KeyConditionExpression: 'listPartition = :p AND createdAt BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':p': 'CASES#2026-11',
          ':from': '2026-11-01',
          ':to': '2026-12-01',
        },
        ScanIndexForward: false,
      }),
    );
    expect(Items.map((item) => item.pk)).toEqual(['CASE#b', 'CASE#a']);
  });

  it('keeps items across a restart on the same folder', async () => {
    await disconnect();
    await connect();
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'by-month',
        KeyConditionExpression: 'listPartition = :p',
        ExpressionAttributeValues: { ':p': 'CASES#2026-10' },
      }),
    );
    expect(Items.map((item) => item.pk)).toEqual(['CASE#c']);
  });
});
