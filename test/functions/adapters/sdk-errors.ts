import { expect } from 'vitest';

/**
 * An error shaped as the SDK shapes a service exception it has no class for (or a
 * transport failure): a name and the response's HTTP status in `$metadata`.
 */
export function awsError(
  name: string,
  httpStatusCode?: number,
  extra: Record<string, unknown> = {},
): Error {
  return Object.assign(new Error(`${name} (test)`), {
    name,
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
    ...extra,
  });
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** The promise rejects with an instance of `type` whose `name` (the ASL contract) is the class name. */
export async function expectRejection(promise: Promise<unknown>, type: ErrorClass): Promise<Error> {
  const error = await promise.then(
    () => new Error('expected a rejection, got a result'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as Error).name).toBe(type.name);
  return error as Error;
}

/** Table rows `[cause, error, ExpectedError, ...]` titled `cause -> ExpectedError`. */
export function titled<T extends [string, unknown, ErrorClass, ...unknown[]]>(rows: T[]): T[] {
  return rows.map((row) => {
    const copy = [...row] as T;
    copy[0] = `${row[0]} -> ${row[2].name}`;
    return copy;
  });
}
