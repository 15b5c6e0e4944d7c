import {
  type FaultedService,
  type FaultRule,
  type FunctionFaultKind,
  parseFaultRules,
  type ServiceFaultKind,
} from './fault-rules.js';

export interface FaultInjectorOptions {
  /** Rules, or their `LOCAL_FAULTS` text; none by default. */
  readonly rules?: string | readonly FaultRule[];
  /** Makes the draws repeatable (tests); Math.random otherwise. */
  readonly seed?: number;
  /** How long a timed-out service call is held before its connection is dropped. */
  readonly serviceTimeoutMs?: number;
  /** How long a timed-out function runs before it fails with Sandbox.Timedout. */
  readonly functionTimeoutMs?: number;
}

const DEFAULT_SERVICE_TIMEOUT_MS = 2_000;
const DEFAULT_FUNCTION_TIMEOUT_MS = 3_000;

/** mulberry32: small, fast and good enough to pick which calls fail. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function toRules(rules: string | readonly FaultRule[] | undefined): readonly FaultRule[] {
  if (rules === undefined) return [];
  return Object.freeze(typeof rules === 'string' ? parseFaultRules(rules) : [...rules]);
}

/**
 * Decides, call by call, whether the local endpoints and functions fail and how. One draw per
 * call: the rules matching it share the interval [0, 1) in order, so
 * `rekognition:throttle=0.3,rekognition:internal=0.1` fails 40% of Rekognition calls. Rules
 * can be replaced at run time; counts say how many faults were injected.
 */
export class FaultInjector {
  private rules: readonly FaultRule[];
  private random: () => number;
  private readonly injected = new Map<string, number>();
  readonly serviceTimeoutMs: number;
  readonly functionTimeoutMs: number;

  constructor(options: FaultInjectorOptions = {}) {
    this.rules = toRules(options.rules);
    this.random = options.seed === undefined ? Math.random : seededRandom(options.seed);
    this.serviceTimeoutMs = options.serviceTimeoutMs ?? DEFAULT_SERVICE_TIMEOUT_MS;
    this.functionTimeoutMs = options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
  }

  /**
   * Replaces every rule; `[]` or `''` switches faults off. A seed restarts the draws, so the
   * calls that fail are known in advance when only one caller matches the rules.
   */
  set(rules: string | readonly FaultRule[], options: { readonly seed?: number } = {}): void {
    this.rules = toRules(rules);
    if (options.seed !== undefined) this.random = seededRandom(options.seed);
  }

  clear(): void {
    this.rules = [];
  }

  get active(): readonly FaultRule[] {
    return this.rules;
  }

  /** Faults injected so far, by `<service or function>.<operation or name>:<fault>`. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.injected);
  }

  serviceFault(service: FaultedService, operation: string): ServiceFaultKind | undefined {
    const matching = this.rules.filter(
      (rule): rule is Extract<FaultRule, { target: 'service' }> =>
        rule.target === 'service' &&
        rule.service === service &&
        (rule.operation === undefined || rule.operation === operation),
    );
    const fault = this.draw(matching);
    if (fault) this.count(`${service}.${operation}:${fault}`);
    return fault;
  }

  functionFault(name: string): FunctionFaultKind | undefined {
    const matching = this.rules.filter(
      (rule): rule is Extract<FaultRule, { target: 'function' }> =>
        rule.target === 'function' && (rule.name === undefined || rule.name === name),
    );
    const fault = this.draw(matching);
    if (fault) this.count(`function.${name}:${fault}`);
    return fault;
  }

  private draw<R extends FaultRule>(matching: readonly R[]): R['fault'] | undefined {
    if (matching.length === 0) return undefined;
    const draw = this.random();
    let upTo = 0;
    for (const rule of matching) {
      upTo += rule.rate;
      if (draw < upTo) return rule.fault;
    }
    return undefined;
  }

  private count(key: string): void {
    this.injected.set(key, (this.injected.get(key) ?? 0) + 1);
  }
}
