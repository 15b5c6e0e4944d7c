import { setTimeout as delay } from 'node:timers/promises';
import type { FaultInjector } from './fault-injector.js';
import type { FunctionFaultKind } from './fault-rules.js';

/** An error whose name is what Step Functions reports as the task's Error. */
class InjectedFunctionError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function failure(fault: FunctionFaultKind, timeoutMs: number): Error {
  switch (fault) {
    case 'throw':
      return new InjectedFunctionError('Error', 'Injected fault: the function threw');
    case 'service-error':
      return new InjectedFunctionError('Lambda.ServiceException', 'Injected fault: Lambda failed');
    case 'throttle':
      return new InjectedFunctionError(
        'Lambda.TooManyRequestsException',
        'Injected fault: Rate Exceeded.',
      );
    case 'timeout':
      return new InjectedFunctionError(
        'Sandbox.Timedout',
        `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
      );
  }
}

/**
 * Wraps a Lambda handler so that the injector may fail an invocation instead of running it:
 * a timed-out invocation first uses up the function's timeout, as on Lambda.
 */
export function withFunctionFaults<E, C, R>(
  name: string,
  handler: (event: E, context: C) => Promise<R>,
  faults: FaultInjector,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    const fault = faults.functionFault(name);
    if (!fault) return handler(event, context);
    if (fault === 'timeout') await delay(faults.functionTimeoutMs);
    throw failure(fault, faults.functionTimeoutMs);
  };
}
