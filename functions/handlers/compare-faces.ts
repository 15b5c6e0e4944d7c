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

/**
 * CompareFaces asks for every face's similarity (SimilarityThreshold 0): the profile's
 * threshold is applied in the decision, so the similarity of a mismatch is on record for the
 * operator. The profile's QualityFilter is sent as it is.
 */
const reportEverySimilarity = 0;

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
    similarityThreshold: reportEverySimilarity,
    qualityFilter: faceMatch.qualityFilter,
  });
  logger.info('Faces compared', {
    measured: result.similarity !== null,
    facesOnId: result.facesOnId,
  });
  return result;
};
