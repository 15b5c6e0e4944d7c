import {
  InternalServerError,
  InvalidParameterException,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { describe, expect, it } from 'vitest';
import { callAws, translateAwsError } from '../../../functions/adapters/aws-errors.js';
import {
  NoFaceInReferenceImageError,
  ServiceThrottledError,
  ServiceUnavailableError,
} from '../../../functions/domain/errors.js';
import { awsError, expectRejection } from './sdk-errors.js';

const metadata = { $metadata: {} };

function thrownBy(error: unknown, translations?: Parameters<typeof translateAwsError>[1]): unknown {
  try {
    translateAwsError(error, translations);
  } catch (thrown) {
    return thrown;
  }
  throw new Error('translateAwsError returned');
}

describe('translateAwsError', () => {
  // biome-ignore format: one table row per line
  const throttled: [string, Error][] = [
    ['ThrottlingException', new ThrottlingException({ message: 'Rate exceeded', ...metadata })],
    ['ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException({ message: 'slow down', ...metadata })],
    ['LimitExceededException', new LimitExceededException({ message: 'limit', ...metadata })],
    ['TooManyRequestsException', awsError('TooManyRequestsException', 400)],
    ['SlowDown (S3)', awsError('SlowDown', 503)],
    ['an unnamed HTTP 429', awsError('SomeNewLimitException', 429)],
  ];
  it.each(throttled)('%s -> ServiceThrottledError', (_label, error) => {
    const thrown = thrownBy(error);
    expect(thrown).toBeInstanceOf(ServiceThrottledError);
    expect((thrown as Error).name).toBe('ServiceThrottledError');
  });

  // biome-ignore format: one table row per line
  const unavailable: [string, Error][] = [
    ['InternalServerError', new InternalServerError({ message: 'boom', ...metadata })],
    ['ServiceUnavailableException', awsError('ServiceUnavailableException')],
    ['HTTP 500', awsError('UnknownError', 500)],
    ['HTTP 502', awsError('UnknownError', 502)],
    ['HTTP 503', awsError('UnknownError', 503)],
    ['$retryable', awsError('SomethingTransient', 400, { $retryable: {} })],
    ['TimeoutError', awsError('TimeoutError')],
    ['a connection reset (code)', awsError('Error', undefined, { code: 'ECONNRESET' })],
  ];
  it.each(unavailable)('%s -> ServiceUnavailableError', (_label, error) => {
    const thrown = thrownBy(error);
    expect(thrown).toBeInstanceOf(ServiceUnavailableError);
    expect((thrown as Error).name).toBe('ServiceUnavailableError');
  });

  // biome-ignore format: one table row per line
  const unknown: [string, unknown][] = [
    ['a 4xx the workflow has no name for', new InvalidParameterException({ message: 'bad', ...metadata })],
    ['HTTP 403', awsError('AccessDeniedException', 403)],
    ['HTTP 499', awsError('ClientClosed', 499)],
    ['a plain Error', new Error('bug')],
    ['a string', 'not even an Error'],
  ];
  it.each(unknown)('%s is rethrown unchanged', (_label, error) => {
    expect(thrownBy(error)).toBe(error);
  });

  it('a service-specific translation wins over the generic ones', () => {
    const thrown = thrownBy(new ThrottlingException({ message: 'x', ...metadata }), {
      ThrottlingException: () => new NoFaceInReferenceImageError(),
    });
    expect(thrown).toBeInstanceOf(NoFaceInReferenceImageError);
  });

  it('translations apply by exact name only', () => {
    const error = new InvalidParameterException({ message: 'bad', ...metadata });
    expect(thrownBy(error, { InvalidParameter: () => new NoFaceInReferenceImageError() })).toBe(
      error,
    );
  });

  it('names the cause in the message of the translated error', () => {
    expect((thrownBy(awsError('UnknownError', 503)) as Error).message).toContain('UnknownError');
    expect((thrownBy(awsError('', 429)) as Error).message).toContain('HTTP 429');
  });
});

describe('callAws', () => {
  it('returns the result of a call that succeeds', async () => {
    await expect(callAws(() => Promise.resolve({ ok: 1 }))).resolves.toStrictEqual({ ok: 1 });
  });

  it('translates the failure of a call', async () => {
    const call = () => Promise.reject(new ThrottlingException({ message: 'x', ...metadata }));
    await expectRejection(callAws(call), ServiceThrottledError);
  });

  it('applies the translations given', async () => {
    const call = () => Promise.reject(new InvalidParameterException({ message: 'x', ...metadata }));
    await expectRejection(
      callAws(call, { InvalidParameterException: () => new NoFaceInReferenceImageError() }),
      NoFaceInReferenceImageError,
    );
  });

  it('rethrows an unknown failure as is', async () => {
    const error = awsError('AccessDeniedException', 403);
    await expect(callAws(() => Promise.reject(error))).rejects.toBe(error);
  });
});
