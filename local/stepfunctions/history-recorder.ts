import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions';
import type { DefinitionLayout, TaskSpec } from './definition.js';
import { isJsonObject, ROOT_THREAD } from './definition-walk.js';

/** A history event as stored: plain data (epoch milliseconds), converted to the API shape on read. */
export type StoredHistoryEvent = Omit<HistoryEvent, 'timestamp'> & { timestamp: number };

export type EventDetails = Omit<HistoryEvent, 'id' | 'type' | 'timestamp' | 'previousEventId'>;

type LibraryEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

interface Thread {
  name: string;
  /** Map iteration, for threads inside a Map iterator. */
  index: number | undefined;
}

type Outcome =
  | { succeeded: true; output: string }
  | { succeeded: false; error: string; cause: string };

/** One attempt of a Task state, from the handler's call to the state's exit or failure. */
export interface TaskAttempt {
  readonly spec: TaskSpec;
  readonly parameters: string;
  readonly timeoutInSeconds: number | undefined;
  thread?: Thread;
  submitted?: string;
  outcome?: Outcome;
  closed: boolean;
  /** Withdraws a callback task's token when the library times the attempt out. */
  onTimeout?: () => void;
  /** Learns the id of the StateEntered event of the visit the attempt belongs to. */
  onStarted?: (enteredEventId: number) => void;
}

/** The API shape of a stored event; without execution data, inputs and outputs are left out. */
export function toHistoryEvent(
  event: StoredHistoryEvent,
  includeExecutionData: boolean,
): HistoryEvent {
  const shaped: HistoryEvent = { ...event, timestamp: new Date(event.timestamp) };
  if (includeExecutionData) return shaped;
  return Object.fromEntries(
    Object.entries(shaped).map(([key, value]) => {
      if (!key.endsWith('EventDetails') || !isJsonObject(value)) return [key, value];
      const { input: _input, output: _output, ...rest } = value;
      return [key, rest];
    }),
  ) as unknown as HistoryEvent;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);

const causeText = (cause: unknown): string =>
  typeof cause === 'string' ? cause : JSON.stringify(cause ?? '');

/**
 * Turns the library's per-state events, and what the Task handlers report, into AWS-shaped
 * history events. Handlers run synchronously right after the library dispatches the event
 * that starts their attempt (StateEntered or StateRetried), before that event is read here, so
 * attempts are queued per state and paired with those events in order.
 */
export class HistoryRecorder {
  private readonly queuedAttempts = new Map<string, TaskAttempt[]>();
  private readonly attemptByThread = new Map<string, TaskAttempt>();
  private readonly failedThreads = new Set<string>();
  private readonly lastIdByThread = new Map<string, number>();
  private readonly enteredIdByThread = new Map<string, number>();
  private closed = false;

  /**
   * `events` may hold the history of the run before a restart: new events continue it.
   * `onAppend` sees each event as it is added, to persist it.
   */
  constructor(
    private readonly events: StoredHistoryEvent[],
    private readonly layout: DefinitionLayout,
    private readonly region: string,
    private readonly onAppend: (event: StoredHistoryEvent) => void = () => {},
  ) {
    if (events.length > 0) this.lastIdByThread.set(ROOT_THREAD, events.length);
  }

  /**
   * Appends an event; previousEventId points at the last event of the same thread (or of the
   * enclosing thread for the first event of a branch), as AWS links parallel branches.
   */
  append(
    type: HistoryEventType,
    details: EventDetails = {},
    thread: Thread = { name: ROOT_THREAD, index: undefined },
    timestamp = Date.now(),
  ): void {
    if (this.closed) return;
    const id = this.events.length + 1;
    const event = { id, previousEventId: this.previousId(thread), timestamp, type, ...details };
    this.events.push(event);
    this.lastIdByThread.set(this.key(thread), id);
    this.onAppend(event);
  }

  /** No events after the terminal one: late branch or handler activity is dropped, as on AWS. */
  close(): void {
    this.closed = true;
  }

  taskAttempted(spec: TaskSpec, parameters: unknown, timeoutInSeconds?: number): TaskAttempt {
    const attempt: TaskAttempt = {
      spec,
      parameters: json(parameters),
      timeoutInSeconds: spec.timeoutSeconds ?? timeoutInSeconds,
      closed: false,
    };
    const queue = this.queuedAttempts.get(spec.stateName) ?? [];
    queue.push(attempt);
    this.queuedAttempts.set(spec.stateName, queue);
    return attempt;
  }

  taskSubmitted(attempt: TaskAttempt, output: unknown): void {
    attempt.submitted = json(output);
    if (attempt.thread && !attempt.closed) this.appendSubmitted(attempt, attempt.thread);
  }

  taskSucceeded(attempt: TaskAttempt, output: unknown): void {
    attempt.outcome ??= { succeeded: true, output: json(output) };
  }

  taskFailed(attempt: TaskAttempt, error: string, cause: string): void {
    attempt.outcome ??= { succeeded: false, error, cause };
  }

  onLibraryEvent(event: LibraryEvent): void {
    switch (event.type) {
      case 'StateEntered':
        this.stateEntered(event.state.name, event.state.type, event.state.input, event.index);
        break;
      case 'StateRetried':
        if (event.state.type === 'Task') {
          this.startAttempt(event.state.name, this.stateThread(event.state.name, event.index));
        }
        break;
      case 'StateFailed':
        this.stateFailed(event.state.name, event.state.type, event.index, event);
        break;
      case 'StateExited':
        this.stateExited(event.state.name, event.state.type, event.state.output, event.index);
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.mapIteration(event.type, event.parentState.name, event.index, event.timestamp);
        break;
      default:
      // Execution events are written by the runtime; branches have no AWS events of their own.
    }
  }

  private stateEntered(name: string, type: string, input: unknown, index?: number): void {
    const thread = this.stateThread(name, index);
    this.failedThreads.delete(this.key(thread));
    this.append(
      `${type}StateEntered` as HistoryEventType,
      {
        stateEnteredEventDetails: { name, input: json(input) },
      },
      thread,
    );
    this.enteredIdByThread.set(this.key(thread), this.events.length);
    if (type === 'Task') this.startAttempt(name, thread);
    if (type === 'Parallel') this.append('ParallelStateStarted', {}, thread);
    if (type === 'Map') this.append('MapStateStarted', {}, thread);
  }

  private stateFailed(
    name: string,
    type: string,
    index: number | undefined,
    failure: { Error: string; Cause: unknown },
  ): void {
    const thread = this.stateThread(name, index);
    this.failedThreads.add(this.key(thread));
    if (type === 'Task') this.endAttempt(thread, failure);
    if (type === 'Parallel') this.append('ParallelStateFailed', {}, thread);
    if (type === 'Map') this.append('MapStateFailed', {}, thread);
  }

  private stateExited(name: string, type: string, output: unknown, index?: number): void {
    const thread = this.stateThread(name, index);
    const failed = this.failedThreads.delete(this.key(thread));
    if (type === 'Task') this.endAttempt(thread);
    if (!failed && type === 'Parallel') this.append('ParallelStateSucceeded', {}, thread);
    if (!failed && type === 'Map') this.append('MapStateSucceeded', {}, thread);
    this.append(
      `${type}StateExited` as HistoryEventType,
      {
        stateExitedEventDetails: { name, output: json(output) },
      },
      thread,
    );
  }

  private mapIteration(
    type: 'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed',
    name: string,
    index: number,
    timestamp: number,
  ): void {
    const details = { name, index };
    const thread = { name: `map:${name}`, index };
    if (type === 'MapIterationStarted') {
      this.append(type, { mapIterationStartedEventDetails: details }, thread, timestamp);
    } else if (type === 'MapIterationSucceeded') {
      this.append(type, { mapIterationSucceededEventDetails: details }, thread, timestamp);
    } else {
      this.append(type, { mapIterationFailedEventDetails: details }, thread, timestamp);
    }
  }

  private startAttempt(stateName: string, thread: Thread): void {
    const attempt = this.queuedAttempts.get(stateName)?.shift();
    // None when the state failed before calling its handler (e.g. a Parameters path missing).
    if (!attempt) return;
    attempt.thread = thread;
    this.attemptByThread.set(this.key(thread), attempt);
    const enteredId = this.enteredIdByThread.get(this.key(thread));
    if (enteredId !== undefined) attempt.onStarted?.(enteredId);
    const task = this.taskResource(attempt);
    this.append(
      'TaskScheduled',
      {
        taskScheduledEventDetails: {
          ...task,
          region: this.region,
          parameters: attempt.parameters,
          timeoutInSeconds: attempt.timeoutInSeconds,
        },
      },
      thread,
    );
    this.append('TaskStarted', { taskStartedEventDetails: task }, thread);
    if (attempt.submitted !== undefined) this.appendSubmitted(attempt, thread);
  }

  private endAttempt(thread: Thread, failure?: { Error: string; Cause: unknown }): void {
    const key = this.key(thread);
    const attempt = this.attemptByThread.get(key);
    if (!attempt || attempt.closed) return;
    attempt.closed = true;
    this.attemptByThread.delete(key);
    const task = this.taskResource(attempt);
    const { outcome } = attempt;
    if (failure?.Error === 'States.Timeout') {
      this.append(
        'TaskTimedOut',
        {
          taskTimedOutEventDetails: {
            ...task,
            error: failure.Error,
            cause: causeText(failure.Cause),
          },
        },
        thread,
      );
      attempt.onTimeout?.();
    } else if (outcome?.succeeded) {
      this.append(
        'TaskSucceeded',
        {
          taskSucceededEventDetails: { ...task, output: outcome.output },
        },
        thread,
      );
    } else {
      const error = outcome ? outcome.error : failure?.Error;
      const cause = outcome ? outcome.cause : causeText(failure?.Cause);
      this.append('TaskFailed', { taskFailedEventDetails: { ...task, error, cause } }, thread);
    }
  }

  private appendSubmitted(attempt: TaskAttempt, thread: Thread): void {
    this.append(
      'TaskSubmitted',
      {
        taskSubmittedEventDetails: { ...this.taskResource(attempt), output: attempt.submitted },
      },
      thread,
    );
  }

  private taskResource(attempt: TaskAttempt): { resourceType: string; resource: string } {
    return { resourceType: 'lambda', resource: attempt.spec.integration };
  }

  private stateThread(name: string, index: number | undefined): Thread {
    return { name: this.layout.stateThreads.get(name) ?? ROOT_THREAD, index };
  }

  private key(thread: Thread): string {
    const inMap = this.layout.threads.get(thread.name)?.inMap ?? false;
    return inMap && thread.index !== undefined ? `${thread.name}#${thread.index}` : thread.name;
  }

  private previousId(thread: Thread): number {
    const last = this.lastIdByThread.get(this.key(thread));
    if (last !== undefined) return last;
    const parent = this.layout.threads.get(thread.name)?.parent;
    return parent === undefined ? 0 : this.previousId({ name: parent, index: thread.index });
  }
}
