import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { StoredHistoryEvent } from './history-recorder.js';
import type { TaskTokenRecord } from './task-tokens.js';

/** An execution as stored, without its history, which is kept in a file of its own. */
export interface StoredExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  /** SHA-256 of the definition the execution runs, to tell whether it may resume after a restart. */
  definitionSha256: string;
}

export interface LoadedExecution {
  execution: StoredExecution;
  history: StoredHistoryEvent[];
  tokens: TaskTokenRecord[];
}

const EXECUTION_FILE = 'execution.json';
const HISTORY_FILE = 'history.jsonl';
const TOKENS_FILE = 'task-tokens.json';

/** A whole file replaced or not at all, whenever the process dies. */
function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/**
 * Executions in a data folder, one folder each: the record and the task tokens rewritten
 * atomically (temporary file, then rename) on every change, the history appended one JSON line
 * per event. Writes are synchronous, so what a caller was told is on disk before it is told,
 * and a process killed at any moment leaves whole files and at most one torn history line,
 * which `load` drops. (Durable against process death, not power loss: there is no fsync.)
 */
export class ExecutionStore {
  private closed = false;

  constructor(private readonly directory: string) {
    mkdirSync(join(directory, 'executions'), { recursive: true });
  }

  saveExecution(execution: StoredExecution): void {
    if (this.closed) return;
    const folder = this.folder(execution.executionArn);
    mkdirSync(folder, { recursive: true });
    writeAtomically(join(folder, EXECUTION_FILE), JSON.stringify(execution));
  }

  appendHistory(executionArn: string, event: StoredHistoryEvent): void {
    if (this.closed) return;
    appendFileSync(join(this.folder(executionArn), HISTORY_FILE), `${JSON.stringify(event)}\n`);
  }

  saveTokens(executionArn: string, tokens: readonly TaskTokenRecord[]): void {
    if (this.closed) return;
    writeAtomically(join(this.folder(executionArn), TOKENS_FILE), JSON.stringify(tokens));
  }

  /** Every stored execution, with its history and tokens. */
  load(): LoadedExecution[] {
    const root = join(this.directory, 'executions');
    return readdirSync(root).flatMap((entry) => {
      const folder = join(root, entry);
      // A folder without its record was created by a process killed before it wrote one.
      const execution = readJson<StoredExecution>(join(folder, EXECUTION_FILE));
      if (!execution) return [];
      return [
        {
          execution,
          history: this.loadHistory(join(folder, HISTORY_FILE)),
          tokens: readJson<TaskTokenRecord[]>(join(folder, TOKENS_FILE)) ?? [],
        },
      ];
    });
  }

  /** Stops writing: what is stored stays as it is, for the next process to resume. */
  close(): void {
    this.closed = true;
  }

  private loadHistory(path: string): StoredHistoryEvent[] {
    if (!existsSync(path)) return [];
    const text = readFileSync(path, 'utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    // Appending after a torn line would glue the next event to it.
    if (complete.length !== text.length) writeAtomically(path, complete);
    return complete
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as StoredHistoryEvent);
  }

  private folder(executionArn: string): string {
    // ARNs hold characters some file systems refuse, and may be longer than a file name.
    const id = createHash('sha256').update(executionArn).digest('hex').slice(0, 40);
    return join(this.directory, 'executions', id);
  }
}
