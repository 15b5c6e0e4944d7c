import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { TextractClient } from '@aws-sdk/client-textract';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * SDK clients are created once per execution environment. Endpoints come from the
 * standard AWS_ENDPOINT_URL_<SERVICE> variables, which is how the offline stack points the
 * same code at localhost. The workflow retries with backoff itself, so the SDK's own retries
 * are kept short to surface throttling to Step Functions quickly.
 */
const common = { maxAttempts: 2 } as const;

let cache: Partial<{
  documents: DynamoDBDocumentClient;
  events: EventBridgeClient;
  rekognition: RekognitionClient;
  s3: S3Client;
  sfn: SFNClient;
  textract: TextractClient;
}> = {};

export function documentClient(): DynamoDBDocumentClient {
  cache.documents ??= DynamoDBDocumentClient.from(new DynamoDBClient(common), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return cache.documents;
}

export function eventsClient(): EventBridgeClient {
  cache.events ??= new EventBridgeClient(common);
  return cache.events;
}

export function rekognitionClient(): RekognitionClient {
  cache.rekognition ??= new RekognitionClient(common);
  return cache.rekognition;
}

/**
 * Presigned uploads must not carry a checksum of an empty body (the SDK's default), or S3
 * rejects the browser's PUT: checksums only when an operation requires them.
 */
export function s3Client(forcePathStyle: boolean): S3Client {
  cache.s3 ??= new S3Client({
    ...common,
    forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return cache.s3;
}

export function sfnClient(): SFNClient {
  cache.sfn ??= new SFNClient(common);
  return cache.sfn;
}

export function textractClient(): TextractClient {
  cache.textract ??= new TextractClient(common);
  return cache.textract;
}

/** Tests and the in-process local runtime reset clients after changing the environment. */
export function resetClients(): void {
  cache = {};
}
