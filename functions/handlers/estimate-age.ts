import { z } from 'zod';
import { caseRepository } from '../adapters/case-repository.js';
import { imageStore } from '../adapters/image-store.js';
import { faceService } from '../adapters/rekognition.js';
import { ReferenceImageMissingError } from '../domain/errors.js';
import { logger } from '../shared/logger.js';
import { caseIdSchema, objectKeySchema, parseTaskInput } from '../shared/task-input.js';

const input = z.object({ caseId: caseIdSchema, referenceImageKey: objectKeySchema.nullable() });

const faces = faceService();
const images = imageStore();
const cases = caseRepository();

/** DetectFaces on the liveness reference image: age range for the policy, quality and pose for operators. */
export const handler = async (event: unknown) => {
  const { caseId, referenceImageKey } = parseTaskInput(input, event);
  logger.appendKeys({ caseId });
  if (!referenceImageKey) throw new ReferenceImageMissingError();
  const estimate = await faces.estimateFace({ bucket: images.bucketName, key: referenceImageKey });
  await cases.saveEvidence(caseId, { ageEstimate: estimate }, new Date().toISOString());
  logger.info('Face estimated', { faceCount: estimate.faceCount });
  return { faceCount: estimate.faceCount, ageRange: estimate.ageRange };
};
