import { ServiceThrottledError, ServiceUnavailableError } from '../domain/errors.js';

const throttlingNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'SlowDown',
]);

const transientNames = new Set([
  'InternalServerError',
  'InternalServerErrorException',
  'InternalException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

interface AwsErrorLike {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export type ErrorTranslations = Readonly<Record<string, () => Error>>;

/**
 * Maps an AWS SDK error to the workflow's contract: the service-specific names given, then
 * throttling and transient faults (which the ASL retries). Anything else is rethrown as is
 * and ends in the ASL's catch-all.
 */
export function translateAwsError(error: unknown, translations: ErrorTranslations = {}): never {
  const e = (error ?? {}) as AwsErrorLike;
  const name = e.name ?? '';
  const translate = Object.hasOwn(translations, name) ? translations[name] : undefined;
  if (translate) throw translate();
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (throttlingNames.has(name) || status === 429) {
    throw new ServiceThrottledError(`${name || 'HTTP 429'} from the service`);
  }
  if (
    transientNames.has(name) ||
    transientNames.has(e.code ?? '') ||
    status >= 500 ||
    e.$retryable
  ) {
    throw new ServiceUnavailableError(`${name || `HTTP ${status}`} from the service`);
  }
  throw error;
}

/** Runs an SDK call and translates its failure. */
export async function callAws<T>(
  call: () => Promise<T>,
  translations?: ErrorTranslations,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    translateAwsError(error, translations);
  }
}
