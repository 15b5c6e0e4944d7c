import { requestJson, withQuery } from '../../lib/http.ts';

// The case lifecycle is the API's contract: one list, from the functions' pure domain.
export { caseStatuses, operatorStatusLabel } from '../../../../functions/domain/case.ts';
export const profileIds = ['bank-onboarding', 'age-gate'] as const;

export interface ExecutionSummary {
  readonly caseId: string;
  readonly profileId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly executionArn: string | null;
  readonly outcome: string | null;
  readonly pendingAction: string | null;
}

export interface QueuedReview extends ExecutionSummary {
  readonly queuedAt: string | null;
  readonly reasonCodes: readonly string[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

export interface TimelineEntry {
  readonly id: number;
  readonly timestamp: string;
  readonly type: string;
  readonly state?: string;
  readonly function?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface DocumentField {
  readonly text: string;
  readonly confidence: number;
}

export interface Reason {
  readonly code: string;
  readonly effect: string;
  readonly detail: string;
}

export interface ReviewRecord {
  readonly outcome: string;
  readonly reason: string;
  readonly reviewerId: string;
  readonly decidedAt: string;
}

export interface CaseDetail {
  readonly caseId: string;
  readonly profileId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly pendingAction: string | null;
  readonly idAttempt: number;
  readonly livenessAttempts: readonly {
    sessionId: string;
    attempt: number;
    status: string;
    /** PASS, RETRY or EXHAUSTED; absent on records from before it was kept. */
    verdict?: string;
    confidence?: number;
    referenceImageKey?: string;
    at: string;
  }[];
  /** Sessions created for the case, by client token; `settled` once a new one was asked for. */
  readonly livenessSessions?: Readonly<
    Record<string, { sessionId: string; createdAt: string; settled?: 'FAILURE' | 'NO_FAILURE' }>
  >;
  /** The best attempt's reference image: the one the identity checks judged. */
  readonly referenceImageKey?: string;
  readonly document?: {
    readonly idType: string;
    readonly facts: {
      readonly fields: Readonly<Record<string, DocumentField>>;
      readonly mrz: { readonly present: boolean; readonly consistent: boolean | null };
    };
  };
  readonly faceMatch?: { readonly similarity: number | null; readonly facesOnId: number };
  readonly ageEstimate?: { readonly ageRange: { readonly low: number; readonly high: number } };
  readonly decision?: {
    readonly outcome: string;
    readonly reasons: readonly Reason[];
    readonly profileId: string;
    readonly profileVersion: string;
    readonly decidedAt: string;
  };
  readonly verdict?: {
    readonly outcome: string;
    readonly source: string;
    readonly decidedAt: string;
  };
  readonly review?: ReviewRecord;
  readonly audit: readonly { at: string; actor: string; action: string; detail?: string }[];
  readonly erasure?: ErasureTombstone;
}

/** What stays of an erased case's personal data. */
export interface ErasureTombstone {
  readonly erasedAt: string;
  readonly erasedBy: string;
  readonly reason: string;
  readonly imagesDeleted: number;
  readonly fieldsErased: readonly string[];
}

/** Failed liveness attempts in the window and the cool-down in force, of a case or a device. */
export interface LivenessLimitView {
  readonly failuresInWindow: number;
  readonly coolDownUntil: string | null;
}

export interface LivenessLimits {
  readonly policy: {
    readonly failureLimit: number;
    readonly windowSeconds: number;
    readonly coolDownSeconds: number;
  };
  readonly case: LivenessLimitView;
  /** Devices by the hash of their id (or of their IP when they sent none). */
  readonly devices: readonly (LivenessLimitView & { readonly deviceKey: string })[];
}

export interface ExecutionDetail {
  readonly case: CaseDetail;
  /** Absent from an API that predates the liveness limits. */
  readonly livenessLimits?: LivenessLimits;
  readonly execution: {
    readonly executionArn: string;
    readonly status: string;
    readonly startDate: string;
    readonly stopDate: string | null;
    readonly error: string | null;
    readonly cause: string | null;
  } | null;
  readonly timeline: readonly TimelineEntry[];
  readonly evidence: {
    readonly expiresInSeconds: number;
    readonly referenceImage: string | null;
    readonly auditImages: readonly string[];
    readonly idImage: string | null;
    /** The licence's back page, when the applicant gave one. */
    readonly idBackImage?: string | null;
    /** Images the record names that are no longer stored (deleted after the retention period). */
    readonly missing?: readonly string[];
  };
}

export interface ExecutionFilters {
  readonly status: string;
  readonly profile: string;
  /** Calendar days (YYYY-MM-DD) in the operator's time zone, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly caseId: string;
}

export const noFilters: ExecutionFilters = {
  status: '',
  profile: '',
  from: '',
  to: '',
  caseId: '',
};

/** The list route's query: days become instants covering the whole local day. */
export function executionsQuery(
  filters: ExecutionFilters,
  cursor?: string,
): Record<string, string | undefined> {
  const instant = (day: string, time: string) =>
    day ? new Date(`${day}T${time}`).toISOString() : undefined;
  return {
    status: filters.status || undefined,
    profile: filters.profile || undefined,
    from: instant(filters.from, '00:00:00.000'),
    to: instant(filters.to, '23:59:59.999'),
    caseId: filters.caseId.trim() || undefined,
    cursor,
  };
}

/** The operator routes, with the signed-in operator's ID token. */
export function operationsApi(apiUrl: string, idToken: string) {
  const headers = { authorization: `Bearer ${idToken}` };
  return {
    listExecutions(filters: ExecutionFilters, cursor?: string): Promise<Page<ExecutionSummary>> {
      return requestJson(withQuery(`${apiUrl}/ops/executions`, executionsQuery(filters, cursor)), {
        headers,
      });
    },
    execution(caseId: string): Promise<ExecutionDetail> {
      return requestJson(`${apiUrl}/ops/executions/${encodeURIComponent(caseId)}`, { headers });
    },
    reviewQueue(cursor?: string): Promise<Page<QueuedReview>> {
      return requestJson(withQuery(`${apiUrl}/ops/reviews`, { cursor }), { headers });
    },
    settleReview(
      caseId: string,
      outcome: 'APPROVED' | 'REJECTED',
      reason: string,
    ): Promise<{ caseId: string; outcome: string; reviewerId: string; decidedAt: string }> {
      return requestJson(`${apiUrl}/ops/reviews/${encodeURIComponent(caseId)}`, {
        method: 'POST',
        headers,
        body: { outcome, reason },
      });
    },
    eraseCase(
      caseId: string,
      reason: string,
    ): Promise<{ caseId: string; erasure: ErasureTombstone }> {
      return requestJson(`${apiUrl}/ops/cases/${encodeURIComponent(caseId)}/erasure`, {
        method: 'POST',
        headers,
        body: { reason },
      });
    },
  };
}

export type OperationsApi = ReturnType<typeof operationsApi>;
