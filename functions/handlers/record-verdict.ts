import { z } from 'zod';
import { caseRepository } from '../adapters/case-repository.js';
import { verdictPublisher } from '../adapters/events.js';
import { logger } from '../shared/logger.js';
import { caseIdSchema, parseTaskInput, profileIdSchema } from '../shared/task-input.js';

const input = z.object({
  caseId: caseIdSchema,
  profileId: profileIdSchema,
  verdict: z.object({
    outcome: z.enum(['APPROVED', 'REJECTED', 'ABANDONED']),
    source: z.enum(['AUTOMATED', 'REVIEWER', 'REVIEW_TIMEOUT']),
  }),
  decision: z.object({
    reasonCodes: z.array(z.string()),
    profileVersion: z.string().optional(),
  }),
});

const cases = caseRepository();
const publisher = verdictPublisher();

/**
 * Stores the verdict, then publishes it. A retry after a failed publish finds the verdict
 * already stored and only publishes: downstream consumers get it at least once.
 */
export const handler = async (event: unknown) => {
  const { caseId, profileId, verdict, decision } = parseTaskInput(input, event);
  logger.appendKeys({ caseId });
  const decidedAt = new Date().toISOString();
  const stored = await cases.recordVerdict(caseId, { ...verdict, decidedAt }, verdict.outcome);
  await publisher.publish({
    caseId,
    profileId,
    ...(decision.profileVersion ? { profileVersion: decision.profileVersion } : {}),
    outcome: verdict.outcome,
    source: verdict.source,
    reasonCodes: decision.reasonCodes,
    decidedAt,
  });
  logger.info('Verdict recorded', { outcome: verdict.outcome, source: verdict.source, stored });
  return { recorded: true };
};
