import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { isJsonObject, type JsonObject, walkStates } from './definition-walk.js';

/** What a Task handler registered with the library receives: see `toLibraryDefinition`. */
export interface WrappedTaskInput {
  parameters: JsonObject;
  timeoutSeconds?: number;
}

export interface TimingOptions {
  /** Multiplies every literal duration. */
  timeScale: number;
  /** Milliseconds after which the named Task states time out, replacing their own timeout. */
  taskTimeoutOverridesMs: Readonly<Record<string, number>>;
}

// Longest delay setTimeout honours (2^31-1 ms, about 24.8 days); beyond it Node fires at once.
const MAX_TIMER_SECONDS = 2_147_483;

const scaled = (seconds: unknown, timeScale: number): unknown =>
  typeof seconds === 'number' ? Math.min(seconds * timeScale, MAX_TIMER_SECONDS) : seconds;

function rewriteTask(state: JsonObject, overrideMs: number | undefined, timeScale: number): void {
  const path = state.TimeoutSecondsPath;
  // Task handlers only see the resolved Parameters; wrapping them also carries the resolved
  // TimeoutSecondsPath, evaluated like Parameters against the effective input (the library
  // would otherwise evaluate the path against the Parameters result).
  state.Parameters = {
    parameters: state.Parameters ?? {},
    ...(typeof path === 'string' ? { 'timeoutSeconds.$': path } : {}),
  };
  if (overrideMs !== undefined) {
    delete state.TimeoutSecondsPath;
    // The library ignores a zero timeout.
    state.TimeoutSeconds = Math.max(overrideMs, 1) / 1000;
  } else if (typeof path === 'string') {
    state.TimeoutSecondsPath = '$.timeoutSeconds';
  } else {
    // AWS has no default Task timeout; the library's is 60 s.
    state.TimeoutSeconds =
      typeof state.TimeoutSeconds === 'number'
        ? scaled(state.TimeoutSeconds, timeScale)
        : MAX_TIMER_SECONDS;
  }
}

function rewriteRetry(state: JsonObject, timeScale: number): void {
  if (!Array.isArray(state.Retry)) return;
  state.Retry = state.Retry.map((retrier: unknown) =>
    isJsonObject(retrier)
      ? {
          ...retrier,
          // 1 s is the ASL default interval, made explicit so that it scales too.
          IntervalSeconds: scaled(retrier.IntervalSeconds ?? 1, timeScale),
          ...(retrier.MaxDelaySeconds === undefined
            ? {}
            : { MaxDelaySeconds: scaled(retrier.MaxDelaySeconds, timeScale) }),
        }
      : retrier,
  );
}

/**
 * The definition handed to aws-local-stepfunctions: Task Parameters wrapped (see
 * `WrappedTaskInput`), Task timeouts made explicit, and every literal duration (Retry
 * intervals and max delays, Wait Seconds, Task and execution TimeoutSeconds) multiplied by
 * `timeScale` and capped at what a timer can wait. Durations read from the input at run time
 * are neither scaled nor capped.
 */
export function toLibraryDefinition(
  definition: JsonObject,
  { timeScale, taskTimeoutOverridesMs }: TimingOptions,
): StateMachineDefinition {
  const copy = structuredClone(definition);
  copy.TimeoutSeconds = scaled(copy.TimeoutSeconds, timeScale);
  walkStates(copy, ({ name, state }) => {
    if (state.Type === 'Task') rewriteTask(state, taskTimeoutOverridesMs[name], timeScale);
    if (state.Type === 'Wait') state.Seconds = scaled(state.Seconds, timeScale);
    rewriteRetry(state, timeScale);
  });
  return copy as unknown as StateMachineDefinition;
}

/**
 * The time a Task attempt gets before States.Timeout, as `toLibraryDefinition` sets it up:
 * undefined when the state has none (AWS waits as long as the execution lasts).
 */
export function taskTimeoutMs(
  spec: { stateName: string; timeoutSeconds: number | undefined },
  { timeScale, taskTimeoutOverridesMs }: TimingOptions,
  resolvedTimeoutSeconds: number | undefined,
): number | undefined {
  const override = taskTimeoutOverridesMs[spec.stateName];
  if (override !== undefined) return Math.max(override, 1);
  if (resolvedTimeoutSeconds !== undefined) return resolvedTimeoutSeconds * 1000;
  if (spec.timeoutSeconds === undefined) return undefined;
  return (scaled(spec.timeoutSeconds, timeScale) as number) * 1000;
}
