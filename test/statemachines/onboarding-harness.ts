import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { DocumentFacts } from '../../functions/domain/document.js';
import {
  bestAttempt,
  evaluateLiveness,
  type LivenessSessionStatus,
} from '../../functions/domain/liveness-gate.js';
import { type ProfileId, policyProfiles } from '../../functions/domain/profiles.js';
import { decideStep, decideStepInput } from '../../functions/shared/decide-step.js';
import {
  type LambdaHandler,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  loadDefinition,
  stateEvents,
} from '../../local/stepfunctions/index.js';
import {
  type OnboardingPlaceholder,
  onboardingDefinitionPath,
  onboardingTaskFunctions,
} from '../../statemachines/onboarding.js';
import { definition } from './asl-walk.js';

/** The day every scenario is decided on. */
export const today = '2026-06-15';
export const caseId = '6f1c7a2e-1d4b-4c1a-9a57-3f0f3b1c2d4e';
const profiles = policyProfiles();

export const validDocument: DocumentFacts = {
  fields: {
    FIRST_NAME: { text: 'ANNA', confidence: 99 },
    LAST_NAME: { text: 'ERIKSSON', confidence: 99 },
    DATE_OF_BIRTH: { text: '12.08.1990', confidence: 99, date: '1990-08-12' },
    DOCUMENT_NUMBER: { text: 'L898902C3', confidence: 99 },
    EXPIRATION_DATE: { text: '15.04.2031', confidence: 99, date: '2031-04-15' },
  },
  mrz: { present: false, consistent: null },
};

/**
 * One branch of the workflow as the services would answer it, in the spirit of AWS's Step
 * Functions Local mock configuration. The decision itself is the real domain code.
 */
export interface Scenario {
  readonly profileId: ProfileId;
  readonly idImageKey?: string | null;
  /** The pinned back page of the ID (none when not given). */
  readonly idBackImageKey?: string | null;
  /** Liveness confidence of each attempt, first attempt first. */
  readonly livenessConfidences: readonly number[];
  /** Session status of each attempt (SUCCEEDED when not given): FAILED has no confidence. */
  readonly livenessStatuses?: readonly LivenessSessionStatus[];
  readonly document?: DocumentFacts;
  readonly similarity?: number | null;
  readonly facesOnId?: number;
  readonly ageRange?: { low: number; high: number };
  /** Errors thrown by a task's first invocations, in order, before it answers normally. */
  readonly failFirst?: Partial<Record<OnboardingPlaceholder, readonly string[]>>;
  /** A task that fails on every invocation with this error name. */
  readonly alwaysFail?: Partial<Record<OnboardingPlaceholder, string>>;
}

export interface Invocation {
  readonly task: OnboardingPlaceholder;
  readonly payload: Record<string, unknown>;
}

function thrown(name: string): Error {
  const error = new Error(`${name} (scripted)`);
  error.name = name;
  return error;
}

/** The scripted answers of each task function for one scenario. */
function scriptedTasks(
  scenario: Scenario,
): Record<OnboardingPlaceholder, (payload: Record<string, unknown>) => unknown> {
  const attempts: { attempt: number; confidence: number; referenceImageKey: string }[] = [];
  return {
    CheckLivenessFunctionArn: (payload) => {
      const attempt = payload.attempt as number;
      const status = scenario.livenessStatuses?.[attempt - 1] ?? 'SUCCEEDED';
      const confidence =
        status === 'SUCCEEDED' ? (scenario.livenessConfidences[attempt - 1] ?? 0) : 0;
      const profile = profiles[payload.profileId as ProfileId];
      // Like the handler: the reference image handed on is the best attempt's so far; a
      // failed session leaves none.
      if (status === 'SUCCEEDED') {
        attempts.push({
          attempt,
          confidence,
          referenceImageKey: `cases/${caseId}/liveness/${payload.livenessSessionId}/reference.jpg`,
        });
      }
      return {
        verdict: evaluateLiveness(profile, { status, confidence }, attempt),
        attempt,
        confidence,
        referenceImageKey: bestAttempt(attempts)?.referenceImageKey ?? null,
        responseTimeoutSeconds: profile.applicantResponseSeconds,
      };
    },
    AnalyzeDocumentFunctionArn: () => ({
      fieldsRead: Object.keys((scenario.document ?? validDocument).fields).length,
    }),
    CompareFacesFunctionArn: () => ({
      similarity: scenario.similarity === undefined ? 99.1 : scenario.similarity,
      facesOnId: scenario.facesOnId ?? 1,
    }),
    EstimateAgeFunctionArn: () => ({
      faceCount: 1,
      ageRange: scenario.ageRange ?? { low: 29, high: 37 },
    }),
    DecideFunctionArn: (payload) => {
      const state = decideStepInput.parse(payload);
      return decideStep(profiles[state.profileId], state, scenario.document ?? validDocument, today)
        .result;
    },
    AwaitApplicantFunctionArn: (payload) => ({ waiting: payload.action }),
    QueueReviewFunctionArn: () => ({ queued: true }),
    RecordVerdictFunctionArn: () => ({ recorded: true }),
  };
}

export const functionArn = (placeholder: OnboardingPlaceholder) =>
  `arn:aws:lambda:eu-west-1:123456789012:function:${onboardingTaskFunctions[placeholder]}`;

/** Runs one scenario on the real ASL, with retry intervals shrunk a thousandfold. */
export async function startScenario(
  scenario: Scenario,
  options: Partial<Omit<LocalStepFunctionsOptions, 'lambdaHandlers'>> = {},
) {
  const invocations: Invocation[] = [];
  const failFirst = Object.fromEntries(
    Object.entries(scenario.failFirst ?? {}).map(([task, errors]) => [task, [...errors]]),
  ) as Partial<Record<OnboardingPlaceholder, string[]>>;
  const tasks = scriptedTasks(scenario);
  const lambdaHandlers: Record<string, LambdaHandler> = {};
  for (const task of Object.keys(tasks) as OnboardingPlaceholder[]) {
    lambdaHandlers[functionArn(task)] = (async (payload: Record<string, unknown>) => {
      invocations.push({ task, payload });
      const always = scenario.alwaysFail?.[task];
      if (always) throw thrown(always);
      const next = failFirst[task]?.shift();
      if (next) throw thrown(next);
      return tasks[task](payload);
    }) as LambdaHandler;
  }
  const sfn = new LocalStepFunctions({ lambdaHandlers, timeScale: 0.001, ...options });
  const substitutions = Object.fromEntries(
    (Object.keys(onboardingTaskFunctions) as OnboardingPlaceholder[]).map((p) => [
      p,
      functionArn(p),
    ]),
  );
  const { stateMachineArn } = await sfn.createStateMachine({
    name: 'onboarding',
    definition: await loadDefinition(onboardingDefinitionPath, substitutions),
  });
  const idImageKey =
    scenario.idImageKey === undefined ? `cases/${caseId}/id/1` : scenario.idImageKey;
  const { executionArn } = await sfn.startExecution({
    stateMachineArn,
    name: caseId,
    input: JSON.stringify({
      caseId,
      profileId: scenario.profileId,
      livenessSessionId: 'session-1',
      livenessAttempt: 1,
      idImageKey,
      idBackImageKey: scenario.idBackImageKey ?? null,
      idAttempt: 1,
    }),
  });
  const history = async (): Promise<HistoryEvent[]> =>
    (await sfn.getExecutionHistory({ executionArn, maxResults: 1000 })).events ?? [];
  return {
    sfn,
    executionArn: executionArn as string,
    invocations,
    /** Answers the callback task waiting in `stateName`. */
    async answer(stateName: string, output: Record<string, unknown>) {
      const { taskToken } = await sfn.waitForTaskToken({ executionArn, stateName });
      await sfn.sendTaskSuccess({ taskToken, output: JSON.stringify(output) });
    },
    async finish() {
      const result = await sfn.waitForExecution(executionArn);
      const events = await history();
      return {
        status: result.status,
        error: result.error,
        output: result.output ? (JSON.parse(result.output) as Record<string, unknown>) : undefined,
        events,
        /** Top-level states in the order they were entered. */
        path: events
          .filter((event) => event.type?.endsWith('StateEntered'))
          .map((event) => event.stateEnteredEventDetails?.name ?? '')
          .filter((name) => name in definition.States),
        /** Attempts and failures of each visit of a task state, from the history alone. */
        attempts: (stateName: string) =>
          stateEvents(events, stateName).map((visit) => ({
            scheduled: visit.filter((e) => e.type === 'TaskScheduled').length,
            failed: visit
              .filter((e) => e.type === 'TaskFailed')
              .map((e) => e.taskFailedEventDetails?.error),
          })),
      };
    },
  };
}
