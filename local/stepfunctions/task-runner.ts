import { randomUUID } from 'node:crypto';
import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';
import type { DefinitionLayout, TaskSpec } from './definition.js';
import { isJsonObject, type JsonObject } from './definition-walk.js';
import type { HistoryRecorder } from './history-recorder.js';
import { invokeLambda, type LambdaHandler, lambdaInvokeResult } from './lambda-invocation.js';
import { type TimingOptions, taskTimeoutMs, type WrappedTaskInput } from './library-definition.js';
import type { TaskTokens } from './task-tokens.js';

type JsonValue = Parameters<StateMachine['run']>[0];
export type TaskHandlers = NonNullable<
  NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']
>;

/** The part of an execution record a running task looks at. */
export interface RunningExecution {
  readonly executionArn: string;
  readonly status: string;
}

// What `$$.Task.Token` resolves to through the run's context object; each callback attempt
// swaps in a token of its own.
export const TASK_TOKEN_PLACEHOLDER = `local-sfn-task-token-${randomUUID()}`;

function withTaskToken(value: unknown, taskToken: string): unknown {
  if (typeof value === 'string') return value.replaceAll(TASK_TOKEN_PLACEHOLDER, taskToken);
  if (Array.isArray(value)) return value.map((item) => withTaskToken(item, taskToken));
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, withTaskToken(item, taskToken)]),
  );
}

/**
 * Tokens of a resumed execution that the next attempts of their callback states take over, by
 * state name, oldest first: the application holds them, so they must keep working.
 */
export type CarriedTokens = Map<string, string[]>;

/** Runs the Task states of executions: Lambda handlers in-process, task tokens emulated. */
export class TaskRunner {
  constructor(
    private readonly lambdaHandlers: Readonly<Record<string, LambdaHandler>>,
    private readonly tokens: TaskTokens,
    private readonly timing: TimingOptions,
  ) {}

  /** The library's per-state-name overrides for every Task of the definition. */
  handlers(
    execution: RunningExecution,
    layout: DefinitionLayout,
    recorder: HistoryRecorder,
    carried: CarriedTokens = new Map(),
  ): TaskHandlers {
    return Object.fromEntries(
      [...layout.tasks.values()].map((spec) => [
        spec.stateName,
        (input: JsonValue) =>
          this.run(
            execution,
            recorder,
            spec,
            input as unknown as WrappedTaskInput,
            carried,
          ) as Promise<JsonValue>,
      ]),
    );
  }

  // Must reach recorder.taskAttempted synchronously: see HistoryRecorder.
  private async run(
    execution: RunningExecution,
    recorder: HistoryRecorder,
    spec: TaskSpec,
    { parameters, timeoutSeconds }: WrappedTaskInput,
    carried: CarriedTokens,
  ): Promise<unknown> {
    // After a stop the library may still retry a state whose attempt was cut short.
    if (execution.status !== 'RUNNING') {
      throw new Error(`Execution ${execution.executionArn} has ended`);
    }
    const handler = this.lambdaHandlers[spec.functionName];
    if (!handler) throw new Error(`No local handler for ${spec.functionName}`);
    if (spec.integration === 'invoke') {
      const attempt = recorder.taskAttempted(spec, parameters, timeoutSeconds);
      try {
        const result = lambdaInvokeResult(
          await invokeLambda(handler, spec.functionName, parameters.Payload ?? {}),
        );
        recorder.taskSucceeded(attempt, result);
        return result;
      } catch (error) {
        recorder.taskFailed(attempt, (error as Error).name, (error as Error).message);
        throw error;
      }
    }
    const carriedToken = carried.get(spec.stateName)?.shift();
    const { taskToken, result } =
      carriedToken === undefined
        ? this.tokens.issue(
            execution.executionArn,
            spec.stateName,
            taskTimeoutMs(spec, this.timing, timeoutSeconds),
          )
        : this.tokens.reissue(carriedToken);
    const resolved = withTaskToken(parameters, taskToken) as JsonObject;
    const attempt = recorder.taskAttempted(spec, resolved, timeoutSeconds);
    attempt.onTimeout = () => this.tokens.close(taskToken, new Error('States.Timeout'));
    attempt.onStarted = (enteredEventId) => this.tokens.linkVisit(taskToken, enteredEventId);
    const submitted = this.submit(handler, spec, resolved, taskToken).then(
      (invocation) => recorder.taskSubmitted(attempt, invocation),
      (error: Error) => {
        this.tokens.close(taskToken, error);
        throw error;
      },
    );
    try {
      // Both: the invocation must succeed, and SendTaskSuccess may come before it returns.
      const [, output] = await Promise.all([submitted, result]);
      recorder.taskSucceeded(attempt, output);
      return output;
    } catch (error) {
      recorder.taskFailed(attempt, (error as Error).name, (error as Error).message);
      throw error;
    }
  }

  /**
   * Hands the token to the handler; a handler that already received it before a restart is
   * not called again, since the application keeps the token it stored then.
   */
  private async submit(
    handler: LambdaHandler,
    spec: TaskSpec,
    resolved: JsonObject,
    taskToken: string,
  ): Promise<unknown> {
    const earlier = this.tokens.submitted(taskToken);
    if (earlier !== undefined) return earlier;
    const invocation = lambdaInvokeResult(
      await invokeLambda(handler, spec.functionName, resolved.Payload ?? {}),
    );
    this.tokens.markSubmitted(taskToken, invocation);
    return invocation;
  }
}
