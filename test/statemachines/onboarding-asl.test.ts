import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  runtimeErrorNames,
  terminalErrorNames,
  workflowErrors,
} from '../../functions/domain/errors.js';
import { onboardingTaskFunctions } from '../../statemachines/onboarding.js';
import { allStates, definition, rawDefinition, type State } from './asl-walk.js';

const validate = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: unknown[];
};

interface Retrier {
  ErrorEquals: string[];
  BackoffRate?: number;
  JitterStrategy?: string;
  MaxAttempts?: number;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
}

const tasks = allStates().filter(([, state]) => state.Type === 'Task');
const retriersOf = (state: State) => (state.Retry as Retrier[] | undefined) ?? [];
const catchersOf = (state: State) => (state.Catch as Catcher[] | undefined) ?? [];

describe('statemachines/onboarding.asl.json', () => {
  it('is a valid Amazon States Language definition', () => {
    const result = validate(definition);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('has a substitution for every placeholder and a placeholder for every substitution', () => {
    const placeholders = new Set(
      [...rawDefinition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]),
    );
    expect([...placeholders].sort()).toEqual(Object.keys(onboardingTaskFunctions).sort());
  });

  it('uses JSONPath only: no JSONata, no variables', () => {
    expect(rawDefinition).not.toMatch(/"QueryLanguage"|"Assign"|"Arguments"|"Output"\s*:|\{%/);
  });

  it('has tasks', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(tasks)('task %s retries transient failures with backoff and jitter', (_name, state) => {
    const retriers = retriersOf(state);
    const retried = retriers.flatMap((retrier) => retrier.ErrorEquals);
    expect(retried).toEqual(
      expect.arrayContaining([
        'Lambda.TooManyRequestsException',
        'ServiceThrottledError',
        'ServiceUnavailableError',
      ]),
    );
    for (const retrier of retriers) {
      expect(retrier.BackoffRate).toBeGreaterThan(1);
      expect(retrier.JitterStrategy).toBe('FULL');
      expect(retrier.ErrorEquals).not.toContain('States.ALL');
    }
  });

  it.each(tasks)('task %s catches every persistent failure to a named state', (_name, state) => {
    const catchers = catchersOf(state);
    expect(catchers.at(-1)?.ErrorEquals).toEqual(['States.ALL']);
    for (const catcher of catchers) expect(definitionHasState(catcher.Next)).toBe(true);
  });

  it('never retries a callback task on its own timeout (a timeout means the person did not act)', () => {
    const callbacks = tasks.filter(([, state]) =>
      String(state.Resource).endsWith('.waitForTaskToken'),
    );
    expect(callbacks.map(([name]) => name).sort()).toEqual(
      ['AwaitIdResubmission', 'AwaitLivenessRetry', 'ManualReview'].sort(),
    );
    for (const [, state] of callbacks) {
      expect(state.TimeoutSecondsPath ?? state.TimeoutSeconds).toBeDefined();
      expect(retriersOf(state).flatMap((r) => r.ErrorEquals)).not.toContain('States.Timeout');
      expect(catchersOf(state)[0]?.ErrorEquals).toEqual(['States.Timeout']);
    }
  });

  it('names only errors the errors module declares', () => {
    const declared = new Set<string>([
      ...Object.keys(workflowErrors),
      ...runtimeErrorNames,
      ...terminalErrorNames,
    ]);
    const used = allStates().flatMap(([, state]) => [
      ...retriersOf(state).flatMap((r) => r.ErrorEquals),
      ...catchersOf(state).flatMap((c) => c.ErrorEquals),
      ...(state.Type === 'Fail' ? [state.Error as string] : []),
    ]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('ends only in a recorded verdict or a named, redrivable failure', () => {
    const ends = allStates().filter(([, state]) => state.End === true || state.Type === 'Fail');
    const topLevelEnds = ends.filter(([name]) => name in definition.States);
    expect(topLevelEnds.map(([name]) => name).sort()).toEqual(
      ['RecordVerdict', 'ReviewQueueUnavailable', 'VerdictNotRecorded'].sort(),
    );
  });

  it('hands tasks ids and keys, never image bytes', () => {
    expect(rawDefinition).not.toMatch(/Bytes|base64/i);
  });
});

function definitionHasState(name: string): boolean {
  return allStates().some(([stateName]) => stateName === name);
}
