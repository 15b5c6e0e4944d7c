import { ApiError, NetworkError } from './http.ts';

/** Wording for a failed call that tells the person what to do, without internals. */
export function errorMessage(error: unknown): string {
  if (error instanceof NetworkError) {
    return 'We could not reach the service. Check your connection and try again.';
  }
  if (error instanceof ApiError) {
    if (error.status === 429 || error.status === 503) {
      return 'The service is busy. Please wait a moment and try again.';
    }
    if (error.status >= 500) return 'Something went wrong on our side. Please try again.';
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}
