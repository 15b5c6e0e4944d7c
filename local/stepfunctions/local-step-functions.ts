import './node20-guard.js';
import { createHash, randomUUID } from 'node:crypto';
import type {
  CreateStateMachineInput,
  CreateStateMachineOutput,
  DescribeExecutionInput,
  DescribeExecutionOutput,
  DescribeStateMachineInput,
  DescribeStateMachineOutput,
  ExecutionStatus,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  ListExecutionsInput,
  ListExecutionsOutput,
  ListStateMachinesInput,
  ListStateMachinesOutput,
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
import {
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import {
  describeExecutionOutput,
  describeStateMachineOutput,
  type ExecutionRecord,
  executionListItem,
  type InterruptedExecution,
  type PendingTaskToken,
  publicToken,
  type StateMachineRecord,
  stateMachineListItem,
} from './api-shapes.js';
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
import { terminalEvent, terminalOutcome } from './execution-end.js';
import { type CurrentMachine, planResume } from './execution-recovery.js';
import { ExecutionStore, type StoredExecution } from './execution-store.js';
import { HistoryRecorder, toHistoryEvent } from './history-recorder.js';
import type { LambdaHandler } from './lambda-invocation.js';
import { type TimingOptions, toLibraryDefinition } from './library-definition.js';
import { paginate } from './pagination.js';
import { type CarriedTokens, TASK_TOKEN_PLACEHOLDER, TaskRunner } from './task-runner.js';
import { TaskTokens } from './task-tokens.js';

/** CreateStateMachine's input, where the role is optional: nothing assumes it locally. */
export type LocalCreateStateMachineInput = Omit<CreateStateMachineInput, 'roleArn'> & {
  roleArn?: string;
};

export interface LocalStepFunctionsOptions {
  /**
   * In-process Lambda handlers by function ARN, as FunctionName reads after substitution. Read
   * when a state machine is created and when a task runs, not before: a start script may fill
   * the record after mounting the runtime on the AWS server, since the handlers read that
   * server's endpoint from the environment when they are imported.
   */
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
  /**
   * Folder where executions, their history and their task tokens are stored on every change.
   * Executions that were running when an earlier process stopped are resumed by
   * `resumeInterruptedExecutions`. Without it, everything lives in memory.
   */
  dataDir?: string;
}

interface LoadedStateMachine {
  record: StateMachineRecord;
  layout: DefinitionLayout;
  libraryDefinition: StateMachineDefinition;
  machine: StateMachine;
  definitionSha256: string;
}

interface Resumption {
  startAt: string;
  carried: CarriedTokens;
  timeoutSeconds: number | undefined;
}

const EXECUTION_LEVEL: DefinitionLayout = {
  stateTypes: new Map(),
  stateThreads: new Map(),
  threads: new Map(),
  tasks: new Map(),
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const RESTART_FAILURE = 'States.Runtime';
const restartCause = (reason: string): string =>
  `The local Step Functions runtime restarted and could not resume the execution: ${reason}`;

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

type RunOutcome = { succeeded: true; output: unknown } | { succeeded: false; error: unknown };

function endOf(outcome: RunOutcome): Partial<ExecutionRecord> {
  if (outcome.succeeded) return { status: 'SUCCEEDED', output: JSON.stringify(outcome.output) };
  if (outcome.error instanceof ExecutionTimeoutError) {
    return { status: 'TIMED_OUT', error: 'States.Timeout' };
  }
  // The library wraps the state's error; its name and message are the ASL's Error and Cause.
  const failure = outcome.error instanceof ExecutionError ? outcome.error.cause : outcome.error;
  return failure instanceof Error
    ? { status: 'FAILED', error: failure.name, cause: failure.message }
    : { status: 'FAILED', error: 'States.Runtime', cause: String(failure) };
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
  private readonly tokens: TaskTokens;
  private readonly tasks: TaskRunner;
  private readonly store: ExecutionStore | undefined;
  /** Executions loaded as running, until `resumeInterruptedExecutions` takes them on. */
  private readonly interrupted = new Set<string>();
  private closed = false;

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
    this.store = options.dataDir === undefined ? undefined : new ExecutionStore(options.dataDir);
    this.tokens = new TaskTokens((executionArn) =>
      this.store?.saveTokens(executionArn, this.tokens.ofExecution(executionArn)),
    );
    this.tasks = new TaskRunner(this.lambdaHandlers, this.tokens, this.timing);
    this.loadStoredExecutions();
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
    const libraryDefinition = toLibraryDefinition(parsed, this.timing);
    const machine = new StateMachine(libraryDefinition, {
      validationOptions: { noValidate: true },
    });
    this.stateMachines.set(stateMachineArn, {
      record,
      layout,
      libraryDefinition,
      machine,
      definitionSha256: sha256(definition),
    });
    return { stateMachineArn, creationDate: new Date(record.creationDate) };
  }

  async describeStateMachine(
    input: DescribeStateMachineInput,
  ): Promise<DescribeStateMachineOutput> {
    return describeStateMachineOutput(this.stateMachine(input.stateMachineArn).record);
  }

  async listStateMachines(input: ListStateMachinesInput): Promise<ListStateMachinesOutput> {
    const records = [...this.stateMachines.values()].map(({ record }) => record);
    const { page, nextToken } = paginate(records, input.maxResults, input.nextToken);
    return { stateMachines: page.map(stateMachineListItem), nextToken };
  }

  async startExecution(input: StartExecutionInput): Promise<StartExecutionOutput> {
    const loaded = this.stateMachine(input.stateMachineArn);
    const { stateMachineArn } = loaded.record;
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
      definitionSha256: loaded.definitionSha256,
    };
    this.executions.set(executionArn, record);
    this.save(record);
    this.run(record, loaded, parsedInput);
    return { executionArn, startDate: new Date(record.startDate) };
  }

  async describeExecution(input: DescribeExecutionInput): Promise<DescribeExecutionOutput> {
    return describeExecutionOutput(this.execution(input.executionArn));
  }

  async listExecutions(input: ListExecutionsInput): Promise<ListExecutionsOutput> {
    const { stateMachineArn } = this.stateMachine(input.stateMachineArn).record;
    const matching = [...this.executions.values()]
      .filter((record) => record.stateMachineArn === stateMachineArn)
      .filter((record) => !input.statusFilter || record.status === input.statusFilter)
      .reverse()
      .sort((a, b) => b.startDate - a.startDate);
    const { page, nextToken } = paginate(matching, input.maxResults, input.nextToken);
    return { executions: page.map(executionListItem), nextToken };
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
      this.save(record);
      const abort = this.aborts.get(record.executionArn);
      // Loaded but not resumed yet: nothing runs that would record the end.
      if (abort) abort();
      else this.recordAbort(record);
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
    return this.tokens.pending(executionArn).map(publicToken);
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
    return publicToken(await this.tokens.waitFor(record.executionArn, input.stateName));
  }

  /**
   * Takes on the executions that were running when an earlier process using the same data
   * folder stopped: each resumes from the last top-level state it entered, or ends, FAILED
   * with error States.Runtime and a cause saying why it could not resume, or TIMED_OUT when its
   * TimeoutSeconds passed meanwhile. Call it once the state machines are created again.
   */
  async resumeInterruptedExecutions(): Promise<InterruptedExecution[]> {
    const results: InterruptedExecution[] = [];
    for (const executionArn of this.interrupted) {
      this.interrupted.delete(executionArn);
      results.push(this.resume(this.execution(executionArn)));
    }
    return results;
  }

  /**
   * Stops running executions without recording an end, as if the process died: with a data
   * folder, the next runtime on it resumes them.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.store?.close();
    this.tokens.dispose();
    for (const abort of this.aborts.values()) abort();
    await Promise.all(this.completions.values());
  }

  private resume(record: ExecutionRecord): InterruptedExecution {
    const { executionArn } = record;
    const loaded = this.stateMachines.get(record.stateMachineArn);
    if (!loaded) {
      return this.failInterrupted(
        record,
        `its state machine ${record.stateMachineArn} was not created again after the restart`,
      );
    }
    const tokens = this.tokens.ofExecution(executionArn);
    const plan = planResume(record, tokens, this.currentMachine(loaded));
    if (!plan.resume) return this.failInterrupted(record, plan.reason);
    const carriedTokens = [...plan.carried.values()].flat();
    for (const token of tokens) {
      if (token.pending && !carriedTokens.includes(token.taskToken)) {
        this.tokens.close(token.taskToken, new Error('The task was not resumed'));
      }
    }
    const limit = loaded.libraryDefinition.TimeoutSeconds;
    const remainingSeconds =
      limit === undefined ? undefined : limit - (Date.now() - record.startDate) / 1000;
    if (remainingSeconds !== undefined && remainingSeconds <= 0) {
      this.endInterrupted(record, { status: 'TIMED_OUT', error: 'States.Timeout' });
      return { executionArn, outcome: 'TIMED_OUT' };
    }
    this.run(record, loaded, plan.input, {
      startAt: plan.stateName,
      carried: plan.carried,
      timeoutSeconds: remainingSeconds,
    });
    return {
      executionArn,
      outcome: 'RESUMED',
      stateName: plan.stateName,
      taskTokens: carriedTokens,
    };
  }

  private failInterrupted(record: ExecutionRecord, reason: string): InterruptedExecution {
    const cause = restartCause(reason);
    this.endInterrupted(record, { status: 'FAILED', error: RESTART_FAILURE, cause });
    return { executionArn: record.executionArn, outcome: 'FAILED', cause };
  }

  private endInterrupted(
    record: ExecutionRecord,
    end: { status: 'FAILED' | 'TIMED_OUT'; error: string; cause?: string },
  ): void {
    Object.assign(record, end);
    this.settle(record, this.recorder(record));
  }

  private currentMachine(loaded: LoadedStateMachine): CurrentMachine {
    return {
      definitionSha256: loaded.definitionSha256,
      startAt: loaded.libraryDefinition.StartAt,
      layout: loaded.layout,
    };
  }

  private loadStoredExecutions(): void {
    for (const { execution, history, tokens } of this.store?.load() ?? []) {
      const record: ExecutionRecord = {
        ...execution,
        status: execution.status as ExecutionStatus,
        history,
      };
      this.executions.set(record.executionArn, record);
      this.tokens.load(tokens);
      const ended = terminalOutcome(history);
      if (ended) {
        // The process died between the last event and the record: the history is the truth.
        Object.assign(record, ended);
        this.save(record);
      } else if (record.status === 'ABORTED') {
        // StopExecution was acknowledged, then the process died before the event was written.
        this.recordAbort(record);
      }
      if (record.status === 'RUNNING') {
        this.interrupted.add(record.executionArn);
      } else {
        this.tokens.closeExecution(record.executionArn, new Error('The execution has ended'));
      }
    }
  }

  private recordAbort(record: ExecutionRecord): void {
    this.interrupted.delete(record.executionArn);
    this.settle(record, this.recorder(record));
  }

  /** Execution-level events need only the root thread, which any layout has. */
  private recorder(record: ExecutionRecord, layout = EXECUTION_LEVEL): HistoryRecorder {
    return new HistoryRecorder(record.history, layout, this.region, (event) =>
      this.store?.appendHistory(record.executionArn, event),
    );
  }

  private save(record: ExecutionRecord): void {
    const { history: _history, ...stored } = record;
    this.store?.saveExecution(stored satisfies StoredExecution);
  }

  private stateMachine(arn: string | undefined): LoadedStateMachine {
    const stateMachineArn = assertValidArn(arn, 'stateMachine');
    const loaded = this.stateMachines.get(stateMachineArn);
    if (!loaded) {
      throw sfnError(
        StateMachineDoesNotExist,
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return loaded;
  }

  private execution(executionArn: string | undefined): ExecutionRecord {
    const arn = assertValidArn(executionArn, 'execution');
    const record = this.executions.get(arn);
    if (!record) throw sfnError(ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private run(
    record: ExecutionRecord,
    loaded: LoadedStateMachine,
    input: unknown,
    resumption?: Resumption,
  ): void {
    const recorder = this.recorder(record, loaded.layout);
    // A resumed execution may have died before even this first event was written.
    if (record.history.length === 0) {
      recorder.append('ExecutionStarted', {
        executionStartedEventDetails: { input: record.input, roleArn: loaded.record.roleArn },
      });
    }
    const machine = resumption
      ? new StateMachine(
          {
            ...loaded.libraryDefinition,
            StartAt: resumption.startAt,
            TimeoutSeconds: resumption.timeoutSeconds,
          },
          { validationOptions: { noValidate: true } },
        )
      : loaded.machine;
    const execution = machine.run(input as JsonValue, {
      overrides: {
        taskResourceLocalHandlers: this.tasks.handlers(
          record,
          loaded.layout,
          recorder,
          resumption?.carried,
        ),
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

  private finish(record: ExecutionRecord, recorder: HistoryRecorder, outcome: RunOutcome): void {
    // Closing leaves the execution as stored, running, for the next process to resume.
    if (this.closed) return;
    // An aborted execution keeps what StopExecution recorded.
    if (record.status !== 'ABORTED') Object.assign(record, endOf(outcome));
    this.settle(record, recorder);
  }

  /** Records the end of the execution: its terminal event first, then the record. */
  private settle(record: ExecutionRecord, recorder: HistoryRecorder): void {
    recorder.append(...terminalEvent(record));
    record.stopDate ??= Date.now();
    this.save(record);
    recorder.close();
    this.aborts.delete(record.executionArn);
    this.tokens.closeExecution(
      record.executionArn,
      new Error(`Execution ${record.executionArn} ended with status ${record.status}`),
    );
  }
}
