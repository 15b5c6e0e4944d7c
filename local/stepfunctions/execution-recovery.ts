import type { DefinitionLayout } from './definition.js';
import { ROOT_THREAD } from './definition-walk.js';
import type { StoredHistoryEvent } from './history-recorder.js';
import type { CarriedTokens } from './task-runner.js';
import type { TaskTokenRecord } from './task-tokens.js';

/** The state machine an interrupted execution would resume on, as this process created it. */
export interface CurrentMachine {
  definitionSha256: string;
  startAt: string;
  layout: DefinitionLayout;
}

export type ResumePlan =
  | { resume: true; stateName: string; input: unknown; carried: CarriedTokens }
  | { resume: false; reason: string };

/**
 * Where an execution interrupted by a restart goes on: the last top-level state it entered,
 * with the input recorded then (its tasks run again: at-least-once, as Lambda retries are). The
 * callback tokens issued in that visit, or after it, are carried over: pending ones keep
 * waiting, answered ones replay their answer.
 */
export function planResume(
  execution: {
    stateMachineArn: string;
    input: string;
    history: readonly StoredHistoryEvent[];
    definitionSha256: string;
  },
  tokens: readonly TaskTokenRecord[],
  machine: CurrentMachine,
): ResumePlan {
  const { stateMachineArn, history } = execution;
  if (machine.definitionSha256 !== execution.definitionSha256) {
    return {
      resume: false,
      reason: `the definition of ${stateMachineArn} changed since the execution started, so its states cannot be trusted to match`,
    };
  }
  const entered = history.findLast(
    (event) =>
      event.type?.endsWith('StateEntered') &&
      machine.layout.stateThreads.get(event.stateEnteredEventDetails?.name ?? '') === ROOT_THREAD,
  );
  const enteredEventId = entered?.id ?? 0;
  const carried: CarriedTokens = new Map();
  const live = tokens
    .filter((token) => token.pending || token.settlement !== undefined)
    .filter((token) => token.enteredEventId === undefined || token.enteredEventId >= enteredEventId)
    .sort((a, b) => a.issuedAt - b.issuedAt);
  for (const token of live) {
    carried.set(token.stateName, [...(carried.get(token.stateName) ?? []), token.taskToken]);
  }
  const details = entered?.stateEnteredEventDetails;
  return {
    resume: true,
    stateName: details?.name ?? machine.startAt,
    input: JSON.parse(details?.input ?? execution.input),
    carried,
  };
}
