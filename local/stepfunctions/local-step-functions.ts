import './node20-guard.js';
import { randomUUID } from 'node:crypto';
import type {
  CreateStateMachineInput,
  CreateStateMachineOutput,
  DescribeExecutionInput,
  DescribeExecutionOutput,
  ExecutionStatus,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  ListExecutionsInput,
  ListExecutionsOutput,
  SendTaskFailureInput,
  SendTaskFailureOutput,
  SendTaskHeartbeatInput,
  SendTaskHeartbeatOutput,
  SendTaskSuccessInput,
  SendTaskSuccessOutput,
  SFNServiceException,
  StartExecutionInput,
  StartExecutionOutput,
  StopExecutionInput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import {
  assertValidArn,
  assertValidName,
  executionArn as executionArnOf,
  stateMachineArn as stateMachineArnOf,
} from './arns.js';
import { analyseDefinition, type DefinitionLayout } from './definition.js';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  InvalidOutput,
  type ServiceExceptionClass,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  sfnError,
  ValidationException,
} from './errors.js';
import { HistoryRecorder, type StoredHistoryEvent, toHistoryEvent } from './history-recorder.js';
import type { LambdaHandler } from './lambda-invocation.js';
import { type TimingOptions, toLibraryDefinition } from './library-definition.js';
import { paginate } from './pagination.js';
import { TASK_TOKEN_PLACEHOLDER, TaskRunner } from './task-runner.js';
import { TaskTokens } from './task-tokens.js';

/** CreateStateMachine's input, where the role is optional: nothing assumes it locally. */
export type LocalCreateStateMachineInput = Omit<CreateStateMachineInput, 'roleArn'> & {
  roleArn?: string;
};

export interface LocalStepFunctionsOptions {
  /** In-process Lambda handlers by function ARN, as FunctionName reads after substitution. */
  lambdaHandlers: Readonly<Record<string, LambdaHandler>>;
  region?: string;
  accountId?: string;
  /**
   * Multiplies every literal duration of the definitions (Retry IntervalSeconds and
   * MaxDelaySeconds, Wait Seconds, Task and execution TimeoutSeconds): tests pass e.g. 0.001
   * so backoff scenarios run in milliseconds. Defaults to 1, real timing.
   */
  timeScale?: number;
  /** Milliseconds the named Wait states pause, for waits read from the input at run time. */
  waitOverridesMs?: Readonly<Record<string, number>>;
  /**
   * Milliseconds after which the named Task states time out (States.Timeout), replacing their
   * TimeoutSeconds or TimeoutSecondsPath: timeouts read from the input are not scaled.
   */
  taskTimeoutOverridesMs?: Readonly<Record<string, number>>;
}

/** Plain, serializable state machine data. */
export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  creationDate: number;
}

/** Plain, serializable execution data: what a persisted runtime needs to show or resume it. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  history: StoredHistoryEvent[];
}

export interface PendingTaskToken {
  taskToken: string;
  executionArn: string;
  stateName: string;
  issuedDate: Date;
}

interface LoadedStateMachine {
  record: StateMachineRecord;
  layout: DefinitionLayout;
  machine: StateMachine;
}

type JsonValue = Parameters<StateMachine['run']>[0];

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) {
    throw sfnError(ValidationException, `1 validation error detected: '${field}' must not be null`);
  }
  return value;
}

function parseJson(
  text: string,
  Exception: ServiceExceptionClass<SFNServiceException>,
  what: string,
): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw sfnError(Exception, `Invalid ${what}: ${(error as Error).message}`);
  }
}

function failureOf(error: unknown): { error: string; cause: string } {
  // The library wraps the state's error; its name and message are the ASL's Error and Cause.
  const failure = error instanceof ExecutionError ? error.cause : error;
  return failure instanceof Error
    ? { error: failure.name, cause: failure.message }
    : { error: 'States.Runtime', cause: String(failure) };
}

/**
 * Step Functions in-process: the project's ASL run by aws-local-stepfunctions, with Lambda
 * tasks calling handlers in-process, task tokens emulated and AWS-shaped history. Methods,
 * inputs, outputs and error names mirror the Step Functions API, so an HTTP front end only
 * has to translate the wire protocol.
 */
export class LocalStepFunctions {
  private readonly lambdaHandlers: Readonly<Record<string, LambdaHandler>>;
  private readonly region: string;
  private readonly accountId: string;
  private readonly timing: TimingOptions;
  private readonly waitOverridesMs: Readonly<Record<string, number>>;
  private readonly stateMachines = new Map<string, LoadedStateMachine>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly completions = new Map<string, Promise<void>>();
  private readonly aborts = new Map<string, () => void>();
  private readonly tokens = new TaskTokens();
  private readonly tasks: TaskRunner;

  constructor(options: LocalStepFunctionsOptions) {
    const timeScale = options.timeScale ?? 1;
    if (!(timeScale > 0 && Number.isFinite(timeScale))) {
      throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    }
    this.lambdaHandlers = options.lambdaHandlers;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.timing = { timeScale, taskTimeoutOverridesMs: options.taskTimeoutOverridesMs ?? {} };
    this.waitOverridesMs = options.waitOverridesMs ?? {};
    this.tasks = new TaskRunner(this.lambdaHandlers, this.tokens);
  }

  async createStateMachine(input: LocalCreateStateMachineInput): Promise<CreateStateMachineOutput> {
    const name = required(input.name, 'name');
    assertValidName(name);
    const definition = required(input.definition, 'definition');
    const roleArn = input.roleArn ?? `arn:aws:iam::${this.accountId}:role/local-stepfunctions`;
    const { layout, definition: parsed } = analyseDefinition(definition, (functionName) =>
      Object.hasOwn(this.lambdaHandlers, functionName),
    );
    const stateMachineArn = stateMachineArnOf(this.region, this.accountId, name);
    const existing = this.stateMachines.get(stateMachineArn)?.record;
    if (existing) {
      if (existing.definition !== definition || existing.roleArn !== roleArn) {
        throw sfnError(
          StateMachineAlreadyExists,
          `State Machine Already Exists: '${stateMachineArn}'`,
        );
      }
      return { stateMachineArn, creationDate: new Date(existing.creationDate) };
    }
    const record = { stateMachineArn, name, definition, roleArn, creationDate: Date.now() };
    const machine = new StateMachine(toLibraryDefinition(parsed, this.timing), {
      validationOptions: { noValidate: true },
    });
    this.stateMachines.set(stateMachineArn, { record, layout, machine });
    return { stateMachineArn, creationDate: new Date(record.creationDate) };
  }

  async startExecution(input: StartExecutionInput): Promise<StartExecutionOutput> {
    const stateMachineArn = assertValidArn(input.stateMachineArn, 'stateMachine');
    const loaded = this.stateMachines.get(stateMachineArn);
    if (!loaded) {
      throw sfnError(
        StateMachineDoesNotExist,
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    const name = input.name ?? randomUUID();
    assertValidName(name);
    const inputText = input.input ?? '{}';
    const parsedInput = parseJson(inputText, InvalidExecutionInput, 'execution input');
    const executionArn = executionArnOf(stateMachineArn, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS makes StartExecution idempotent only for a running execution with the same input.
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn, startDate: new Date(existing.startDate) };
      }
      throw sfnError(ExecutionAlreadyExists, `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: Date.now(),
      history: [],
    };
    this.executions.set(executionArn, record);
    this.run(record, loaded, parsedInput);
    return { executionArn, startDate: new Date(record.startDate) };
  }

  async describeExecution(input: DescribeExecutionInput): Promise<DescribeExecutionOutput> {
    const record = this.execution(input.executionArn);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: new Date(record.startDate),
      stopDate: record.stopDate === undefined ? undefined : new Date(record.stopDate),
      input: record.input,
      output: record.output,
      error: record.error,
      cause: record.cause,
    };
  }

  async listExecutions(input: ListExecutionsInput): Promise<ListExecutionsOutput> {
    const stateMachineArn = assertValidArn(input.stateMachineArn, 'stateMachine');
    if (!this.stateMachines.has(stateMachineArn)) {
      throw sfnError(
        StateMachineDoesNotExist,
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    const matching = [...this.executions.values()]
      .filter((record) => record.stateMachineArn === stateMachineArn)
      .filter((record) => !input.statusFilter || record.status === input.statusFilter)
      .reverse()
      .sort((a, b) => b.startDate - a.startDate);
    const { page, nextToken } = paginate(matching, input.maxResults, input.nextToken);
    return {
      executions: page.map((record) => ({
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: new Date(record.startDate),
        stopDate: record.stopDate === undefined ? undefined : new Date(record.stopDate),
      })),
      nextToken,
    };
  }

  async getExecutionHistory(input: GetExecutionHistoryInput): Promise<GetExecutionHistoryOutput> {
    const record = this.execution(input.executionArn);
    const ordered = input.reverseOrder ? [...record.history].reverse() : record.history;
    const { page, nextToken } = paginate(ordered, input.maxResults, input.nextToken);
    const includeData = input.includeExecutionData ?? true;
    return { events: page.map((event) => toHistoryEvent(event, includeData)), nextToken };
  }

  async stopExecution(input: StopExecutionInput): Promise<StopExecutionOutput> {
    const record = this.execution(input.executionArn);
    if (record.status === 'RUNNING') {
      record.status = 'ABORTED';
      record.error = input.error;
      record.cause = input.cause;
      record.stopDate = Date.now();
      this.aborts.get(record.executionArn)?.();
    }
    // Returning once the history is complete lets callers read it straight away.
    await this.completions.get(record.executionArn);
    return { stopDate: new Date(record.stopDate ?? Date.now()) };
  }

  async sendTaskSuccess(input: SendTaskSuccessInput): Promise<SendTaskSuccessOutput> {
    const taskToken = required(input.taskToken, 'taskToken');
    const output = parseJson(required(input.output, 'output'), InvalidOutput, 'output');
    this.tokens.succeed(taskToken, output);
    return {};
  }

  async sendTaskFailure(input: SendTaskFailureInput): Promise<SendTaskFailureOutput> {
    this.tokens.fail(required(input.taskToken, 'taskToken'), input.error ?? '', input.cause ?? '');
    return {};
  }

  async sendTaskHeartbeat(input: SendTaskHeartbeatInput): Promise<SendTaskHeartbeatOutput> {
    this.tokens.assertPending(required(input.taskToken, 'taskToken'));
    return {};
  }

  /** Resolves with the final DescribeExecution once the execution ended and its history is complete. */
  async waitForExecution(executionArn: string | undefined): Promise<DescribeExecutionOutput> {
    const record = this.execution(executionArn);
    await this.completions.get(record.executionArn);
    return this.describeExecution({ executionArn });
  }

  /** Tokens of callback tasks waiting for SendTaskSuccess/Failure, oldest first. */
  listPendingTaskTokens(executionArn?: string): PendingTaskToken[] {
    return this.tokens.pending(executionArn).map(({ issuedAt, pending: _pending, ...token }) => ({
      ...token,
      issuedDate: new Date(issuedAt),
    }));
  }

  /**
   * Resolves once a callback task of the state waits for its token (at once if one does);
   * rejects if the execution ends first.
   */
  async waitForTaskToken(input: {
    executionArn: string | undefined;
    stateName: string;
  }): Promise<PendingTaskToken> {
    const record = this.execution(input.executionArn);
    if (record.status !== 'RUNNING') {
      throw new Error(`Execution ${record.executionArn} is ${record.status}, no task will wait`);
    }
    const {
      issuedAt,
      pending: _pending,
      ...token
    } = await this.tokens.waitFor(record.executionArn, input.stateName);
    return { ...token, issuedDate: new Date(issuedAt) };
  }

  private execution(executionArn: string | undefined): ExecutionRecord {
    const arn = assertValidArn(executionArn, 'execution');
    const record = this.executions.get(arn);
    if (!record) throw sfnError(ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private run(record: ExecutionRecord, loaded: LoadedStateMachine, input: unknown): void {
    const recorder = new HistoryRecorder(record.history, loaded.layout, this.region);
    recorder.append('ExecutionStarted', {
      executionStartedEventDetails: { input: record.input, roleArn: loaded.record.roleArn },
    });
    const execution = loaded.machine.run(input as JsonValue, {
      overrides: {
        taskResourceLocalHandlers: this.tasks.handlers(record, loaded.layout, recorder),
        waitTimeOverrides: { ...this.waitOverridesMs },
      },
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          RoleArn: loaded.record.roleArn,
        },
        StateMachine: { Id: loaded.record.stateMachineArn, Name: loaded.record.name },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    this.aborts.set(record.executionArn, execution.abort);
    const drained = (async () => {
      for await (const event of execution.eventLogs) recorder.onLibraryEvent(event);
    })();
    const settled = execution.result.then(
      (output) => ({ succeeded: true as const, output }),
      (error: unknown) => ({ succeeded: false as const, error }),
    );
    this.completions.set(
      record.executionArn,
      Promise.all([drained, settled]).then(([, outcome]) => this.finish(record, recorder, outcome)),
    );
  }

  private finish(
    record: ExecutionRecord,
    recorder: HistoryRecorder,
    outcome: { succeeded: true; output: unknown } | { succeeded: false; error: unknown },
  ): void {
    if (record.status === 'ABORTED') {
      recorder.append('ExecutionAborted', {
        executionAbortedEventDetails: { error: record.error, cause: record.cause },
      });
    } else if (outcome.succeeded) {
      record.status = 'SUCCEEDED';
      record.output = JSON.stringify(outcome.output);
      recorder.append('ExecutionSucceeded', {
        executionSucceededEventDetails: { output: record.output },
      });
    } else if (outcome.error instanceof ExecutionTimeoutError) {
      record.status = 'TIMED_OUT';
      record.error = 'States.Timeout';
      recorder.append('ExecutionTimedOut', {
        executionTimedOutEventDetails: { error: record.error },
      });
    } else {
      record.status = 'FAILED';
      Object.assign(record, failureOf(outcome.error));
      recorder.append('ExecutionFailed', {
        executionFailedEventDetails: { error: record.error, cause: record.cause },
      });
    }
    record.stopDate ??= Date.now();
    recorder.close();
    this.aborts.delete(record.executionArn);
    this.tokens.closeExecution(
      record.executionArn,
      new Error(`Execution ${record.executionArn} ended with status ${record.status}`),
    );
  }
}
