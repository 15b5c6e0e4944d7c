import { z } from 'zod';
import { caseRepository } from '../adapters/case-repository.js';
import { imageKeys } from '../adapters/image-store.js';
import { logger } from '../shared/logger.js';
import { caseIdSchema, parseTaskInput, taskTokenSchema } from '../shared/task-input.js';

const input = z.object({
  caseId: caseIdSchema,
  action: z.enum(['LIVENESS_RETRY', 'ID_RESUBMIT']),
  attempt: z.number().int().min(1),
  taskToken: taskTokenSchema,
});

const cases = caseRepository();

/**
 * Parks the workflow until the applicant acts: stores the task token on the case, which the
 * applicant's next submission uses to resume it. For a new ID photo, the upload goes to a new key.
 */
export const handler = async (event: unknown) => {
  const { caseId, action, attempt, taskToken } = parseTaskInput(input, event);
  logger.appendKeys({ caseId, attempt });
  const issuedAt = new Date().toISOString();
  const nextIdAttempt = attempt + 1;
  await cases.setPendingTask(
    caseId,
    { action, token: taskToken, attempt, issuedAt },
    action === 'ID_RESUBMIT'
      ? { idImageKey: imageKeys.idImage(caseId, nextIdAttempt), idAttempt: nextIdAttempt }
      : {},
  );
  logger.info('Waiting for the applicant', { action });
  return { waiting: action };
};
