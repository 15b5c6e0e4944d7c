/**
 * Counts failures per key (the client's IP) over a sliding window: once `limit` failures
 * fall in the window, further attempts wait until the oldest one leaves it.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again; 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit) return 0;
    const oldest = recent[recent.length - this.limit] ?? Date.now();
    return Math.max(1, Math.ceil((oldest + this.windowMs - Date.now()) / 1000));
  }

  recordFailure(key: string): void {
    this.failures.set(key, [...this.recent(key), Date.now()]);
  }

  private recent(key: string): number[] {
    const since = Date.now() - this.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    // Forgetting keys without recent failures keeps the map as small as the attack.
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}
