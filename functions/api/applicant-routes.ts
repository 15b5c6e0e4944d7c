import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  type CaseRecord,
  ConditionFailedError,
  type CreationRecord,
  caseRepository,
} from '../adapters/case-repository.js';
import { type IdEvidence, pinIdImage } from '../adapters/id-evidence.js';
import {
  idImageContentTypes,
  imageKeys,
  imageStore,
  maxIdImageBytes,
} from '../adapters/image-store.js';
import { faceService } from '../adapters/rekognition.js';
import { ExecutionConflictError, TaskTokenExpiredError, workflow } from '../adapters/workflow.js';
import { applicantView, type PendingAction } from '../domain/case.js';
import {
  IdImageInvalidError,
  IdImageMissingError,
  LivenessSessionNotFoundError,
} from '../domain/errors.js';
import { isFailedAttempt, isSettled, longestWait } from '../domain/liveness-limits.js';
import { profileIds } from '../domain/profiles.js';
import { loadConfig } from '../shared/config.js';
import { limitSubjects, livenessLimiter } from '../shared/liveness-limits.js';
import { logger } from '../shared/logger.js';
import { profiles } from '../shared/profiles.js';
import { caseIdSchema } from '../shared/task-input.js';
import {
  caseSecretMatches,
  hashCaseSecret,
  livenessRequestToken,
  newCaseSecret,
} from './case-secret.js';
import { deviceIdSchema, deviceKeyOf } from './device-key.js';
import { badRequest, conflict, notFound, tooManyRequests, unauthorized } from './errors.js';
import { type HttpEvent, header, json, parseBody, type RouteHandler, validate } from './http.js';
import { type ApplicantRouteKey, caseSecretHeader } from './route-keys.js';

const config = loadConfig(['UPLOAD_URL_TTL_SECONDS', 'LIVENESS_KMS_KEY_ID']);
const cases = caseRepository();
const images = imageStore();
const faces = faceService();
const workflows = workflow();
const profilesInForce = profiles();
const limiter = livenessLimiter();

/** How long a repeated create call with the same client token gets the same case. */
const creationWindowSeconds = 15 * 60;
/** How long a creation may take before a repeated call takes it over. */
const creationLockSeconds = 10;
const auditImagesLimit = 2;
/** Rekognition expires a session not completed within 3 minutes of its creation. */
const sessionLifetimeSeconds = 180;

const clientToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8-64 characters [A-Za-z0-9_-]');
const contentType = z.enum(idImageContentTypes);

const createCaseBody = z.object({
  profile: z.enum(profileIds),
  clientToken,
  idImageContentType: contentType.default('image/jpeg'),
  deviceId: deviceIdSchema.optional(),
});
const newSessionBody = z.object({ clientToken, deviceId: deviceIdSchema.optional() });
/** `back`: the second page AnalyzeID reads (a US driver licence's barcode side). */
const uploadUrlBody = z.object({ contentType, page: z.enum(['front', 'back']).default('front') });
const submitBody = z.object({ livenessSessionId: z.string().min(1).max(128).optional() });

const nowIso = () => new Date().toISOString();
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function uploadTarget(key: string, type: z.output<typeof contentType>) {
  return {
    url: await images.presignUpload(key, type, config.UPLOAD_URL_TTL_SECONDS),
    method: 'PUT',
    // Both signed: the URL only creates the object, of this type.
    headers: { 'content-type': type, 'if-none-match': '*' },
    maxBytes: maxIdImageBytes,
    expiresInSeconds: config.UPLOAD_URL_TTL_SECONDS,
  };
}

async function createSession(caseId: string, token: string): Promise<string> {
  return faces.createLivenessSession({
    clientRequestToken: livenessRequestToken(caseId, token),
    bucket: images.bucketName,
    keyPrefix: imageKeys.livenessPrefix(caseId),
    ...(config.LIVENESS_KMS_KEY_ID ? { kmsKeyId: config.LIVENESS_KMS_KEY_ID } : {}),
    auditImagesLimit,
  });
}

/** The generic answer while a liveness cool-down is in force: no count, no score. */
const coolDown = (retryAfterSeconds: number) => {
  logger.warn('Liveness cool-down in force', { retryAfterSeconds });
  return tooManyRequests(
    'LIVENESS_COOL_DOWN',
    'Too many face check attempts. Please try again later.',
    retryAfterSeconds,
  );
};

/** Every step is idempotent, so a call that takes over a lapsed creation just redoes them. */
async function completeCreation(creation: CreationRecord, deviceKey: string): Promise<string> {
  const sessionId = await createSession(creation.caseId, creation.clientToken);
  const at = nowIso();
  await cases.createCase({
    caseId: creation.caseId,
    profileId: creation.profileId,
    status: 'CREATED',
    createdAt: at,
    updatedAt: at,
    secretHash: hashCaseSecret(creation.caseSecret),
    deviceKey,
    livenessSessions: { [creation.clientToken]: { sessionId, createdAt: at, deviceKey } },
    usedLivenessSessionIds: [],
    idImageKey: imageKeys.idImage(creation.caseId, 1),
    idAttempt: 1,
    livenessAttempts: [],
    auditImageKeys: [],
    audit: [{ at, actor: 'applicant', action: 'CREATED' }],
  });
  await cases.completeCreation(creation.clientToken, sessionId);
  return sessionId;
}

/** Waits for a concurrent call with the same client token (React StrictMode) to finish. */
async function awaitCreation(
  token: string,
  seen: CreationRecord,
  deviceKey: string,
): Promise<CreationRecord & { livenessSessionId: string }> {
  let current = seen;
  for (let polls = 0; polls < 30; polls += 1) {
    if (current.status === 'COMPLETED' && current.livenessSessionId) {
      return current as CreationRecord & { livenessSessionId: string };
    }
    if (current.lockedUntil < nowSeconds()) {
      const lockedUntil = nowSeconds() + creationLockSeconds;
      if (await cases.relockCreation(token, current.lockedUntil, lockedUntil)) {
        return { ...current, livenessSessionId: await completeCreation(current, deviceKey) };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    current = (await cases.getCreation(token)) ?? current;
  }
  throw tooManyRequests('REQUEST_IN_PROGRESS', 'The same request is still being processed', 1);
}

const createCase: RouteHandler = async (event) => {
  const body = parseBody(event, createCaseBody);
  const deviceKey = deviceKeyOf(event, body.deviceId);
  const wait = (await limiter.status(limitSubjects.device(deviceKey))).retryAfterSeconds;
  if (wait > 0) throw coolDown(wait);
  const proposed: CreationRecord = {
    clientToken: body.clientToken,
    status: 'IN_PROGRESS',
    caseId: randomUUID(),
    caseSecret: newCaseSecret(),
    profileId: body.profile,
    lockedUntil: nowSeconds() + creationLockSeconds,
    deviceKey,
  };
  const { reserved, record } = await cases.reserveCreation(
    proposed,
    nowSeconds(),
    creationWindowSeconds,
  );
  // A replay from another device must not learn the case or its secret.
  if (record.profileId !== body.profile || record.deviceKey !== deviceKey) {
    throw conflict('CLIENT_TOKEN_REUSED', 'This client token was used for another request');
  }
  const done = reserved
    ? { ...record, livenessSessionId: await completeCreation(record, deviceKey) }
    : await awaitCreation(body.clientToken, record, deviceKey);
  logger.appendKeys({ caseId: done.caseId });
  logger.info('Case created', { profileId: done.profileId, replayed: !reserved });
  return json(201, {
    caseId: done.caseId,
    caseSecret: done.caseSecret,
    profile: done.profileId,
    livenessSessionId: done.livenessSessionId,
    idUpload: await uploadTarget(imageKeys.idImage(done.caseId, 1), body.idImageContentType),
  });
};

/** The case the request names, if the x-case-secret header proves ownership. */
async function authorizedCase(event: HttpEvent): Promise<CaseRecord> {
  const caseId = validate(caseIdSchema, event.pathParameters?.caseId, 'The case id is not valid');
  const secret = header(event, caseSecretHeader);
  if (!secret) throw unauthorized(`The ${caseSecretHeader} header is required`);
  const record = await cases.getCase(caseId);
  if (!record) throw notFound();
  if (!caseSecretMatches(secret, record.secretHash))
    throw unauthorized('The case secret does not match');
  logger.appendKeys({ caseId });
  return record;
}

function view(
  record: Pick<CaseRecord, 'caseId' | 'status'> & Partial<Pick<CaseRecord, 'livenessAttempts'>>,
): Record<string, unknown> {
  const lastSession = record.livenessAttempts?.at(-1)?.status;
  return { caseId: record.caseId, ...applicantView(record.status, lastSession) };
}

const getCase: RouteHandler = async (event) => json(200, view(await authorizedCase(event)));

/**
 * Learns the outcome of the case's recent sessions that were never submitted (the detector
 * failed or timed out, the applicant gave up) and counts the failed ones against the case and
 * the device that ran them, once each.
 */
async function settleUnsubmittedSessions(record: CaseRecord): Promise<void> {
  const profile = profilesInForce[record.profileId];
  const oldest = Date.now() - (limiter.policy.windowSeconds + sessionLifetimeSeconds) * 1000;
  const open = Object.entries(record.livenessSessions).filter(
    ([, session]) =>
      !session.settled &&
      !record.usedLivenessSessionIds.includes(session.sessionId) &&
      Date.parse(session.createdAt) >= oldest,
  );
  const results = await Promise.all(
    open.map(([, session]) =>
      faces.getLivenessResult(session.sessionId).catch((error: unknown) => {
        if (error instanceof LivenessSessionNotFoundError) return undefined;
        throw error;
      }),
    ),
  );
  // One after the other: failures of one case write the same limit items.
  for (const [index, [token, session]] of open.entries()) {
    const result = results[index];
    if (result && !isSettled(result)) continue;
    const failed = result !== undefined && isFailedAttempt(profile, result, false);
    if (failed) {
      await limiter.recordCaseFailure({
        caseId: record.caseId,
        deviceKey: session.deviceKey ?? record.deviceKey,
        sessionId: session.sessionId,
        actor: 'applicant',
      });
    }
    await cases.settleLivenessSession(
      record.caseId,
      token,
      failed ? 'FAILURE' : 'NO_FAILURE',
      nowIso(),
    );
  }
}

const newLivenessSession: RouteHandler = async (event) => {
  const record = await authorizedCase(event);
  const body = parseBody(event, newSessionBody);
  if (record.status !== 'CREATED' && record.status !== 'AWAITING_LIVENESS_RETRY') {
    throw conflict('CASE_STATE_CONFLICT', 'The case does not expect a liveness check now');
  }
  const existing = record.livenessSessions[body.clientToken];
  if (existing) return json(201, { livenessSessionId: existing.sessionId });
  const deviceKey = deviceKeyOf(event, body.deviceId);
  await settleUnsubmittedSessions(record);
  const wait = longestWait(
    await Promise.all([
      limiter.status(limitSubjects.case(record.caseId)),
      limiter.status(limitSubjects.device(deviceKey)),
    ]),
  );
  if (wait > 0) throw coolDown(wait);
  const limit = profilesInForce[record.profileId].liveness.maxAttempts * 3;
  if (Object.keys(record.livenessSessions).length >= limit) {
    throw tooManyRequests(
      'LIVENESS_SESSION_LIMIT',
      'No more liveness sessions for this case',
      3600,
    );
  }
  const sessionId = await createSession(record.caseId, body.clientToken);
  const entry = await cases.addLivenessSession(
    record.caseId,
    body.clientToken,
    { sessionId, createdAt: nowIso(), deviceKey },
    nowIso(),
  );
  logger.info('Liveness session created');
  return json(201, { livenessSessionId: entry.sessionId });
};

const idUploadUrl: RouteHandler = async (event) => {
  const record = await authorizedCase(event);
  const body = parseBody(event, uploadUrlBody);
  if (record.status !== 'CREATED' && record.status !== 'AWAITING_ID') {
    throw conflict('CASE_STATE_CONFLICT', 'The case does not expect an ID photo now');
  }
  const back = imageKeys.idBackImage(record.caseId, record.idAttempt);
  const key = body.page === 'back' ? back : record.idImageKey;
  // The URL only creates the object: a new photo of this attempt replaces the old one here.
  // A new front starts the attempt over (the web app sends the back after it), so a back
  // left from another document cannot be pinned with this one.
  await images.delete(key);
  if (body.page === 'front') await images.delete(back);
  return json(201, { idUpload: await uploadTarget(key, body.contentType) });
};

/**
 * Pins the applicant's ID photo of the case's current attempt, and its back page when
 * uploaded (write-once copies the checks and the reviewer read); a clear 4xx when there is none or it is not usable.
 */
async function pinnedIdImage(record: CaseRecord, required: boolean): Promise<IdEvidence | null> {
  try {
    return await pinIdImage(images, record.caseId, record.idAttempt, nowIso());
  } catch (error) {
    if (error instanceof IdImageMissingError) {
      if (required) throw conflict('ID_IMAGE_REQUIRED', 'Upload the ID photo first');
      return null;
    }
    if (error instanceof IdImageInvalidError) {
      throw badRequest(
        'ID_IMAGE_INVALID',
        `The ID photo must be a JPEG or PNG of at most ${maxIdImageBytes} bytes`,
      );
    }
    throw error;
  }
}

function requireKnownSession(record: CaseRecord, sessionId: string | undefined): string {
  const known = Object.values(record.livenessSessions).some((s) => s.sessionId === sessionId);
  if (!sessionId || !known) {
    throw badRequest(
      'UNKNOWN_LIVENESS_SESSION',
      'The liveness session does not belong to this case',
    );
  }
  if (record.usedLivenessSessionIds.includes(sessionId)) {
    throw conflict(
      'LIVENESS_SESSION_USED',
      'This liveness session was already submitted; start a new one',
    );
  }
  return sessionId;
}

async function startWorkflow(record: CaseRecord, sessionId: string): Promise<void> {
  const required = profilesInForce[record.profileId].idDocument === 'REQUIRED';
  const idEvidence = await pinnedIdImage(record, required);
  let executionArn: string;
  try {
    executionArn = await workflows.start({
      caseId: record.caseId,
      profileId: record.profileId,
      livenessSessionId: sessionId,
      livenessAttempt: 1,
      idImageKey: idEvidence?.key ?? null,
      idBackImageKey: idEvidence?.back?.key ?? null,
      idAttempt: 1,
    });
  } catch (error) {
    if (error instanceof ExecutionConflictError)
      throw conflict('ALREADY_SUBMITTED', 'The case was already submitted');
    throw error;
  }
  try {
    await cases.markSubmitted(record.caseId, { executionArn, idEvidence, sessionId, at: nowIso() });
  } catch (error) {
    // A concurrent identical submission got there first: same execution, nothing to do.
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  logger.info('Workflow started', { executionArn });
}

/** Hands the applicant's new input to the workflow waiting on the case's task token. */
async function resumeWorkflow(
  record: CaseRecord,
  action: PendingAction,
  output: Record<string, unknown>,
  recorded: { usedSession?: string; sets?: Record<string, unknown> } = {},
): Promise<void> {
  const at = nowIso();
  let task: Awaited<ReturnType<typeof cases.claimPendingTask>>;
  try {
    task = await cases.claimPendingTask(record.caseId, action, {
      at,
      actor: 'applicant',
      ...(recorded.usedSession ? { appendUsedSession: recorded.usedSession } : {}),
      ...(recorded.sets ? { sets: recorded.sets } : {}),
    });
  } catch (error) {
    if (error instanceof ConditionFailedError)
      throw conflict('CASE_STATE_CONFLICT', 'The case is not waiting for this');
    throw error;
  }
  try {
    await workflows.resume(task.token, output);
  } catch (error) {
    await cases.restorePendingTask(record.caseId, task, nowIso());
    if (error instanceof TaskTokenExpiredError)
      throw conflict('STEP_EXPIRED', 'This step has expired');
    throw error;
  }
  logger.info('Workflow resumed', { action });
}

const submit: RouteHandler = async (event) => {
  const record = await authorizedCase(event);
  const body = parseBody(event, submitBody);
  switch (record.status) {
    case 'CREATED':
      await startWorkflow(record, requireKnownSession(record, body.livenessSessionId));
      break;
    case 'AWAITING_LIVENESS_RETRY': {
      const sessionId = requireKnownSession(record, body.livenessSessionId);
      await resumeWorkflow(
        record,
        'LIVENESS_RETRY',
        { livenessSessionId: sessionId },
        { usedSession: sessionId },
      );
      break;
    }
    case 'AWAITING_ID': {
      const idEvidence = (await pinnedIdImage(record, true)) as IdEvidence;
      await resumeWorkflow(
        record,
        'ID_RESUBMIT',
        { idImageKey: idEvidence.key, idBackImageKey: idEvidence.back?.key ?? null },
        { sets: { idEvidence } },
      );
      break;
    }
    default:
      throw conflict('CASE_STATE_CONFLICT', 'The case does not expect a submission now');
  }
  return json(202, view({ caseId: record.caseId, status: 'PROCESSING' }));
};

export const applicantRoutes: Readonly<Record<ApplicantRouteKey, RouteHandler>> = {
  'POST /cases': createCase,
  'GET /cases/{caseId}': getCase,
  'POST /cases/{caseId}/liveness-sessions': newLivenessSession,
  'POST /cases/{caseId}/id-upload-url': idUploadUrl,
  'POST /cases/{caseId}/submit': submit,
};
