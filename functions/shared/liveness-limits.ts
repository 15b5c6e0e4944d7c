import {
  type AuditEntry,
  type CaseRepository,
  ConditionFailedError,
  caseRepository,
} from '../adapters/case-repository.js';
import { ServiceThrottledError } from '../domain/errors.js';
import {
  type LimitStatus,
  type LivenessLimitPolicy,
  limitStatus,
  recordFailure,
  stateExpiry,
} from '../domain/liveness-limits.js';
import { livenessLimitPolicyOf, livenessLimitSettings, loadConfig } from './config.js';
import { once } from './once.js';

/** Who a liveness limit applies to: a case, or a device (by the hash of its key). */
export const limitSubjects = {
  case: (caseId: string) => `CASE#${caseId}`,
  device: (deviceKey: string) => `DEVICE#${deviceKey}`,
};

/** Concurrent writers on one subject are rare; a few rounds settle them. */
const maxWriteRounds = 5;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The liveness limits over the cases table: every failure is counted once, by a conditional
 * write on the state it was computed from, so concurrent requests cannot lose one.
 */
export class LivenessLimiter {
  constructor(
    private readonly repository: CaseRepository,
    readonly policy: LivenessLimitPolicy,
    private readonly clock: () => number = nowSeconds,
  ) {}

  async status(subject: string): Promise<LimitStatus> {
    const item = await this.repository.getLivenessLimit(subject);
    return limitStatus(this.policy, item?.state ?? { failures: [] }, this.clock());
  }

  /** Counts a failed session against a subject; returns the cool-down it started, if any. */
  async recordFailure(subject: string, sessionId: string): Promise<number | undefined> {
    for (let round = 0; round < maxWriteRounds; round += 1) {
      const item = await this.repository.getLivenessLimit(subject);
      const now = this.clock();
      const outcome = recordFailure(this.policy, item?.state ?? { failures: [] }, sessionId, now);
      if (!outcome.counted) return undefined;
      try {
        await this.repository.saveLivenessLimit(
          subject,
          outcome.state,
          item?.version,
          stateExpiry(this.policy, outcome.state, now),
        );
        return outcome.coolDownStarted ? outcome.state.coolDownUntil : undefined;
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
      }
    }
    // Retried by the workflow, answered 503 with Retry-After by the API.
    throw new ServiceThrottledError('Too many concurrent updates of a liveness limit');
  }

  /**
   * Counts a failed session of a case against the case and the device that ran it, and
   * leaves an audit entry on the case for every cool-down that starts.
   */
  async recordCaseFailure(failure: {
    caseId: string;
    deviceKey: string | undefined;
    sessionId: string;
    actor: AuditEntry['actor'];
  }): Promise<void> {
    const subjects: [string, string][] = [['case', limitSubjects.case(failure.caseId)]];
    if (failure.deviceKey) subjects.push(['device', limitSubjects.device(failure.deviceKey)]);
    const audit: AuditEntry[] = [];
    for (const [kind, subject] of subjects) {
      const until = await this.recordFailure(subject, failure.sessionId);
      if (until !== undefined) {
        audit.push({
          at: new Date(this.clock() * 1000).toISOString(),
          actor: failure.actor,
          action: 'LIVENESS_COOL_DOWN_STARTED',
          detail: `${kind} until ${new Date(until * 1000).toISOString()}`,
        });
      }
    }
    if (audit.length > 0) await this.repository.appendAudit(failure.caseId, audit);
  }
}

export const livenessLimiter = once(
  () =>
    new LivenessLimiter(caseRepository(), livenessLimitPolicyOf(loadConfig(livenessLimitSettings))),
);
