import { z } from 'zod';
import type { CaseRecord } from '../adapters/case-repository.js';
import { caseRepository } from '../adapters/case-repository.js';
import { type CheckOutcome, type DecisionInput, decide } from '../domain/decision.js';
import type { DocumentFacts } from '../domain/document.js';
import { logger } from '../shared/logger.js';
import { profiles } from '../shared/profiles.js';
import { caseIdSchema, parseTaskInput, profileIdSchema } from '../shared/task-input.js';

const caught = z.object({ Error: z.string() });
const failed = z.object({ status: z.literal('FAILED'), error: z.string() });
const skipped = z.object({ status: z.literal('SKIPPED') });
const ok = <T extends z.ZodType>(value: T) => z.object({ status: z.literal('OK'), value });

/** The execution's state as the ASL hands it over (Payload.$: "$"). */
const input = z.object({
  caseId: caseIdSchema,
  profileId: profileIdSchema,
  idAttempt: z.number().int().min(1),
  liveness: z.union([z.object({ verdict: z.enum(['PASS', 'RETRY', 'EXHAUSTED']) }), caught]),
  abandoned: caught.optional(),
  failure: caught.optional(),
  checks: z
    .object({
      document: z.union([ok(z.object({ fieldsRead: z.number() })), failed, skipped]),
      faceMatch: z.union([
        ok(
          z.object({
            similarity: z.number().min(0).max(100).nullable(),
            facesOnId: z.number().int().min(0),
          }),
        ),
        failed,
        skipped,
      ]),
      ageEstimate: z.union([
        ok(
          z.object({
            faceCount: z.number().int().min(0),
            ageRange: z.object({ low: z.number().min(0), high: z.number().min(0) }),
          }),
        ),
        failed,
        skipped,
      ]),
    })
    .optional(),
});

type Input = z.output<typeof input>;

const cases = caseRepository();
const profilesInForce = profiles();

/** The document facts live on the case record, not in the workflow's state. */
function documentOutcome(
  checks: Input['checks'],
  record: CaseRecord,
): CheckOutcome<DocumentFacts> | undefined {
  const document = checks?.document;
  if (document?.status !== 'OK') return document;
  return record.document
    ? { status: 'OK', value: record.document.facts }
    : { status: 'FAILED', error: 'DocumentUnreadableError' };
}

export const handler = async (event: unknown) => {
  const state = parseTaskInput(input, event);
  const { caseId, profileId, checks } = state;
  logger.appendKeys({ caseId });
  const record = await cases.requireCase(caseId);
  const document = documentOutcome(checks, record);
  const decisionInput: DecisionInput = {
    liveness: 'Error' in state.liveness ? { error: state.liveness.Error } : state.liveness,
    ...(state.abandoned ? { abandoned: true } : {}),
    ...(state.failure ? { failure: { error: state.failure.Error } } : {}),
    ...(document ? { document } : {}),
    ...(checks ? { faceMatch: checks.faceMatch, ageEstimate: checks.ageEstimate } : {}),
    idAttempt: state.idAttempt,
    today: new Date().toISOString().slice(0, 10),
  };
  const profile = profilesInForce[profileId];
  const decision = decide(profile, decisionInput);
  const now = new Date().toISOString();
  await cases.saveEvidence(
    caseId,
    {
      decision: { ...decision, decidedAt: now },
      ...(checks?.faceMatch.status === 'OK' ? { faceMatch: checks.faceMatch.value } : {}),
    },
    now,
  );
  const reasonCodes = decision.reasons.filter((r) => r.effect !== 'PASS').map((r) => r.code);
  logger.info('Case decided', {
    outcome: decision.outcome,
    reasonCodes,
    profileVersion: decision.profileVersion,
  });
  return {
    outcome: decision.outcome,
    reasonCodes,
    profileVersion: decision.profileVersion,
    review: decision.review,
    responseTimeoutSeconds: profile.applicantResponseSeconds,
  };
};
