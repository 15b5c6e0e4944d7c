import { z } from 'zod';
import { type CaseRecord, caseRepository } from '../adapters/case-repository.js';
import { type ImageStore, imageKeys, imageStore } from '../adapters/image-store.js';
import type { StoredOrInline } from '../adapters/rekognition.js';
import { faceService } from '../adapters/rekognition.js';
import { LivenessResultPendingError } from '../domain/errors.js';
import { bestAttempt, evaluateLiveness, isLivenessPending } from '../domain/liveness-gate.js';
import { isFailedAttempt } from '../domain/liveness-limits.js';
import { livenessLimiter } from '../shared/liveness-limits.js';
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
  livenessSessionId: z.string().min(1).max(128),
  attempt: z.number().int().min(1),
});

/** Keeps images Rekognition wrote to S3 where they are; stores inline bytes under the case. */
async function storeImage(store: ImageStore, image: StoredOrInline, key: string): Promise<string> {
  if ('key' in image) return objectKeySchema.parse(image.key);
  await store.put(key, image.bytes, 'image/jpeg');
  return key;
}

const faces = faceService();
const images = imageStore();
const cases = caseRepository();
const profilesInForce = profiles();
const limiter = livenessLimiter();

/** Counts a failed attempt against the case and the device that asked for its session. */
async function countFailure(record: CaseRecord, sessionId: string): Promise<void> {
  const session = Object.values(record.livenessSessions).find((s) => s.sessionId === sessionId);
  await limiter.recordCaseFailure({
    caseId: record.caseId,
    deviceKey: session?.deviceKey ?? record.deviceKey,
    sessionId,
    actor: 'workflow',
  });
}

export const handler = async (event: unknown) => {
  const { caseId, profileId, livenessSessionId, attempt } = parseTaskInput(input, event);
  logger.appendKeys({ caseId, attempt });
  const result = await faces.getLivenessResult(livenessSessionId);
  if (isLivenessPending(result.status)) throw new LivenessResultPendingError();

  const profile = profilesInForce[profileId];
  const verdict = evaluateLiveness(profile, result, attempt);
  // A pass is the best attempt by definition; anything else is weighed against the earlier ones.
  const record = verdict === 'PASS' ? undefined : await cases.requireCase(caseId);
  // Before the attempt is appended: counting is idempotent, appending is not, and a retried
  // step redoes everything after a failure.
  if (record && isFailedAttempt(profile, result, true)) {
    await countFailure(record, livenessSessionId);
  }
  const referenceImageKey = result.referenceImage
    ? await storeImage(
        images,
        result.referenceImage,
        imageKeys.referenceImage(caseId, livenessSessionId),
      )
    : undefined;
  const auditImageKeys = await Promise.all(
    result.auditImages.map((image, index) =>
      storeImage(images, image, imageKeys.auditImage(caseId, livenessSessionId, index + 1)),
    ),
  );
  const entry = {
    sessionId: livenessSessionId,
    attempt,
    status: result.status,
    verdict,
    ...(result.confidence === undefined ? {} : { confidence: result.confidence }),
    ...(referenceImageKey ? { referenceImageKey } : {}),
    at: new Date().toISOString(),
  };
  // A retried step may find its own attempt recorded already: it is weighed once.
  const earlier = (record?.livenessAttempts ?? []).filter((a) => a.sessionId !== livenessSessionId);
  const best = bestAttempt([...earlier, entry]);
  await cases.recordLivenessAttempt(
    caseId,
    entry,
    best === entry && referenceImageKey ? { referenceImageKey, auditImageKeys } : undefined,
  );
  logger.info('Liveness attempt evaluated', {
    verdict,
    sessionStatus: result.status,
    ...(best ? { bestAttempt: best.attempt } : {}),
  });
  return {
    verdict,
    attempt,
    confidence: result.confidence ?? 0,
    referenceImageKey: best?.referenceImageKey ?? null,
    responseTimeoutSeconds: profile.applicantResponseSeconds,
  };
};
