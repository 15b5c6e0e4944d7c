import { CaseRepository } from '../adapters/case-repository.js';
import { VerdictPublisher } from '../adapters/events.js';
import { ImageStore } from '../adapters/image-store.js';
import { FaceService } from '../adapters/rekognition.js';
import { DocumentService } from '../adapters/textract.js';
import { Workflow } from '../adapters/workflow.js';
import { policyProfiles } from '../domain/profiles.js';
import {
  documentClient,
  eventsClient,
  rekognitionClient,
  s3Client,
  sfnClient,
  textractClient,
} from './clients.js';
import { loadConfig, profileSettingsOf } from './config.js';

/*
 * Adapters built on first use from the settings each needs, then kept for the life of the
 * execution environment. A handler touches only what it uses, so a function is configured
 * with exactly the variables its adapters read.
 */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

export const profiles = once(() =>
  policyProfiles(profileSettingsOf(loadConfig(['AGE_GATE_MINIMUM_AGE', 'AGE_GATE_BUFFER_YEARS']))),
);

export const caseRepository = once(
  () => new CaseRepository(documentClient(), loadConfig(['TABLE_NAME']).TABLE_NAME),
);

export const imageStore = once(() => {
  const config = loadConfig(['BUCKET_NAME', 'S3_FORCE_PATH_STYLE']);
  return new ImageStore(s3Client(config.S3_FORCE_PATH_STYLE), config.BUCKET_NAME);
});

export const faceService = once(() => new FaceService(rekognitionClient()));

export const documentService = once(() => new DocumentService(textractClient()));

export const verdictPublisher = once(
  () => new VerdictPublisher(eventsClient(), loadConfig(['EVENT_BUS_NAME']).EVENT_BUS_NAME),
);

export const workflow = once(
  () => new Workflow(sfnClient(), loadConfig(['STATE_MACHINE_ARN']).STATE_MACHINE_ARN),
);
