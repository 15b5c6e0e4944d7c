/**
 * Cases run through the local stack for the fault tests, and what their execution history
 * says about retries.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { ApplicantClient, type CreatedCase, settled } from '../../../local/applicant-client.js';
import { defaultLocalAwsConfig } from '../../../local/aws/config.js';
import { caseHistory } from '../../../local/load/stack-history.js';
import { loadSelfie } from '../../../local/sample-data/faces.js';
import { generateIdDocument } from '../../../local/sample-data/id-document.js';
import { type LocalStack, stateMachineName } from '../../../local/stack.js';
import { stateEvents } from '../../../local/stepfunctions/index.js';

/** Inputs whose verdicts differ: a match, an expired document, another person's ID. */
export type CaseKind = 'match' | 'expired' | 'other-face';
export const caseKinds: readonly CaseKind[] = ['match', 'expired', 'other-face'];

export interface Inputs {
  readonly selfie: Buffer;
  readonly ids: Readonly<Record<CaseKind, Buffer>>;
}

export async function loadInputs(): Promise<Inputs> {
  const [selfie, match, expired, otherFace] = await Promise.all([
    loadSelfie('sample3-middle'),
    generateIdDocument({ face: 'sample3-middle', output: 'jpeg' }),
    generateIdDocument({ face: 'sample3-middle', output: 'jpeg', expiryDate: '2024-03-01' }),
    generateIdDocument({ face: 'sample1-left', output: 'jpeg' }),
  ]);
  return {
    selfie,
    ids: { match: match.image, expired: expired.image, 'other-face': otherFace.image },
  };
}

export const workflowTasks = [
  'CheckLiveness',
  'AnalyzeDocument',
  'CompareFaces',
  'EstimateAge',
  'Decide',
  'RecordVerdict',
] as const;

export class FaultScenario {
  readonly client: ApplicantClient;

  constructor(
    readonly stack: LocalStack,
    readonly inputs: Inputs,
  ) {
    this.client = new ApplicantClient(stack.apiUrl);
  }

  /** Creates the case, uploads its ID and completes its liveness check: ready to submit. */
  async prepare(kind: CaseKind, clientToken: string): Promise<CreatedCase> {
    const created = await this.client.createCase('bank-onboarding', clientToken);
    await this.client.uploadIdImage(created, this.inputs.ids[kind]);
    await this.stack.aws.sessions.completeSession(created.livenessSessionId, {
      confidence: 97,
      referenceImage: this.inputs.selfie,
      auditImages: [],
    });
    return created;
  }

  /** Submits and polls until the case leaves processing; the status the applicant sees. */
  async decide(created: CreatedCase): Promise<string> {
    await this.client.submit(created, created.livenessSessionId);
    return (await this.client.waitFor(created, settled, 180_000)).status;
  }

  /** Each case runs as the execution named by its id. */
  executionArn(created: CreatedCase): string {
    const { region, account } = defaultLocalAwsConfig;
    return `arn:aws:states:${region}:${account}:execution:${stateMachineName}:${created.caseId}`;
  }

  history(created: CreatedCase): Promise<HistoryEvent[]> {
    return caseHistory(this.stack)(created.caseId);
  }
}

export interface Retry {
  readonly state: string;
  /** Error of the failed attempt that the retry followed. */
  readonly error: string;
}

/**
 * The ASL's retries in a history: every failed attempt of a Task that the same visit of the
 * state follows with another attempt.
 */
export function retriesIn(events: readonly HistoryEvent[], states: readonly string[]): Retry[] {
  return states.flatMap((state) =>
    stateEvents(events, state).flatMap((visit) =>
      visit.flatMap((event, index) => {
        if (event.type !== 'TaskFailed') return [];
        const retried = visit.slice(index + 1).some((later) => later.type === 'TaskScheduled');
        return retried ? [{ state, error: event.taskFailedEventDetails?.error ?? '' }] : [];
      }),
    ),
  );
}

/** The failed attempts of a state's visits, retried or not. */
export function failedAttempts(events: readonly HistoryEvent[], state: string): string[] {
  return stateEvents(events, state).flatMap((visit) =>
    visit.flatMap((event) =>
      event.type === 'TaskFailed' ? [event.taskFailedEventDetails?.error ?? ''] : [],
    ),
  );
}

export const statesEntered = (events: readonly HistoryEvent[]): string[] =>
  events.flatMap((event) =>
    event.type?.endsWith('StateEntered') ? [event.stateEnteredEventDetails?.name ?? ''] : [],
  );
