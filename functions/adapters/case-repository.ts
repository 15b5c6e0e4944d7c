import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CaseStatus, PendingAction } from '../domain/case.js';
import { pendingStatusOf } from '../domain/case.js';
import type { Decision } from '../domain/decision.js';
import type { DocumentFacts } from '../domain/document.js';
import { CaseNotFoundError } from '../domain/errors.js';
import type { LivenessVerdict } from '../domain/liveness-gate.js';
import type { LivenessLimitState } from '../domain/liveness-limits.js';
import type { FinalOutcome, ProfileId } from '../domain/profiles.js';
import { sdkClientDefaults } from '../shared/aws-sdk.js';
import { loadConfig } from '../shared/config.js';
import { once } from '../shared/once.js';
import { callAws } from './aws-errors.js';
import type { IdEvidence } from './id-evidence.js';
import type { FaceEstimate } from './rekognition.js';

export interface AuditEntry {
  readonly at: string;
  /** `applicant`, `workflow` or `operator:<id>`. */
  readonly actor: string;
  readonly action: string;
  readonly detail?: string;
}

export interface LivenessSessionEntry {
  readonly sessionId: string;
  readonly createdAt: string;
  /** Hash of the device that asked for the session (see functions/api/device-key.ts). */
  readonly deviceKey?: string;
  /** Set once the outcome of a session never submitted is known and counted (or not). */
  readonly settled?: 'FAILURE' | 'NO_FAILURE';
}

export interface LivenessAttemptEntry {
  readonly sessionId: string;
  readonly attempt: number;
  readonly status: string;
  readonly confidence?: number;
  /** The liveness gate's verdict on this attempt (absent on records from before it was kept). */
  readonly verdict?: LivenessVerdict;
  /** Where this attempt's reference image is, when the session left one. */
  readonly referenceImageKey?: string;
  readonly at: string;
}

export interface PendingTask {
  readonly action: PendingAction;
  readonly token: string;
  readonly attempt: number;
  readonly issuedAt: string;
}

export type VerdictSource = 'AUTOMATED' | 'REVIEWER' | 'REVIEW_TIMEOUT';

/** What stays of an erased case's personal data: who erased it, when, why and what went. */
export interface ErasureTombstone {
  readonly erasedAt: string;
  readonly erasedBy: string;
  readonly reason: string;
  /** How many image objects were found and deleted under the case's prefix. */
  readonly imagesDeleted: number;
  /** The case record's fields that were removed or blanked. */
  readonly fieldsErased: readonly string[];
  /** Upload keys left holding an empty object, so that no upload URL can write there again. */
  readonly uploadsSealed?: readonly string[];
}

export interface CaseRecord {
  readonly caseId: string;
  readonly profileId: ProfileId;
  readonly status: CaseStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** SHA-256 of the applicant's case secret; the secret itself is never stored here. */
  readonly secretHash: string;
  /** Hash of the device that created the case; its liveness failures count against it. */
  readonly deviceKey?: string;
  /** Liveness sessions created for the case, keyed by the client token that asked for them. */
  readonly livenessSessions: Readonly<Record<string, LivenessSessionEntry>>;
  readonly usedLivenessSessionIds: readonly string[];
  /** Where the applicant uploads the current attempt's ID photo (the presigned URL's target). */
  readonly idImageKey: string;
  readonly idAttempt: number;
  /** The pinned copy of the last submitted ID photo: what the checks read and reviewers see. */
  readonly idEvidence?: IdEvidence;
  readonly executionArn?: string;
  readonly pendingTask?: PendingTask;
  readonly reviewQueue?: 'PENDING';
  readonly queuedAt?: string;
  readonly reviewReasonCodes?: readonly string[];
  readonly livenessAttempts: readonly LivenessAttemptEntry[];
  /** The best attempt's images: the ones the identity checks judged (see bestAttempt). */
  readonly referenceImageKey?: string;
  readonly auditImageKeys: readonly string[];
  readonly document?: {
    readonly attempt: number;
    readonly idType: string;
    readonly facts: DocumentFacts;
  };
  readonly faceMatch?: { readonly similarity: number | null; readonly facesOnId: number };
  readonly ageEstimate?: FaceEstimate;
  readonly decision?: Decision & { readonly decidedAt: string };
  readonly verdict?: {
    readonly outcome: string;
    readonly source: VerdictSource;
    readonly decidedAt: string;
  };
  readonly review?: {
    readonly outcome: FinalOutcome;
    readonly reason: string;
    readonly reviewerId: string;
    readonly decidedAt: string;
  };
  readonly audit: readonly AuditEntry[];
  readonly erasure?: ErasureTombstone;
}

/** What the create-case route stores under the client token to answer a repeated call alike. */
export interface CreationRecord {
  readonly clientToken: string;
  readonly status: 'IN_PROGRESS' | 'COMPLETED';
  readonly caseId: string;
  readonly caseSecret: string;
  readonly profileId: ProfileId;
  readonly lockedUntil: number;
  readonly livenessSessionId?: string;
  /** The device that made the call: only it gets the case (and its secret) on a replay. */
  readonly deviceKey?: string;
}

export class ConditionFailedError extends Error {
  override readonly name = 'ConditionFailedError';
}

const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
/** Failed liveness attempts of one subject (`CASE#<id>` or `DEVICE#<hash>`), with a TTL. */
const livenessLimitKey = (subject: string) => ({ pk: `LIVENESS_LIMIT#${subject}`, sk: 'LIMIT' });
const creationKey = (clientToken: string) => ({ pk: `CREATE#${clientToken}`, sk: 'CREATE' });
const monthPartition = (iso: string) => `CASES#${iso.slice(0, 7)}`;
const stripKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, listPartition: _lp, expiresAt: _ex, ...rest } = item;
  return rest as T;
};
const conditionFailed = { ConditionalCheckFailedException: () => new ConditionFailedError() };

/** A subject's liveness limit state with the version its next write is conditioned on. */
export interface LivenessLimitItem {
  readonly state: LivenessLimitState;
  readonly version: number;
}

export interface CasePage {
  readonly items: readonly CaseRecord[];
  readonly cursor?: string;
}

export interface CaseQuery {
  readonly from: string;
  readonly to: string;
  readonly status?: CaseStatus;
  readonly profileId?: ProfileId;
  readonly limit: number;
  readonly cursor?: string;
}

export class CaseRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const response = await callAws(() =>
      this.client.send(
        new GetCommand({ TableName: this.table, Key: caseKey(caseId), ConsistentRead: true }),
      ),
    );
    return response.Item ? stripKeys<CaseRecord>(response.Item) : undefined;
  }

  async requireCase(caseId: string): Promise<CaseRecord> {
    const record = await this.getCase(caseId);
    if (!record) throw new CaseNotFoundError(`Case ${caseId} does not exist`);
    return record;
  }

  /** Creates the case once; a second call with the same id is a no-op. */
  async createCase(record: CaseRecord): Promise<void> {
    try {
      await callAws(
        () =>
          this.client.send(
            new PutCommand({
              TableName: this.table,
              Item: {
                ...caseKey(record.caseId),
                listPartition: monthPartition(record.createdAt),
                ...record,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        conditionFailed,
      );
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }

  /**
   * Reserves a client token for a case creation. Returns the record now in force: the new one,
   * or the one an earlier call with the same token made (whose lock may have lapsed).
   */
  async reserveCreation(
    record: CreationRecord,
    nowSeconds: number,
    ttlSeconds: number,
  ): Promise<{ reserved: boolean; record: CreationRecord }> {
    try {
      await callAws(
        () =>
          this.client.send(
            new PutCommand({
              TableName: this.table,
              Item: {
                ...creationKey(record.clientToken),
                ...record,
                expiresAt: nowSeconds + ttlSeconds,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        conditionFailed,
      );
      return { reserved: true, record };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    const existing = await this.getCreation(record.clientToken);
    if (!existing) throw new ConditionFailedError('The creation record vanished');
    return { reserved: false, record: existing };
  }

  async getCreation(clientToken: string): Promise<CreationRecord | undefined> {
    const response = await callAws(() =>
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: creationKey(clientToken),
          ConsistentRead: true,
        }),
      ),
    );
    return response.Item ? stripKeys<CreationRecord>(response.Item) : undefined;
  }

  /** Takes over a creation whose first caller stopped before completing it. */
  async relockCreation(
    clientToken: string,
    expectedLock: number,
    lockedUntil: number,
  ): Promise<boolean> {
    try {
      await this.update(creationKey(clientToken), 'SET lockedUntil = :next', {
        condition: 'lockedUntil = :expected AND #status = :inProgress',
        names: { '#status': 'status' },
        values: { ':next': lockedUntil, ':expected': expectedLock, ':inProgress': 'IN_PROGRESS' },
      });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  async completeCreation(clientToken: string, livenessSessionId: string): Promise<void> {
    await this.update(
      creationKey(clientToken),
      'SET #status = :done, livenessSessionId = :session',
      {
        names: { '#status': 'status' },
        values: { ':done': 'COMPLETED', ':session': livenessSessionId },
      },
    );
  }

  /**
   * Records a liveness session under the client token that asked for it, unless one is
   * already there; returns the session in force for that token.
   */
  async addLivenessSession(
    caseId: string,
    clientToken: string,
    entry: LivenessSessionEntry,
    at: string,
  ) {
    const updated = await this.update(
      caseKey(caseId),
      'SET livenessSessions.#token = if_not_exists(livenessSessions.#token, :entry), updatedAt = :at',
      {
        names: { '#token': clientToken },
        values: { ':entry': entry, ':at': at },
        condition: 'attribute_exists(pk)',
        returnNew: true,
      },
    );
    return (updated as unknown as CaseRecord).livenessSessions[clientToken] as LivenessSessionEntry;
  }

  /** Marks a session never submitted as counted (or not) against the liveness limits. */
  async settleLivenessSession(
    caseId: string,
    clientToken: string,
    settled: NonNullable<LivenessSessionEntry['settled']>,
    at: string,
  ): Promise<void> {
    await this.update(
      caseKey(caseId),
      'SET livenessSessions.#token.settled = :settled, updatedAt = :at',
      {
        names: { '#token': clientToken },
        values: { ':settled': settled, ':at': at },
        condition: 'attribute_exists(livenessSessions.#token)',
      },
    );
  }

  async appendAudit(caseId: string, entries: readonly AuditEntry[]): Promise<void> {
    await this.update(caseKey(caseId), 'SET audit = list_append(audit, :audit)', {
      values: { ':audit': entries },
      condition: 'attribute_exists(pk)',
    });
  }

  async getLivenessLimit(subject: string): Promise<LivenessLimitItem | undefined> {
    const response = await callAws(() =>
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: livenessLimitKey(subject),
          ConsistentRead: true,
        }),
      ),
    );
    const item = response.Item;
    if (!item) return undefined;
    return {
      state: {
        failures: Array.isArray(item.failures) ? item.failures : [],
        ...(typeof item.coolDownUntil === 'number' ? { coolDownUntil: item.coolDownUntil } : {}),
      },
      version: typeof item.version === 'number' ? item.version : 0,
    };
  }

  /**
   * Writes a subject's new state only if nobody wrote it since it was read (`expectedVersion`,
   * undefined when there was no item): concurrent failures are all counted. Throws
   * ConditionFailedError when another write came first.
   */
  async saveLivenessLimit(
    subject: string,
    state: LivenessLimitState,
    expectedVersion: number | undefined,
    expiresAt: number,
  ): Promise<void> {
    await callAws(
      () =>
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...livenessLimitKey(subject),
              failures: state.failures,
              ...(state.coolDownUntil === undefined ? {} : { coolDownUntil: state.coolDownUntil }),
              version: (expectedVersion ?? 0) + 1,
              expiresAt,
            },
            ...(expectedVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
          }),
        ),
      conditionFailed,
    );
  }

  /** CREATED -> PROCESSING, once: the first submission starts the workflow. */
  async markSubmitted(
    caseId: string,
    update: {
      executionArn: string;
      idEvidence: IdEvidence | null;
      sessionId: string;
      at: string;
    },
  ) {
    const evidence = update.idEvidence ? ', idEvidence = :evidence' : '';
    await this.update(
      caseKey(caseId),
      `SET #status = :processing, executionArn = :arn, updatedAt = :at, usedLivenessSessionIds = list_append(usedLivenessSessionIds, :session), audit = list_append(audit, :audit)${evidence}`,
      {
        names: { '#status': 'status' },
        values: {
          ':processing': 'PROCESSING',
          ':created': 'CREATED',
          ':arn': update.executionArn,
          ':at': update.at,
          ':session': [update.sessionId],
          ':audit': [{ at: update.at, actor: 'applicant', action: 'SUBMITTED' }],
          ...(update.idEvidence ? { ':evidence': update.idEvidence } : {}),
        },
        condition: '#status = :created',
      },
    );
  }

  /** Stores the task token the workflow waits on and shows the matching status. */
  async setPendingTask(
    caseId: string,
    task: PendingTask,
    extra: { idImageKey?: string; idAttempt?: number; reasonCodes?: readonly string[] } = {},
  ): Promise<void> {
    const sets = [
      'pendingTask = :task',
      '#status = :status',
      'updatedAt = :at',
      'audit = list_append(audit, :audit)',
    ];
    const values: Record<string, unknown> = {
      ':task': task,
      ':status': pendingStatusOf[task.action],
      ':at': task.issuedAt,
      ':audit': [{ at: task.issuedAt, actor: 'workflow', action: `AWAITING_${task.action}` }],
    };
    if (extra.idImageKey !== undefined) {
      sets.push('idImageKey = :idKey', 'idAttempt = :idAttempt');
      values[':idKey'] = extra.idImageKey;
      values[':idAttempt'] = extra.idAttempt;
    }
    if (task.action === 'REVIEW') {
      sets.push('reviewQueue = :pending', 'queuedAt = :at', 'reviewReasonCodes = :codes');
      values[':pending'] = 'PENDING';
      values[':codes'] = extra.reasonCodes ?? [];
    }
    await this.update(caseKey(caseId), `SET ${sets.join(', ')}`, {
      names: { '#status': 'status' },
      values,
      condition: 'attribute_exists(pk)',
    });
  }

  /**
   * Takes the pending task token for an action, once: concurrent submissions cannot both
   * resume the workflow. Returns the task taken.
   */
  async claimPendingTask(
    caseId: string,
    action: PendingAction,
    claim: {
      at: string;
      actor: string;
      sets?: Record<string, unknown>;
      appendUsedSession?: string;
      detail?: string;
    },
  ): Promise<PendingTask> {
    const sets = ['#status = :processing', 'updatedAt = :at', 'audit = list_append(audit, :audit)'];
    const values: Record<string, unknown> = {
      ':processing': 'PROCESSING',
      ':action': action,
      ':at': claim.at,
      ':audit': [
        {
          at: claim.at,
          actor: claim.actor,
          action: `RESUMED_${action}`,
          ...(claim.detail ? { detail: claim.detail } : {}),
        },
      ],
    };
    // Attribute names go through placeholders: `action` and others are DynamoDB reserved words.
    const names: Record<string, string> = { '#status': 'status', '#action': 'action' };
    for (const [index, [name, value]] of Object.entries(claim.sets ?? {}).entries()) {
      sets.push(`#set${index} = :set${index}`);
      names[`#set${index}`] = name;
      values[`:set${index}`] = value;
    }
    if (claim.appendUsedSession) {
      sets.push('usedLivenessSessionIds = list_append(usedLivenessSessionIds, :used)');
      values[':used'] = [claim.appendUsedSession];
    }
    const removes =
      action === 'REVIEW' ? ' REMOVE pendingTask, reviewQueue' : ' REMOVE pendingTask';
    const old = await this.update(caseKey(caseId), `SET ${sets.join(', ')}${removes}`, {
      names,
      values,
      condition: 'pendingTask.#action = :action',
      returnOld: true,
    });
    return (old as unknown as CaseRecord).pendingTask as PendingTask;
  }

  /** Puts a claimed task back when resuming the workflow failed, so nothing is lost. */
  async restorePendingTask(caseId: string, task: PendingTask, at: string): Promise<void> {
    const extra = task.action === 'REVIEW' ? ', reviewQueue = :pending' : '';
    await this.update(
      caseKey(caseId),
      `SET pendingTask = :task, #status = :status, updatedAt = :at${extra}`,
      {
        names: { '#status': 'status' },
        values: {
          ':task': task,
          ':status': pendingStatusOf[task.action],
          ':at': at,
          ...(extra ? { ':pending': 'PENDING' } : {}),
        },
      },
    );
  }

  async recordLivenessAttempt(
    caseId: string,
    attempt: LivenessAttemptEntry,
    /** Given when this attempt is the best so far: its images become the case's evidence. */
    best?: { referenceImageKey: string; auditImageKeys: readonly string[] },
  ): Promise<void> {
    const sets = [
      'livenessAttempts = list_append(livenessAttempts, :attempt)',
      'updatedAt = :at',
      '#status = :processing',
    ];
    const values: Record<string, unknown> = {
      ':attempt': [attempt],
      ':at': attempt.at,
      ':processing': 'PROCESSING',
    };
    if (best) {
      sets.push('referenceImageKey = :ref', 'auditImageKeys = :audit');
      values[':ref'] = best.referenceImageKey;
      values[':audit'] = best.auditImageKeys;
    }
    await this.update(caseKey(caseId), `SET ${sets.join(', ')}`, {
      names: { '#status': 'status' },
      values,
      condition: 'attribute_exists(pk)',
    });
  }

  /** Stores one piece of evidence (document facts, face match, age estimate, decision). */
  async saveEvidence(
    caseId: string,
    evidence: Partial<Pick<CaseRecord, 'document' | 'faceMatch' | 'ageEstimate' | 'decision'>>,
    at: string,
  ): Promise<void> {
    const entries = Object.entries(evidence);
    const names = Object.fromEntries(entries.map(([name], index) => [`#e${index}`, name]));
    const values = Object.fromEntries(entries.map(([, value], index) => [`:e${index}`, value]));
    const sets = entries.map((_, index) => `#e${index} = :e${index}`);
    await this.update(caseKey(caseId), `SET ${[...sets, 'updatedAt = :at'].join(', ')}`, {
      names,
      values: { ...values, ':at': at },
      condition: 'attribute_exists(pk)',
    });
  }

  /** Stores the verdict once; a retry of the same step finds it stored and changes nothing. */
  async recordVerdict(
    caseId: string,
    verdict: NonNullable<CaseRecord['verdict']>,
    status: CaseStatus,
  ): Promise<'RECORDED' | 'ALREADY_RECORDED'> {
    try {
      await this.update(
        caseKey(caseId),
        'SET verdict = :verdict, #status = :status, updatedAt = :at, audit = list_append(audit, :audit) REMOVE pendingTask, reviewQueue',
        {
          names: { '#status': 'status' },
          values: {
            ':verdict': verdict,
            ':status': status,
            ':at': verdict.decidedAt,
            ':audit': [
              {
                at: verdict.decidedAt,
                actor: 'workflow',
                action: `VERDICT_${verdict.outcome}`,
                detail: verdict.source,
              },
            ],
          },
          condition: 'attribute_exists(pk) AND attribute_not_exists(verdict)',
        },
      );
      return 'RECORDED';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const record = await this.requireCase(caseId);
      if (!record.verdict) throw error;
      return 'ALREADY_RECORDED';
    }
  }

  /**
   * Removes the personal fields of a case that has ended and leaves the tombstone, once:
   * ConditionFailedError when the case is missing, already erased or not in one of `statuses`.
   * The decision keeps its outcome, codes and profile version; its details (which may quote
   * document values such as an expiry date or an age) are blanked.
   */
  async eraseCase(
    caseId: string,
    erasure: ErasureTombstone,
    options: { statuses: readonly CaseStatus[]; decision?: CaseRecord['decision'] },
  ): Promise<void> {
    const values: Record<string, unknown> = {
      ':erasure': erasure,
      ':at': erasure.erasedAt,
      ':none': [],
      ':audit': [
        {
          at: erasure.erasedAt,
          actor: `operator:${erasure.erasedBy}`,
          action: 'PERSONAL_DATA_ERASED',
          detail: erasure.reason,
        },
      ],
    };
    const sets = [
      'erasure = :erasure',
      'updatedAt = :at',
      'auditImageKeys = :none',
      'audit = list_append(audit, :audit)',
    ];
    if (options.decision) {
      sets.push('decision = :decision');
      values[':decision'] = {
        ...options.decision,
        reasons: options.decision.reasons.map((reason) => ({ ...reason, detail: '' })),
      };
    }
    const statuses = options.statuses.map((status, index) => {
      values[`:s${index}`] = status;
      return `:s${index}`;
    });
    await this.update(
      caseKey(caseId),
      `SET ${sets.join(', ')} REMOVE #document, ageEstimate, idEvidence, referenceImageKey`,
      {
        names: { '#status': 'status', '#document': 'document' },
        values,
        condition: `attribute_exists(pk) AND attribute_not_exists(erasure) AND #status IN (${statuses.join(', ')})`,
      },
    );
  }

  /** Cases created in [from, to] (ISO), newest first, optionally filtered; paged by cursor. */
  async listCases(query: CaseQuery): Promise<CasePage> {
    const months = monthsBetween(query.from, query.to).reverse();
    const start = query.cursor ? decodeCursor(query.cursor) : { month: months[0] ?? '' };
    const items: CaseRecord[] = [];
    let monthIndex = months.indexOf(start.month);
    // A cursor from another date range would otherwise end the listing silently.
    if (query.cursor && monthIndex < 0)
      throw new InvalidCursorError('The cursor is not for this range');
    let exclusiveStartKey = start.key;
    while (monthIndex >= 0 && monthIndex < months.length && items.length < query.limit) {
      const month = months[monthIndex] as string;
      const filters: string[] = [];
      const values: Record<string, unknown> = {
        ':p': `CASES#${month}`,
        ':from': query.from,
        ':to': query.to,
      };
      const names: Record<string, string> = {};
      if (query.status) {
        filters.push('#status = :status');
        names['#status'] = 'status';
        values[':status'] = query.status;
      }
      if (query.profileId) {
        filters.push('profileId = :profile');
        values[':profile'] = query.profileId;
      }
      const response = await callAws(
        () =>
          this.client.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: 'by-month',
              KeyConditionExpression: 'listPartition = :p AND createdAt BETWEEN :from AND :to',
              ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
              ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
              ExpressionAttributeValues: values,
              ScanIndexForward: false,
              Limit: query.limit - items.length,
              ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
            }),
          ),
        query.cursor ? forgedCursor : undefined,
      );
      items.push(...(response.Items ?? []).map((item) => stripKeys<CaseRecord>(item)));
      if (response.LastEvaluatedKey) {
        exclusiveStartKey = response.LastEvaluatedKey;
        if (items.length >= query.limit) {
          return { items, cursor: encodeCursor({ month, key: exclusiveStartKey }) };
        }
      } else {
        exclusiveStartKey = undefined;
        monthIndex += 1;
      }
    }
    const nextMonth = months[monthIndex];
    return nextMonth && items.length >= query.limit
      ? { items, cursor: encodeCursor({ month: nextMonth }) }
      : { items };
  }

  /** Cases waiting for a reviewer, oldest first. */
  async listReviewQueue(limit: number, cursor?: string): Promise<CasePage> {
    const response = await callAws(
      () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'review-queue',
            KeyConditionExpression: 'reviewQueue = :pending',
            ExpressionAttributeValues: { ':pending': 'PENDING' },
            ScanIndexForward: true,
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor).key } : {}),
          }),
        ),
      cursor ? forgedCursor : undefined,
    );
    const items = (response.Items ?? []).map((item) => stripKeys<CaseRecord>(item));
    return response.LastEvaluatedKey
      ? { items, cursor: encodeCursor({ month: '', key: response.LastEvaluatedKey }) }
      : { items };
  }

  private async update(
    key: Record<string, string>,
    expression: string,
    options: {
      names?: Record<string, string>;
      values?: Record<string, unknown>;
      condition?: string;
      returnNew?: boolean;
      returnOld?: boolean;
    },
  ): Promise<Record<string, unknown> | undefined> {
    const names = options.names && Object.keys(options.names).length ? options.names : undefined;
    const response = await callAws(
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: expression,
            ...(names ? { ExpressionAttributeNames: names } : {}),
            ...(options.values ? { ExpressionAttributeValues: options.values } : {}),
            ...(options.condition ? { ConditionExpression: options.condition } : {}),
            ...(options.returnNew ? { ReturnValues: 'ALL_NEW' } : {}),
            ...(options.returnOld ? { ReturnValues: 'ALL_OLD' } : {}),
          }),
        ),
      conditionFailed,
    );
    return response.Attributes;
  }
}

interface Cursor {
  readonly month: string;
  readonly key?: Record<string, unknown>;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** DynamoDB refuses a start key that does not fit the index: the cursor was not ours. */
const forgedCursor = {
  ValidationException: () => new InvalidCursorError('The paging cursor is not valid'),
};

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (typeof parsed.month !== 'string') throw new Error('no month');
    // Start keys of this table's indexes hold strings only; anything else is forged.
    const key: unknown = parsed.key;
    if (
      key !== undefined &&
      (typeof key !== 'object' ||
        key === null ||
        Object.values(key).some((value) => typeof value !== 'string'))
    ) {
      throw new Error('malformed key');
    }
    return parsed;
  } catch {
    throw new InvalidCursorError('The paging cursor is not valid');
  }
}

/** The YYYY-MM months from one ISO instant to another, oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const endYear = Number(to.slice(0, 4));
  const endMonth = Number(to.slice(5, 7));
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

export const caseRepository = once(
  () =>
    new CaseRepository(
      DynamoDBDocumentClient.from(new DynamoDBClient(sdkClientDefaults), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      loadConfig(['TABLE_NAME']).TABLE_NAME,
    ),
);
