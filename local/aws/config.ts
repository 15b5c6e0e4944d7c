import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Settings of the local AWS stack; every field can be overridden. */
export interface LocalAwsConfig {
  /** Where objects, sessions, events and the table live across restarts. */
  readonly dataFolder: string;
  /** Port of the server for S3, Rekognition, Textract, EventBridge and Step Functions. */
  readonly awsPort: number;
  /** Port of dynalite, which runs as its own server. */
  readonly dynamoDbPort: number;
  readonly region: string;
  readonly account: string;
  /** Dummy credentials: S3 verifies signatures made with them, the JSON services ignore them. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly bucketName: string;
  readonly tableName: string;
  readonly eventBusName: string;
  /** Browser origin of the web app, allowed by S3's CORS rule. */
  readonly webOrigin: string;
}

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const defaultLocalAwsConfig: LocalAwsConfig = Object.freeze({
  dataFolder: path.join(repositoryRoot, '.data'),
  awsPort: 4566,
  dynamoDbPort: 4567,
  region: 'us-east-1',
  account: '000000000000',
  // Not frozen: SDK clients annotate the credentials object they are given.
  credentials: { accessKeyId: 'local', secretAccessKey: 'local-secret' },
  bucketName: 'kyc-onboarding-local',
  tableName: 'kyc-onboarding-cases',
  eventBusName: 'kyc-onboarding-verdicts',
  webOrigin: 'http://localhost:5173',
});

export function localAwsConfig(overrides: Partial<LocalAwsConfig> = {}): LocalAwsConfig {
  return Object.freeze({ ...defaultLocalAwsConfig, ...overrides });
}

/** Folders of the data folder, one per service. */
export function dataFolders(config: LocalAwsConfig) {
  const at = (name: string) => path.join(config.dataFolder, name);
  return {
    s3: at('s3'),
    rekognition: at('rekognition'),
    events: path.join(at('eventbridge'), 'events.jsonl'),
    dynamoDb: at('dynamodb'),
  };
}

/**
 * The environment that points the functions' SDK clients at the local stack: the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, dummy credentials and the resource names.
 */
export function functionEnvironment(
  config: LocalAwsConfig,
  endpoints: { readonly awsUrl: string; readonly dynamoDbUrl: string },
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_REKOGNITION: endpoints.awsUrl,
    AWS_ENDPOINT_URL_TEXTRACT: endpoints.awsUrl,
    AWS_ENDPOINT_URL_S3: endpoints.awsUrl,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.awsUrl,
    AWS_ENDPOINT_URL_SFN: endpoints.awsUrl,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDbUrl,
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    TABLE_NAME: config.tableName,
    BUCKET_NAME: config.bucketName,
    EVENT_BUS_NAME: config.eventBusName,
  };
}
