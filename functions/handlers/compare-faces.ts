import { z } from 'zod';
import { imageStore } from '../adapters/image-store.js';
import { faceService } from '../adapters/rekognition.js';
import { ReferenceImageMissingError } from '../domain/errors.js';
import { logger } from '../shared/logger.js';
import { profiles } from '../shared/profiles.js';
import {
  caseIdSchema,
  objectKeySchema,
  parseTaskInput,
  profileIdSchema,
} from '../shared/task-input.js';

const input = z.object({
  caseId: caseIdSchema,
  profileId: profileIdSchema,
  referenceImageKey: objectKeySchema.nullable(),
  idImageKey: objectKeySchema,
});

const faces = faceService();
const images = imageStore();
const profilesInForce = profiles();

/** CompareFaces with the profile's SimilarityThreshold (0-100) and QualityFilter. */
export const handler = async (event: unknown) => {
  const { caseId, profileId, referenceImageKey, idImageKey } = parseTaskInput(input, event);
  logger.appendKeys({ caseId });
  if (!referenceImageKey) throw new ReferenceImageMissingError();
  await images.requireIdImage(idImageKey);
  const { faceMatch } = profilesInForce[profileId];
  const result = await faces.compareFaces({
    bucket: images.bucketName,
    referenceImageKey,
    idImageKey,
    similarityThreshold: faceMatch.similarityThreshold,
    qualityFilter: faceMatch.qualityFilter,
  });
  logger.info('Faces compared', {
    matched: result.similarity !== null,
    facesOnId: result.facesOnId,
  });
  return result;
};
