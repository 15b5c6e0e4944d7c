import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createLivenessStream,
  type FrameAnalyzer,
  type LivenessStreamOptions,
} from '../liveness/index.js';
import { dataFolders, functionEnvironment, type LocalAwsConfig } from './config.js';
import { ensureCasesTable, startDynamoDb } from './dynamodb.js';
import { EventLog } from './event-log.js';
import { eventBridgeService } from './eventbridge-service.js';
import type { AwsJsonService } from './json-service.js';
import { LivenessSessionStore } from './liveness-session-store.js';
import { ObjectStore } from './object-store.js';
import { type RekognitionServiceOptions, rekognitionService } from './rekognition-service.js';
import { createS3Handler } from './s3-handler.js';
import { type AwsServerOptions, createAwsServer } from './server.js';
import { type TextractServiceOptions, textractService } from './textract-service.js';

export interface LocalAwsOptions {
  readonly config: LocalAwsConfig;
  /** The face engine and the OCR reader, started by the caller: they take seconds to warm. */
  readonly faces: RekognitionServiceOptions['faces'] & FrameAnalyzer;
  readonly reader: TextractServiceOptions['reader'];
  /** Further JSON services on the same port, e.g. Step Functions. */
  readonly services?: readonly AwsJsonService[];
  /** Replaces the random light challenge of each liveness session (tests pin one). */
  readonly livenessChallenge?: LivenessStreamOptions['newChallenge'];
  /** Replaces some of the Face Liveness stream's limits (tests shorten the waits). */
  readonly livenessLimits?: LivenessStreamOptions['limits'];
  /** Fault injection into Rekognition, Textract and S3 calls (local/faults). */
  readonly faults?: AwsServerOptions['faults'];
  /** In-flight and queue bounds of the endpoint (local/load/admission-control.ts). */
  readonly admission?: AwsServerOptions['admission'];
}

export interface LocalAws {
  /** Endpoint of S3, Rekognition (with the Face Liveness stream), Textract, EventBridge and the extra services. */
  readonly url: string;
  readonly dynamoDbUrl: string;
  /** What the functions need in process.env to use this stack. */
  readonly environment: Readonly<Record<string, string>>;
  readonly objects: ObjectStore;
  /** Where the Face Liveness streaming endpoint records the outcome of a check. */
  readonly sessions: LivenessSessionStore;
  readonly events: EventLog;
  close(): Promise<void>;
}

/** Starts every local AWS endpoint on the config's data folder and ports. */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const { config } = options;
  const folders = dataFolders(config);
  const objects = await ObjectStore.open({ folder: folders.s3, buckets: [config.bucketName] });
  const sessions = await LivenessSessionStore.open({ folder: folders.rekognition, objects });
  const events = await EventLog.open(folders.events);
  const dynamoDb = await startDynamoDb({ folder: folders.dynamoDb, port: config.dynamoDbPort });
  try {
    const client = new DynamoDBClient({
      endpoint: dynamoDb.url,
      region: config.region,
      credentials: { ...config.credentials },
    });
    await ensureCasesTable(client, config.tableName);
    client.destroy();
    const liveness = createLivenessStream({
      sessions,
      analyzer: options.faces,
      ...(options.livenessChallenge ? { newChallenge: options.livenessChallenge } : {}),
      ...(options.livenessLimits ? { limits: options.livenessLimits } : {}),
    });
    const server = await createAwsServer({
      port: config.awsPort,
      upgrade: liveness.handleUpgrade,
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.admission ? { admission: options.admission } : {}),
      services: [
        rekognitionService({ faces: options.faces, objects, sessions }),
        textractService({ reader: options.reader, objects }),
        eventBridgeService({
          log: events,
          busNames: [config.eventBusName],
          region: config.region,
          account: config.account,
        }),
        ...(options.services ?? []),
      ],
      s3: createS3Handler({
        store: objects,
        credentials: config.credentials,
        webOrigin: config.webOrigin,
      }),
    });
    return {
      url: server.url,
      dynamoDbUrl: dynamoDb.url,
      environment: functionEnvironment(config, { awsUrl: server.url, dynamoDbUrl: dynamoDb.url }),
      objects,
      sessions,
      events,
      close: async () => {
        await liveness.close();
        await server.close();
        await dynamoDb.close();
      },
    };
  } catch (error) {
    await dynamoDb.close();
    throw error;
  }
}
