import { describe, expect, it } from 'vitest';
import {
  type TimingOptions,
  toLibraryDefinition,
} from '../../../local/stepfunctions/library-definition.js';

const definition = {
  TimeoutSeconds: 600,
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'fn', 'Payload.$': '$' },
      Retry: [
        { ErrorEquals: ['A'], IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 10 },
        { ErrorEquals: ['B'] },
      ],
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 30, Next: 'Review' },
    Review: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'fn', Payload: {} },
      TimeoutSecondsPath: '$.reviewSeconds',
      Next: 'Bounded',
    },
    Bounded: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'fn' },
      TimeoutSeconds: 20,
      End: true,
    },
  },
};

describe('toLibraryDefinition', () => {
  const convert = (timing: Partial<TimingOptions> = {}) => {
    const converted = toLibraryDefinition(definition, {
      timeScale: 0.01,
      taskTimeoutOverridesMs: {},
      ...timing,
    }) as unknown as typeof definition;
    return { converted, states: converted.States as Record<string, Record<string, unknown>> };
  };
  const { converted, states } = convert();

  it('scales every literal duration and keeps backoff rates', () => {
    expect(converted.TimeoutSeconds).toBe(6);
    expect(states.Call?.Retry).toEqual([
      { ErrorEquals: ['A'], IntervalSeconds: 0.02, BackoffRate: 3, MaxDelaySeconds: 0.1 },
      { ErrorEquals: ['B'], IntervalSeconds: 0.01 },
    ]);
    expect(states.Pause?.Seconds).toBe(0.3);
    expect(states.Bounded?.TimeoutSeconds).toBe(0.2);
  });

  it('replaces the library default Task timeout of 60 s by the longest timer', () => {
    expect(states.Call?.TimeoutSeconds).toBe(2_147_483);
  });

  it('wraps Parameters to carry a TimeoutSecondsPath resolved against the effective input', () => {
    expect(states.Review).toMatchObject({
      Parameters: {
        parameters: { FunctionName: 'fn', Payload: {} },
        'timeoutSeconds.$': '$.reviewSeconds',
      },
      TimeoutSecondsPath: '$.timeoutSeconds',
    });
    expect(states.Call?.Parameters).toEqual({
      parameters: { FunctionName: 'fn', 'Payload.$': '$' },
    });
  });

  it('caps durations at the longest timer, which Node would otherwise fire at once', () => {
    const { converted: unscaled } = convert({ timeScale: 1 });

    expect(definition.TimeoutSeconds * 1e6).toBeGreaterThan(2_147_483);
    expect(convert({ timeScale: 1e6 }).converted.TimeoutSeconds).toBe(2_147_483);
    expect(unscaled.TimeoutSeconds).toBe(600);
  });

  it('replaces the timeout of overridden Tasks, keeping their path resolved', () => {
    const { states: overridden } = convert({ taskTimeoutOverridesMs: { Review: 5, Bounded: 0 } });

    expect(overridden.Review).toMatchObject({
      Parameters: { 'timeoutSeconds.$': '$.reviewSeconds' },
      TimeoutSeconds: 0.005,
    });
    expect(overridden.Review).not.toHaveProperty('TimeoutSecondsPath');
    expect(overridden.Bounded?.TimeoutSeconds).toBe(0.001);
  });

  it('leaves the given definition alone', () => {
    expect(definition.States.Call.Parameters).toEqual({ FunctionName: 'fn', 'Payload.$': '$' });
  });
});
