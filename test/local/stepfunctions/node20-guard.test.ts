import { StateMachine } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installPromiseWithResolvers } from '../../../local/stepfunctions/node20-guard.js';

type PromiseStatics = { withResolvers?: unknown };
type WithResolvers = () => {
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
};

const builtIn = (Promise as PromiseStatics).withResolvers;

// One Task whose failures a States.ALL Catch turns into output, as in the project's ASL.
async function runTaskBehindCatchAll(): Promise<unknown> {
  const machine = new StateMachine(
    {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    },
    { validationOptions: { noValidate: true } },
  );
  return machine.run({}, { overrides: { taskResourceLocalHandlers: { Work: () => 'done' } } })
    .result;
}

describe('Node 20 guard', () => {
  afterEach(() => {
    Object.defineProperty(Promise, 'withResolvers', {
      value: builtIn,
      writable: true,
      configurable: true,
    });
  });

  it('makes Tasks run where Promise.withResolvers is missing, as on Node 20', async () => {
    delete (Promise as PromiseStatics).withResolvers;
    // Without it the Task fails with a TypeError and the catch-all hides it.
    await expect(runTaskBehindCatchAll()).resolves.toMatchObject({ Error: 'TypeError' });

    installPromiseWithResolvers();

    await expect(runTaskBehindCatchAll()).resolves.toBe('done');
  });

  it('behaves like the built-in', async () => {
    delete (Promise as PromiseStatics).withResolvers;
    installPromiseWithResolvers();
    const { withResolvers } = Promise as unknown as { withResolvers: WithResolvers };

    const resolved = withResolvers.call(Promise);
    resolved.resolve(1);
    const rejected = withResolvers.call(Promise);
    rejected.reject(new Error('no'));

    await expect(resolved.promise).resolves.toBe(1);
    await expect(rejected.promise).rejects.toThrow('no');
  });

  it('keeps a built-in Promise.withResolvers', () => {
    const existing = () => undefined;
    Object.defineProperty(Promise, 'withResolvers', { value: existing, configurable: true });

    installPromiseWithResolvers();

    expect((Promise as PromiseStatics).withResolvers).toBe(existing);
  });

  it('is installed by loading the runtime', async () => {
    delete (Promise as PromiseStatics).withResolvers;
    vi.resetModules();

    await import('../../../local/stepfunctions/index.js');

    expect(typeof (Promise as PromiseStatics).withResolvers).toBe('function');
  });
});
