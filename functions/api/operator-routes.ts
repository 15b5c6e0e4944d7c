import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import {
  type CaseRecord,
  ConditionFailedError,
  caseRepository,
  InvalidCursorError,
} from '../adapters/case-repository.js';
import { caseImageKeys, imageKeys, imageStore } from '../adapters/image-store.js';
import { TaskTokenExpiredError, workflow } from '../adapters/workflow.js';
import { type CaseStatus, caseStatuses } from '../domain/case.js';
import { profileIds } from '../domain/profiles.js';
import { loadConfig } from '../shared/config.js';
import { limitSubjects, livenessLimiter } from '../shared/liveness-limits.js';
import { logger } from '../shared/logger.js';
import { caseIdSchema } from '../shared/task-input.js';
import { ApiError, badRequest, conflict, forbidden, notFound } from './errors.js';
import { type HttpEvent, json, parseBody, type RouteHandler, validate } from './http.js';
import { groupsOf } from './operator-groups.js';
import type { OperatorRouteKey } from './route-keys.js';

const config = loadConfig(['OPERATOR_GROUP', 'EVIDENCE_URL_TTL_SECONDS']);
const cases = caseRepository();
const images = imageStore();
const workflows = workflow();
const limiter = livenessLimiter();

const day = 86_400_000;
const maxRangeDays = 366;

/** The signed-in operator, from the Cognito JWT the API's authorizer verified. */
function operatorOf(event: HttpEvent): string {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in as an operator');
  if (!groupsOf(claims['cognito:groups']).includes(config.OPERATOR_GROUP)) {
    throw forbidden('Operators only');
  }
  const id = claims['cognito:username'] ?? claims.username ?? claims.sub;
  if (typeof id !== 'string' || id === '')
    throw new ApiError(401, 'UNAUTHORIZED', 'The token names no user');
  logger.appendKeys({ operator: id });
  return id;
}

const isoInstant = z.iso.datetime({ offset: true });
const listQuery = z.object({
  status: z.enum(caseStatuses).optional(),
  profile: z.enum(profileIds).optional(),
  caseId: caseIdSchema.optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
const queueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
const erasureBody = z.object({ reason: z.string().trim().min(3).max(1000) });
/** States in which the workflow has ended: nothing will read or write the case's images again. */
const erasableStatuses: readonly CaseStatus[] = ['APPROVED', 'REJECTED', 'ABANDONED', 'FAILED'];
const reviewBody = z.object({
  outcome: z.enum(['APPROVED', 'REJECTED']),
  reason: z.string().trim().min(3).max(1000),
});

function summary(record: CaseRecord) {
  return {
    caseId: record.caseId,
    profileId: record.profileId,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    executionArn: record.executionArn ?? null,
    outcome: record.verdict?.outcome ?? null,
    pendingAction: record.pendingTask?.action ?? null,
  };
}

function withCursorErrors<T>(run: () => Promise<T>): Promise<T> {
  return run().catch((error: unknown) => {
    if (error instanceof InvalidCursorError) throw badRequest('INVALID_CURSOR', error.message);
    throw error;
  });
}

const listExecutions: RouteHandler = async (event) => {
  operatorOf(event);
  const query = validate(listQuery, event.queryStringParameters ?? {}, 'The query is not valid');
  if (query.caseId) {
    const record = await cases.getCase(query.caseId);
    return json(200, { items: record ? [summary(record)] : [] });
  }
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * day);
  if (from > to || to.getTime() - from.getTime() > maxRangeDays * day) {
    throw badRequest(
      'INVALID_DATE_RANGE',
      `from must precede to, at most ${maxRangeDays} days apart`,
    );
  }
  const page = await withCursorErrors(() =>
    cases.listCases({
      from: from.toISOString(),
      to: to.toISOString(),
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.profile ? { profileId: query.profile } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    }),
  );
  return json(200, {
    items: page.items.map(summary),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
};

/** One history event, trimmed to what the timeline shows. */
export function timelineEntry(event: HistoryEvent) {
  const entered = event.stateEnteredEventDetails ?? event.stateExitedEventDetails;
  const failure =
    event.taskFailedEventDetails ??
    event.executionFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.executionAbortedEventDetails;
  const scheduled = event.taskScheduledEventDetails;
  let functionName: string | undefined;
  if (scheduled?.parameters) {
    try {
      const name = (JSON.parse(scheduled.parameters) as { FunctionName?: string }).FunctionName;
      functionName = name?.split(':').pop();
    } catch {
      functionName = undefined;
    }
  }
  return {
    id: event.id,
    timestamp: event.timestamp,
    type: event.type,
    ...(entered?.name ? { state: entered.name } : {}),
    ...(functionName ? { function: functionName } : {}),
    ...(failure?.error ? { error: failure.error } : {}),
    ...(failure?.cause ? { cause: failure.cause.slice(0, 500) } : {}),
  };
}

/**
 * Presigned URLs for the images that are still stored. Images deleted by the retention rule
 * are listed in `missing`; an erased case has none at all.
 */
async function evidenceUrls(record: CaseRecord) {
  const none = { expiresInSeconds: config.EVIDENCE_URL_TTL_SECONDS, missing: [] };
  if (record.erasure) {
    return { ...none, referenceImage: null, auditImages: [], idImage: null, idBackImage: null };
  }
  const signIfStored = async (key: string | undefined) =>
    key && (await images.head(key))
      ? images.presignDownload(key, config.EVIDENCE_URL_TTL_SECONDS)
      : null;
  const [referenceImage, idImage, idBackImage, ...audits] = await Promise.all([
    signIfStored(record.referenceImageKey),
    // The pinned copy the checks read; the upload key is the applicant's, not evidence.
    signIfStored(record.idEvidence?.key),
    signIfStored(record.idEvidence?.back?.key),
    ...record.auditImageKeys.map(signIfStored),
  ]);
  const missing = [
    ...(record.referenceImageKey && !referenceImage ? ['referenceImage'] : []),
    // Before submission (or while a new ID photo is awaited) no ID image is expected yet.
    ...(record.status !== 'CREATED' && record.status !== 'AWAITING_ID' && !idImage
      ? ['idImage']
      : []),
    ...(record.idEvidence?.back && !idBackImage ? ['idBackImage'] : []),
    ...audits.flatMap((url, index) => (url ? [] : [`auditImage${index + 1}`])),
  ];
  return {
    ...none,
    referenceImage,
    auditImages: audits.filter((url): url is string => url !== null),
    idImage,
    idBackImage,
    missing,
  };
}

/** The liveness limits of a case and of every device that asked for one of its sessions. */
async function livenessLimits(record: CaseRecord) {
  const view = async (subject: string) => {
    const status = await limiter.status(subject);
    return {
      failuresInWindow: status.failuresInWindow,
      coolDownUntil:
        status.coolDownUntil === null ? null : new Date(status.coolDownUntil * 1000).toISOString(),
    };
  };
  const deviceKeys = new Set(
    [record.deviceKey, ...Object.values(record.livenessSessions).map((s) => s.deviceKey)].filter(
      (key): key is string => key !== undefined,
    ),
  );
  return {
    policy: limiter.policy,
    case: await view(limitSubjects.case(record.caseId)),
    devices: await Promise.all(
      [...deviceKeys].map(async (deviceKey) => ({
        deviceKey,
        ...(await view(limitSubjects.device(deviceKey))),
      })),
    ),
  };
}

const getExecution: RouteHandler = async (event) => {
  operatorOf(event);
  const caseId = validate(caseIdSchema, event.pathParameters?.caseId, 'The case id is not valid');
  const record = await cases.getCase(caseId);
  if (!record) throw notFound();
  const { secretHash: _secret, pendingTask, ...details } = record;
  const execution = record.executionArn ? await workflows.describe(record.executionArn) : undefined;
  const history = record.executionArn ? await workflows.history(record.executionArn) : [];
  logger.info('Case inspected', { caseId });
  return json(200, {
    case: { ...details, pendingAction: pendingTask?.action ?? null },
    execution: execution
      ? {
          executionArn: execution.executionArn,
          status: execution.status,
          startDate: execution.startDate,
          stopDate: execution.stopDate ?? null,
          error: execution.error ?? null,
          cause: execution.cause ?? null,
        }
      : null,
    timeline: history.map(timelineEntry),
    evidence: await evidenceUrls(record),
    livenessLimits: await livenessLimits(record),
  });
};

const reviewQueue: RouteHandler = async (event) => {
  operatorOf(event);
  const query = validate(queueQuery, event.queryStringParameters ?? {}, 'The query is not valid');
  const page = await withCursorErrors(() => cases.listReviewQueue(query.limit, query.cursor));
  return json(200, {
    items: page.items.map((record) => ({
      ...summary(record),
      queuedAt: record.queuedAt ?? null,
      reasonCodes: record.reviewReasonCodes ?? [],
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
};

/**
 * Settles a review: the decision is stored with the operator and time before the workflow is
 * resumed, and put back if resuming fails, so a decision is never half-made.
 */
const settleReview: RouteHandler = async (event) => {
  const reviewerId = operatorOf(event);
  const caseId = validate(caseIdSchema, event.pathParameters?.caseId, 'The case id is not valid');
  const body = parseBody(event, reviewBody);
  const decidedAt = new Date().toISOString();
  const review = { outcome: body.outcome, reason: body.reason, reviewerId, decidedAt };
  let task: Awaited<ReturnType<typeof cases.claimPendingTask>>;
  try {
    task = await cases.claimPendingTask(caseId, 'REVIEW', {
      at: decidedAt,
      actor: `operator:${reviewerId}`,
      sets: { review },
      detail: `${body.outcome}: ${body.reason}`,
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      throw (await cases.getCase(caseId))
        ? conflict('NOT_IN_REVIEW', 'The case is not waiting for a review')
        : notFound();
    }
    throw error;
  }
  try {
    // The reason stays on the case record; the execution history gets no free text.
    await workflows.resume(task.token, { outcome: body.outcome, reviewerId, decidedAt });
  } catch (error) {
    await cases.restorePendingTask(caseId, task, new Date().toISOString());
    if (error instanceof TaskTokenExpiredError)
      throw conflict('REVIEW_EXPIRED', 'The review timed out');
    throw error;
  }
  logger.info('Review settled', { caseId, outcome: body.outcome });
  return json(200, { caseId, outcome: body.outcome, reviewerId, decidedAt });
};

/**
 * Erases a case's personal data once its workflow has ended: every image under the case's
 * prefix (each upload key then sealed, so an upload URL still valid stores nothing), then
 * the personal fields of the record, leaving a tombstone. Repeating it answers
 * the same tombstone. The execution history is left as it is: it carries ids, keys, scores
 * and reason codes, no document fields and no image.
 */
const eraseCase: RouteHandler = async (event) => {
  const operator = operatorOf(event);
  const caseId = validate(caseIdSchema, event.pathParameters?.caseId, 'The case id is not valid');
  const body = parseBody(event, erasureBody);
  const record = await cases.getCase(caseId);
  if (!record) throw notFound();
  if (record.erasure) return json(200, { caseId, erasure: record.erasure });
  const running = record.executionArn
    ? (await workflows.describe(record.executionArn))?.status === 'RUNNING'
    : false;
  if (!erasableStatuses.includes(record.status) || running) {
    throw conflict('CASE_STATE_CONFLICT', 'Only a case whose workflow has ended can be erased');
  }
  const deleted = await images.deleteAll(
    caseImageKeys({
      caseId,
      idAttempt: record.idAttempt,
      sessionIds: [
        ...Object.values(record.livenessSessions).map((session) => session.sessionId),
        ...record.usedLivenessSessionIds,
        ...record.livenessAttempts.map((attempt) => attempt.sessionId),
      ],
      recordedKeys: [
        record.idImageKey,
        ...(record.idEvidence ? [record.idEvidence.key] : []),
        ...(record.idEvidence?.back ? [record.idEvidence.back.key] : []),
        ...(record.referenceImageKey ? [record.referenceImageKey] : []),
        ...record.auditImageKeys,
      ],
    }),
  );
  const uploadsSealed = Array.from({ length: record.idAttempt }, (_, index) => [
    imageKeys.idImage(caseId, index + 1),
    imageKeys.idBackImage(caseId, index + 1),
  ]).flat();
  await images.seal(uploadsSealed);
  const erasure = {
    erasedAt: new Date().toISOString(),
    erasedBy: operator,
    reason: body.reason,
    imagesDeleted: deleted.length,
    uploadsSealed,
    fieldsErased: [
      ...(record.document ? ['document'] : []),
      ...(record.ageEstimate ? ['ageEstimate'] : []),
      ...(record.idEvidence ? ['idEvidence'] : []),
      ...(record.decision ? ['decision.reasons.detail'] : []),
      ...(record.referenceImageKey ? ['referenceImageKey'] : []),
      ...(record.auditImageKeys.length ? ['auditImageKeys'] : []),
    ],
  };
  try {
    await cases.eraseCase(caseId, erasure, {
      statuses: erasableStatuses,
      ...(record.decision ? { decision: record.decision } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    // A concurrent erasure won: answer its tombstone.
    const current = await cases.getCase(caseId);
    if (!current) throw notFound();
    if (current.erasure) return json(200, { caseId, erasure: current.erasure });
    throw conflict('CASE_STATE_CONFLICT', 'Only a case whose workflow has ended can be erased');
  }
  // The reason is free text: it stays on the record, out of the logs.
  logger.info('Case personal data erased', { caseId, imagesDeleted: deleted.length });
  return json(200, { caseId, erasure });
};

export const operatorRoutes: Readonly<Record<OperatorRouteKey, RouteHandler>> = {
  'GET /ops/executions': listExecutions,
  'GET /ops/executions/{caseId}': getExecution,
  'GET /ops/reviews': reviewQueue,
  'POST /ops/reviews/{caseId}': settleReview,
  'POST /ops/cases/{caseId}/erasure': eraseCase,
};
