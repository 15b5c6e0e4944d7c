export {
  DefinitionSubstitutionError,
  loadDefinition,
  substituteDefinition,
} from './definition-file.js';
export * from './errors.js';
export { stateEvents } from './history-queries.js';
export type { StoredHistoryEvent } from './history-recorder.js';
export type { LambdaHandler } from './lambda-invocation.js';
export {
  type ExecutionRecord,
  type LocalCreateStateMachineInput,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  type PendingTaskToken,
  type StateMachineRecord,
} from './local-step-functions.js';
