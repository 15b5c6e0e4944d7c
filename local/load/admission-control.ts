/** How much work an endpoint takes on at once before it refuses more. */
export interface AdmissionLimits {
  /** Requests served at the same time. */
  readonly maxInFlight: number;
  /** Requests waiting for a slot; one more is refused with Retry-After. */
  readonly maxQueued: number;
  /** What Retry-After says to a refused request. */
  readonly retryAfterSeconds?: number;
}

export type Release = () => void;

function checkLimit(value: number, name: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be an integer >= ${minimum}, got ${value}`);
  }
}

/**
 * A bounded number of requests in flight plus a bounded FIFO queue: beyond both, a request is
 * refused at once (the caller answers 503/429 with Retry-After) instead of piling up until
 * clients time out or the process runs out of memory.
 */
export class AdmissionControl {
  private inFlight = 0;
  private readonly queue: ((release: Release) => void)[] = [];
  private refusedCount = 0;
  readonly retryAfterSeconds: number;

  constructor(private readonly limits: AdmissionLimits) {
    checkLimit(limits.maxInFlight, 'maxInFlight', 1);
    checkLimit(limits.maxQueued, 'maxQueued', 0);
    this.retryAfterSeconds = limits.retryAfterSeconds ?? 1;
    checkLimit(this.retryAfterSeconds, 'retryAfterSeconds', 1);
  }

  /**
   * A slot, now or once one frees up; undefined when the queue is full. The release must be
   * called exactly once when the request is done (later calls do nothing).
   */
  tryEnter(): Promise<Release> | undefined {
    if (this.inFlight < this.limits.maxInFlight) {
      this.inFlight += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.limits.maxQueued) {
      this.refusedCount += 1;
      return undefined;
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  get refused(): number {
    return this.refusedCount;
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes straight to the oldest waiting request.
      if (next) next(this.releaser());
      else this.inFlight -= 1;
    };
  }
}
