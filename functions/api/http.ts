import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { ServiceThrottledError, ServiceUnavailableError } from '../domain/errors.js';
import { logger } from '../shared/logger.js';
import { ApiError } from './errors.js';

export const maxJsonBodyBytes = 16 * 1024;

/** The HTTP API event as the functions read it; the authorizer's claims when it ran. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;

const securityHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode: status,
    headers: { ...securityHeaders, ...headers },
    body: JSON.stringify(body),
  };
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** Parses a JSON body against a schema: 413 when too big, 400 when not JSON or not valid. */
export function parseBody<S extends z.ZodType>(event: HttpEvent, schema: S): z.output<S> {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxJsonBodyBytes) {
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `The body exceeds ${maxJsonBodyBytes} bytes`);
  }
  let value: unknown;
  try {
    value = bytes.length === 0 ? {} : JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ApiError(400, 'MALFORMED_JSON', 'The body is not valid JSON');
  }
  return validate(schema, value, 'The body is not valid');
}

export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  message: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(400, 'VALIDATION_FAILED', message, issuesOf(parsed.error));
  }
  return parsed.data;
}

/** Case-insensitive header lookup (HTTP API lower-cases names; other callers may not). */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function errorResult(error: unknown): HttpResult {
  if (error instanceof ApiError) {
    return json(
      error.status,
      {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
        // Also in the body: a browser on another origin cannot read Retry-After unless exposed.
        ...(error.headers['retry-after']
          ? { retryAfterSeconds: Number(error.headers['retry-after']) }
          : {}),
      },
      { ...error.headers },
    );
  }
  if (error instanceof ServiceThrottledError || error instanceof ServiceUnavailableError) {
    logger.warn('Dependency unavailable', { errorName: error.name });
    return json(
      503,
      { code: 'SERVICE_UNAVAILABLE', message: 'Please try again shortly' },
      { 'retry-after': '2' },
    );
  }
  // Only the error's name: messages of unknown errors may carry input data.
  logger.error('Unhandled error', { errorName: (error as Error)?.name ?? typeof error });
  return json(500, { code: 'INTERNAL_ERROR', message: 'Something went wrong' });
}

/** Dispatches on the HTTP API's route key; every failure becomes a JSON error, nothing escapes. */
export function router(
  routes: Readonly<Record<string, RouteHandler>>,
): (event: HttpEvent) => Promise<HttpResult> {
  return async (event) => {
    const route = routes[event.routeKey];
    if (!route) return json(404, { code: 'ROUTE_NOT_FOUND', message: 'No such route' });
    try {
      return await route(event);
    } catch (error) {
      return errorResult(error);
    } finally {
      logger.resetKeys();
    }
  };
}
