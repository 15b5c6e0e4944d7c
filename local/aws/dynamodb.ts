import { mkdir } from 'node:fs/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { listenOnLoopback } from '../loopback.js';

export interface LocalDynamoDb {
  readonly url: string;
  close(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  /** LevelDB folder; only one server may use a folder at a time. */
  readonly folder: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

/**
 * The cases table's secondary indexes, as lib/onboarding-data.ts declares them (a test
 * keeps the two equal; importing the construct here would load the CDK at run time).
 */
export const CASES_TABLE_INDEXES = [
  { indexName: 'review-queue', partitionKey: 'reviewQueue', sortKey: 'queuedAt' },
  { indexName: 'by-month', partitionKey: 'listPartition', sortKey: 'createdAt' },
] as const;

/** dynalite (DynamoDB on LevelDB) as a server on 127.0.0.1, persisting to `folder`. */
export async function startDynamoDb(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
  await mkdir(options.folder, { recursive: true });
  // Tables are usable at once, as the start script creates them right before use.
  const server = dynalite({
    path: options.folder,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const listening = await listenOnLoopback(server, options.port);
  return { url: `http://127.0.0.1:${listening.port}`, close: listening.close };
}

/**
 * Creates the cases table as the CDK stack does, unless it exists. Time to live is left
 * out: dynalite has no UpdateTimeToLive, so expired creation records stay locally.
 */
export async function ensureCasesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  const keyAttributes = [
    'pk',
    'sk',
    ...CASES_TABLE_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributes.map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: CASES_TABLE_INDEXES.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    // Another process created it meanwhile: the wait below covers that case too.
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
  await waitUntilTableExists(
    { client, minDelay: 1, maxDelay: 2, maxWaitTime: 60 },
    { TableName: tableName },
  );
}
