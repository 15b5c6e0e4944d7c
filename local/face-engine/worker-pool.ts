import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FrameAnalysis } from './analyze-frame.js';
import { errorFromWire, InternalServerError, ThrottlingError } from './errors.js';
import type { AnalysisRequest, WorkerMessage, WorkerRequest } from './worker-protocol.js';

export interface WorkerPoolOptions {
  /** Worker threads; tfjs-wasm runs single-threaded, so one per core saturates the CPU. */
  readonly size?: number;
  /** Requests allowed to wait for a worker before new ones are refused with ThrottlingException. */
  readonly maxQueue?: number;
  /** Worker script; tests swap in a stub that speaks the same protocol. */
  readonly entry?: URL;
}

interface Task {
  readonly id: number;
  readonly request: AnalysisRequest;
  readonly resolve: (analysis: FrameAnalysis) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
}

const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);
/** A worker that dies this many times in a row while booting will not boot: stop retrying. */
const MAX_BOOT_FAILURES = 3;

/** Runs face analyses on a fixed set of worker threads; dead workers are replaced. */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  readonly #maxQueue: number;
  readonly #entry: URL;
  #nextId = 1;
  #bootFailures = 0;
  #closed = false;

  private constructor(options: WorkerPoolOptions) {
    this.#maxQueue = options.maxQueue ?? 64;
    this.#entry = options.entry ?? WORKER_ENTRY;
  }

  static async start(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError('size must be a positive integer');
    const pool = new WorkerPool(options);
    try {
      await Promise.all(Array.from({ length: size }, () => pool.#spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  analyze(request: AnalysisRequest): Promise<FrameAnalysis> {
    if (this.#closed || this.#slots.length === 0) {
      return Promise.reject(new InternalServerError('Face engine is not running.'));
    }
    if (this.#queue.length >= this.#maxQueue) {
      return Promise.reject(new ThrottlingError('Face engine queue is full.'));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, request, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const closed = new InternalServerError('Face engine closed.');
    for (const task of this.#queue.splice(0)) task.reject(closed);
    const slots = this.#slots.splice(0);
    for (const slot of slots) slot.task?.reject(closed);
    await Promise.all(slots.map(({ worker }) => worker.terminate()));
  }

  /** Resolves once the worker has loaded its models and warmed up. */
  #spawn(): Promise<void> {
    const slot: Slot = { worker: new Worker(this.#entry), ready: false };
    this.#slots.push(slot);
    return new Promise((resolve, reject) => {
      slot.worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          slot.ready = true;
          this.#bootFailures = 0;
          resolve();
        } else {
          this.#settle(slot, message);
        }
        this.#dispatch();
      });
      slot.worker.on('error', (error) => {
        if (!slot.ready) reject(error);
      });
      slot.worker.on('exit', (code) => {
        const failed = new InternalServerError(`Face worker exited with code ${code}.`);
        if (!slot.ready) reject(failed);
        this.#replace(slot, failed);
      });
    });
  }

  #settle(slot: Slot, message: Exclude<WorkerMessage, { type: 'ready' }>): void {
    const task = slot.task;
    if (!task || task.id !== message.id) return;
    slot.task = undefined;
    if (message.type === 'result') task.resolve(message.analysis);
    else task.reject(errorFromWire(message.error));
  }

  #replace(slot: Slot, failure: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return;
    this.#slots.splice(index, 1);
    slot.task?.reject(failure);
    if (this.#closed) return;
    if (!slot.ready && ++this.#bootFailures >= MAX_BOOT_FAILURES) {
      for (const task of this.#queue.splice(0)) task.reject(failure);
      return;
    }
    this.#spawn().catch(() => {
      // #replace runs again from the exit handler and counts the boot failure.
    });
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.task) continue;
      const task = this.#queue.shift();
      if (!task) return;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, request: task.request } satisfies WorkerRequest);
    }
  }
}
