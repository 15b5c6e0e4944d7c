/** An error the API answers with its own status and a machine-readable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly { readonly path: string; readonly message: string }[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);
export const notFound = (message = 'No such case') => new ApiError(404, 'CASE_NOT_FOUND', message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
export const unauthorized = (message = 'Missing or invalid case secret') =>
  new ApiError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = 'Not allowed') => new ApiError(403, 'FORBIDDEN', message);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new ApiError(429, code, message, undefined, { 'retry-after': String(retryAfterSeconds) });
