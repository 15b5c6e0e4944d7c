import { randomBytes } from 'node:crypto';
import { InvalidToken, sfnError, TaskDoesNotExist, TaskTimedOut } from './errors.js';

/** A task token as the runtime keeps it: plain data, so it can be persisted. */
export interface TaskTokenRecord {
  taskToken: string;
  executionArn: string;
  stateName: string;
  issuedAt: number;
  pending: boolean;
}

/** Rejects a callback task with the Error and Cause given to SendTaskFailure. */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
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

/** Task tokens of `.waitForTaskToken` tasks, which aws-local-stepfunctions does not support. */
export class TaskTokens {
  private readonly records = new Map<string, TaskTokenRecord>();
  private readonly settlements = new Map<string, Settlement>();
  private waiters: TokenWaiter[] = [];

  /** A new pending token and the promise that settles with its task's result. */
  issue(executionArn: string, stateName: string): { taskToken: string; result: Promise<unknown> } {
    const taskToken = randomBytes(64).toString('base64url');
    const record: TaskTokenRecord = {
      taskToken,
      executionArn,
      stateName,
      issuedAt: Date.now(),
      pending: true,
    };
    this.records.set(taskToken, record);
    const result = new Promise<unknown>((resolve, reject) => {
      this.settlements.set(taskToken, { resolve, reject });
    });
    this.waiters = this.waiters.filter((waiter) => {
      const matches = waiter.executionArn === executionArn && waiter.stateName === stateName;
      if (matches) waiter.resolve({ ...record });
      return !matches;
    });
    return { taskToken, result };
  }

  succeed(taskToken: string, output: unknown): void {
    this.take(taskToken).resolve(output);
  }

  fail(taskToken: string, error: string, cause: string): void {
    this.take(taskToken).reject(new TaskFailure(error, cause));
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

  /** Resolves once a token is pending for the state (at once if one already is). */
  waitFor(executionArn: string, stateName: string): Promise<TaskTokenRecord> {
    const pending = this.pending(executionArn).find((record) => record.stateName === stateName);
    if (pending) return Promise.resolve(pending);
    return new Promise((resolve, reject) => {
      this.waiters.push({ executionArn, stateName, resolve, reject });
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

  private take(taskToken: string): Settlement {
    const record = this.pendingRecord(taskToken);
    const settlement = this.settlements.get(taskToken);
    if (!settlement) throw new Error(`No settlement for pending task token of ${record.stateName}`);
    record.pending = false;
    this.settlements.delete(taskToken);
    return settlement;
  }
}
