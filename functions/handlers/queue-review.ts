import { z } from 'zod';
import { caseRepository } from '../adapters/case-repository.js';
import { logger } from '../shared/logger.js';
import { caseIdSchema, parseTaskInput, taskTokenSchema } from '../shared/task-input.js';

const input = z.object({
  caseId: caseIdSchema,
  reasonCodes: z.array(z.string().max(64)).max(50),
  taskToken: taskTokenSchema,
});

const cases = caseRepository();

/** Puts the case in the review queue with the token the reviewer's decision resumes. */
export const handler = async (event: unknown) => {
  const { caseId, reasonCodes, taskToken } = parseTaskInput(input, event);
  logger.appendKeys({ caseId });
  await cases.setPendingTask(
    caseId,
    { action: 'REVIEW', token: taskToken, attempt: 1, issuedAt: new Date().toISOString() },
    { reasonCodes },
  );
  logger.info('Queued for review', { reasonCodes });
  return { queued: true };
};
