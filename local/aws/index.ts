export {
  dataFolders,
  defaultLocalAwsConfig,
  functionEnvironment,
  type LocalAwsConfig,
  localAwsConfig,
} from './config.js';
export {
  CASES_TABLE_INDEXES,
  ensureCasesTable,
  type LocalDynamoDb,
  startDynamoDb,
} from './dynamodb.js';
export { EventLog, type RecordedEvent } from './event-log.js';
export { eventBridgeService } from './eventbridge-service.js';
export { type AwsJsonService, AwsServiceError } from './json-service.js';
export {
  type LivenessOutcome,
  LivenessSessionStore,
  SESSION_LIFETIME_MS,
} from './liveness-session-store.js';
export { type LocalAws, type LocalAwsOptions, startLocalAws } from './local-aws.js';
export { type ObjectMetadata, ObjectStore } from './object-store.js';
export { rekognitionService } from './rekognition-service.js';
export { createS3Handler } from './s3-handler.js';
export { type AwsServer, type AwsServerOptions, createAwsServer } from './server.js';
export { textractService } from './textract-service.js';
