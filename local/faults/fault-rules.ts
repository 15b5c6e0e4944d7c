/**
 * Which calls of the local stack fail, and how: rules such as `rekognition:throttle=0.3`, read
 * from `LOCAL_FAULTS` or given to `startLocalStack`. Off unless a rule is given.
 */

export const faultedServices = ['rekognition', 'textract', 's3'] as const;
export type FaultedService = (typeof faultedServices)[number];

/**
 * How a service call fails, each as the service answers it on AWS:
 * - throttle: ThrottlingException (S3: 503 SlowDown)
 * - throughput: ProvisionedThroughputExceededException, HTTP 400 (S3: 503 SlowDown)
 * - unavailable: 503 ServiceUnavailable
 * - internal: 500 InternalServerError (S3: InternalError)
 * - timeout: no answer; the connection is dropped after the hold time
 */
export const serviceFaultKinds = [
  'throttle',
  'throughput',
  'unavailable',
  'internal',
  'timeout',
] as const;
export type ServiceFaultKind = (typeof serviceFaultKinds)[number];

/**
 * How a function (a Lambda task of the workflow) fails, as Step Functions reports it:
 * - throw: the handler throws an unhandled `Error` (not retried by the ASL: its Catch)
 * - service-error: `Lambda.ServiceException`, Lambda's own failure (retried)
 * - throttle: `Lambda.TooManyRequestsException`, the concurrency limit (retried)
 * - timeout: `Sandbox.Timedout` once the function's timeout has passed (retried)
 */
export const functionFaultKinds = ['throw', 'service-error', 'throttle', 'timeout'] as const;
export type FunctionFaultKind = (typeof functionFaultKinds)[number];

export type FaultRule =
  | {
      readonly target: 'service';
      readonly service: FaultedService;
      /** e.g. CompareFaces, AnalyzeID, GetObject; every operation when absent. */
      readonly operation?: string;
      readonly fault: ServiceFaultKind;
      /** Share of the matching calls that fail, 0 to 1. */
      readonly rate: number;
    }
  | {
      readonly target: 'function';
      /** File name of the handler, e.g. estimate-age; every function when absent. */
      readonly name?: string;
      readonly fault: FunctionFaultKind;
      readonly rate: number;
    };

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

const SYNTAX =
  '<target>:<fault>=<rate>, comma-separated; target rekognition|textract|s3|function, ' +
  'optionally .<Operation> or .<function-name> (e.g. rekognition.CompareFaces, ' +
  'function.estimate-age); rate from 0 to 1';
const RULE = /^([a-z0-9]+)(?:\.([A-Za-z0-9-]+))?:([a-z-]+)=([0-9.]+)$/;

function parseRate(text: string, entry: string): number {
  const rate = Number(text);
  if (!/^(0|1|0?\.[0-9]+|1\.0*)$/.test(text) || !(rate >= 0 && rate <= 1)) {
    throw new FaultSpecError(`Fault "${entry}": the rate must be a number from 0 to 1`);
  }
  return rate;
}

function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  what: string,
  entry: string,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new FaultSpecError(
      `Fault "${entry}": unknown ${what} "${value}" (one of ${allowed.join(', ')})`,
    );
  }
  return value as T;
}

/** Parses `LOCAL_FAULTS`; an empty text means no faults. */
export function parseFaultRules(text: string): FaultRule[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry): FaultRule => {
      const match = RULE.exec(entry);
      if (!match) throw new FaultSpecError(`Fault "${entry}" is not ${SYNTAX}`);
      const [, target = '', qualifier, fault = '', rateText = ''] = match;
      const rate = parseRate(rateText, entry);
      if (target === 'function') {
        return {
          target: 'function',
          ...(qualifier ? { name: qualifier } : {}),
          fault: oneOf(fault, functionFaultKinds, 'function fault', entry),
          rate,
        };
      }
      return {
        target: 'service',
        service: oneOf(target, faultedServices, 'target', entry),
        ...(qualifier ? { operation: qualifier } : {}),
        fault: oneOf(fault, serviceFaultKinds, 'service fault', entry),
        rate,
      };
    });
}

/** The rules as `LOCAL_FAULTS` would spell them, for the start banner. */
export function formatFaultRules(rules: readonly FaultRule[]): string {
  return rules
    .map((rule) => {
      const base = rule.target === 'function' ? 'function' : rule.service;
      const qualifier = rule.target === 'function' ? rule.name : rule.operation;
      return `${base}${qualifier ? `.${qualifier}` : ''}:${rule.fault}=${rule.rate}`;
    })
    .join(',');
}
