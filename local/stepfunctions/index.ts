export type {
  ExecutionRecord,
  InterruptedExecution,
  PendingTaskToken,
  StateMachineRecord,
} from './api-shapes.js';
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
  type LocalCreateStateMachineInput,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from './local-step-functions.js';
export { sfnService } from './sfn-service.js';
