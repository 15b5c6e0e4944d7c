import { z } from 'zod';
import { type CheckOutcome, type Decision, decide } from '../domain/decision.js';
import type { DocumentFacts } from '../domain/document.js';
import type { PolicyProfile } from '../domain/profiles.js';
import { caseIdSchema, profileIdSchema } from './task-input.js';

const caught = z.object({ Error: z.string() });
const failed = z.object({ status: z.literal('FAILED'), error: z.string() });
const skipped = z.object({ status: z.literal('SKIPPED') });
const ok = <T extends z.ZodType>(value: T) => z.object({ status: z.literal('OK'), value });

/** The execution's state as the ASL hands it over (Payload.$: "$"). */
export const decideStepInput = z.object({
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

export type DecideStepInput = z.output<typeof decideStepInput>;

/** What the Decide state hands back to the workflow: codes, never details or personal data. */
export interface DecideStepResult {
  readonly outcome: Decision['outcome'];
  readonly reasonCodes: readonly string[];
  readonly profileVersion: string;
  readonly review: Decision['review'];
  readonly responseTimeoutSeconds: number;
}

/**
 * The Decide step without its storage: the workflow's state plus the document facts kept on
 * the case record (undefined when none were stored), judged on `today`.
 */
export function decideStep(
  profile: PolicyProfile,
  state: DecideStepInput,
  storedDocument: DocumentFacts | undefined,
  today: string,
): { decision: Decision; result: DecideStepResult } {
  const { checks } = state;
  const read = checks?.document;
  const document: CheckOutcome<DocumentFacts> | undefined =
    read?.status !== 'OK'
      ? read
      : storedDocument
        ? { status: 'OK', value: storedDocument }
        : { status: 'FAILED', error: 'DocumentUnreadableError' };
  const decision = decide(profile, {
    liveness: 'Error' in state.liveness ? { error: state.liveness.Error } : state.liveness,
    ...(state.abandoned ? { abandoned: true } : {}),
    ...(state.failure ? { failure: { error: state.failure.Error } } : {}),
    ...(document ? { document } : {}),
    ...(checks ? { faceMatch: checks.faceMatch, ageEstimate: checks.ageEstimate } : {}),
    idAttempt: state.idAttempt,
    today,
  });
  return {
    decision,
    result: {
      outcome: decision.outcome,
      reasonCodes: decision.reasons.filter((r) => r.effect !== 'PASS').map((r) => r.code),
      profileVersion: decision.profileVersion,
      review: decision.review,
      responseTimeoutSeconds: profile.applicantResponseSeconds,
    },
  };
}
