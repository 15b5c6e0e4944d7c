import { caseRepository } from '../adapters/case-repository.js';
import { decideStep, decideStepInput } from '../shared/decide-step.js';
import { logger } from '../shared/logger.js';
import { profiles } from '../shared/profiles.js';
import { parseTaskInput } from '../shared/task-input.js';

const cases = caseRepository();
const profilesInForce = profiles();

/** Decides the case against its profile; the reasons with their details stay on the case record. */
export const handler = async (event: unknown) => {
  const state = parseTaskInput(decideStepInput, event);
  const { caseId, profileId, checks } = state;
  logger.appendKeys({ caseId });
  const record = await cases.requireCase(caseId);
  const now = new Date().toISOString();
  const { decision, result } = decideStep(
    profilesInForce[profileId],
    state,
    record.document?.facts,
    now.slice(0, 10),
  );
  await cases.saveEvidence(
    caseId,
    {
      decision: { ...decision, decidedAt: now },
      ...(checks?.faceMatch.status === 'OK' ? { faceMatch: checks.faceMatch.value } : {}),
    },
    now,
  );
  logger.info('Case decided', {
    outcome: result.outcome,
    reasonCodes: result.reasonCodes,
    profileVersion: result.profileVersion,
  });
  return result;
};
