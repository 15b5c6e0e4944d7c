import { randomBytes } from 'node:crypto';
import { InvalidToken, sfnError, TaskDoesNotExist, TaskTimedOut } from './errors.js';

/** What SendTaskSuccess or SendTaskFailure answered. */
export type TokenSettlement = { output: unknown } | { error: string; cause: string };

/** A task token as the runtime keeps it: plain data, so it can be persisted and resumed. */
export interface TaskTokenRecord {
  taskToken: string;
  executionArn: string;
  stateName: string;
  issuedAt: number;
  pending: boolean;
  /** Epoch milliseconds at which the task times out, when it has a timeout. */
  deadline?: number;
  /** Id of the StateEntered event of the visit the token belongs to, once recorded. */
  enteredEventId?: number;
  /** The invocation result of the handler that received the token, once it returned. */
  submitted?: unknown;
  /** Kept so that an answer already acknowledged to its sender survives a restart. */
  settlement?: TokenSettlement;
}

/** Rejects a callback task with the Error and Cause given to SendTaskFailure. */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/** A callback task that ran out of time, which Retry and Catch match as States.Timeout. */
export class TaskTimeout extends Error {
  override readonly name = 'States.Timeout';
}

interface Settlement {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

interface TokenWaiter {
  executionArn: string;
  stateName: string;
  resolve: (token: TaskTokenRecord) => void;
  reject: (error: Error) => void;
}

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{86}$/;

function outcomeOf(settlement: TokenSettlement): Promise<unknown> {
  return 'output' in settlement
    ? Promise.resolve(settlement.output)
    : Promise.reject(new TaskFailure(settlement.error, settlement.cause));
}

/**
 * Task tokens of `.waitForTaskToken` tasks, which aws-local-stepfunctions does not support.
 * Every change is reported through `onChange` so that a persisted runtime can store it.
 */
export class TaskTokens {
  private readonly records = new Map<string, TaskTokenRecord>();
  private readonly settlements = new Map<string, Settlement>();
  private readonly outcomes = new Map<string, Promise<unknown>>();
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private waiters: TokenWaiter[] = [];

  constructor(private readonly onChange: (executionArn: string) => void = () => {}) {}

  /** A new pending token and the promise that settles with its task's result. */
  issue(
    executionArn: string,
    stateName: string,
    timeoutMs?: number,
  ): { taskToken: string; result: Promise<unknown> } {
    const issuedAt = Date.now();
    const record: TaskTokenRecord = {
      taskToken: randomBytes(64).toString('base64url'),
      executionArn,
      stateName,
      issuedAt,
      pending: true,
      ...(timeoutMs === undefined ? {} : { deadline: issuedAt + timeoutMs }),
    };
    this.records.set(record.taskToken, record);
    const result = this.expect(record.taskToken);
    this.onChange(executionArn);
    this.notifyWaiters(record);
    return { taskToken: record.taskToken, result };
  }

  /**
   * Takes back tokens persisted by an earlier process. Pending ones accept SendTaskSuccess and
   * SendTaskFailure at once and time out at their original deadline.
   */
  load(records: readonly TaskTokenRecord[]): void {
    for (const record of records) {
      this.records.set(record.taskToken, { ...record });
      const outcome = record.pending
        ? this.expect(record.taskToken)
        : record.settlement && outcomeOf(record.settlement);
      if (!outcome) continue;
      // Nobody awaits it if the execution ends before the task runs again: that is expected.
      outcome.catch(() => {});
      this.outcomes.set(record.taskToken, outcome);
      this.armDeadline(record);
    }
  }

  /**
   * Hands a loaded token to a new attempt of its task: the result is what its sender answers,
   * or already answered before the restart.
   */
  reissue(taskToken: string): { taskToken: string; result: Promise<unknown> } {
    const record = this.records.get(taskToken);
    const result = this.outcomes.get(taskToken);
    if (!record || !result) throw new Error('Task token of an unknown task cannot be reissued');
    if (record.pending) this.notifyWaiters(record);
    return { taskToken, result };
  }

  /** Records the visit (StateEntered event) the token was issued in. */
  linkVisit(taskToken: string, enteredEventId: number): void {
    const record = this.records.get(taskToken);
    if (!record || record.enteredEventId === enteredEventId) return;
    record.enteredEventId = enteredEventId;
    this.onChange(record.executionArn);
  }

  /** What the handler that received the token returned, if it did. */
  submitted(taskToken: string): unknown {
    return this.records.get(taskToken)?.submitted;
  }

  /** Records what the handler that received the token returned. */
  markSubmitted(taskToken: string, result: unknown): void {
    const record = this.records.get(taskToken);
    if (!record) return;
    record.submitted = result;
    this.onChange(record.executionArn);
  }

  succeed(taskToken: string, output: unknown): void {
    this.take(taskToken, { output }).resolve(output);
  }

  fail(taskToken: string, error: string, cause: string): void {
    this.take(taskToken, { error, cause }).reject(new TaskFailure(error, cause));
  }

  /** Checks that the token still belongs to a waiting task, as SendTaskHeartbeat does. */
  assertPending(taskToken: string): void {
    this.pendingRecord(taskToken);
  }

  /** Ends a token without a result (timeout, failed invocation): later sends get TaskTimedOut. */
  close(taskToken: string, reason: Error): void {
    const record = this.records.get(taskToken);
    if (!record?.pending) return;
    this.take(taskToken).reject(reason);
  }

  /** Ends every token and waiter of an execution that reached a terminal state. */
  closeExecution(executionArn: string, reason: Error): void {
    for (const record of this.records.values()) {
      if (record.executionArn === executionArn) this.close(record.taskToken, reason);
    }
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.executionArn === executionArn) waiter.reject(reason);
      return waiter.executionArn !== executionArn;
    });
  }

  pending(executionArn?: string): TaskTokenRecord[] {
    return [...this.records.values()]
      .filter((record) => record.pending && (!executionArn || record.executionArn === executionArn))
      .map((record) => ({ ...record }));
  }

  /** Every token of the execution, as stored. */
  ofExecution(executionArn: string): TaskTokenRecord[] {
    return [...this.records.values()]
      .filter((record) => record.executionArn === executionArn)
      .map((record) => ({ ...record }));
  }

  /** Resolves once a token is pending for the state (at once if one already is). */
  waitFor(executionArn: string, stateName: string): Promise<TaskTokenRecord> {
    const pending = this.pending(executionArn).find((record) => record.stateName === stateName);
    if (pending) return Promise.resolve(pending);
    return new Promise((resolve, reject) => {
      this.waiters.push({ executionArn, stateName, resolve, reject });
    });
  }

  /** Stops the deadline timers, for a runtime that shuts down and leaves its tokens stored. */
  dispose(): void {
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.deadlines.clear();
  }

  private expect(taskToken: string): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      this.settlements.set(taskToken, { resolve, reject });
    });
  }

  // The library times out fresh tasks itself; a reissued one must keep its original deadline.
  private armDeadline(record: TaskTokenRecord): void {
    if (!record.pending || record.deadline === undefined) return;
    const timer = setTimeout(
      () => this.close(record.taskToken, new TaskTimeout('Task timed out')),
      Math.max(0, record.deadline - Date.now()),
    );
    this.deadlines.set(record.taskToken, timer);
  }

  private notifyWaiters(record: TaskTokenRecord): void {
    this.waiters = this.waiters.filter((waiter) => {
      const matches =
        waiter.executionArn === record.executionArn && waiter.stateName === record.stateName;
      if (matches) waiter.resolve({ ...record });
      return !matches;
    });
  }

  private pendingRecord(taskToken: string): TaskTokenRecord {
    if (!TOKEN_FORMAT.test(taskToken)) {
      throw sfnError(InvalidToken, 'Invalid Token: the token is malformed');
    }
    const record = this.records.get(taskToken);
    if (!record) throw sfnError(TaskDoesNotExist, 'Task does not exist: unknown task token');
    if (!record.pending) {
      throw sfnError(TaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'");
    }
    return record;
  }

  private take(taskToken: string, settlement?: TokenSettlement): Settlement {
    const record = this.pendingRecord(taskToken);
    const settle = this.settlements.get(taskToken);
    if (!settle) throw new Error(`No settlement for pending task token of ${record.stateName}`);
    record.pending = false;
    if (settlement) record.settlement = settlement;
    this.settlements.delete(taskToken);
    clearTimeout(this.deadlines.get(taskToken));
    this.deadlines.delete(taskToken);
    // Stored before the sender is answered: an acknowledged answer is never lost.
    this.onChange(record.executionArn);
    return settle;
  }
}
