/** The subset of an HTTP API's CorsConfiguration the stack sets. */
export interface CorsConfiguration {
  allowOrigins: readonly string[];
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  /** Response headers a page on the web origin may read. */
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

/**
 * What lib/onboarding-api.ts configures (`corsPreflight`), for the one web origin; a test
 * compares it with the synthesized template.
 */
export function onboardingCors(webOrigin: string): CorsConfiguration {
  return {
    allowOrigins: [webOrigin],
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['authorization', 'content-type', 'x-case-secret'],
    // 429 and 503 say how long to wait; the web app honours it.
    exposeHeaders: ['retry-after'],
    maxAgeSeconds: 3600,
  };
}

type Headers = Record<string, string | string[] | undefined>;

const allowedOrigin = (cors: CorsConfiguration, headers: Headers): string | undefined => {
  const origin = headers.origin;
  return typeof origin === 'string' && cors.allowOrigins.includes(origin) ? origin : undefined;
};

export function isPreflight(method: string | undefined, headers: Headers): boolean {
  return (
    method === 'OPTIONS' &&
    headers.origin !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/**
 * API Gateway answers preflights itself, whatever the routes: 204, with the configured CORS
 * headers when the origin is allowed and none otherwise.
 */
export function preflightHeaders(
  cors: CorsConfiguration,
  headers: Headers,
): Record<string, string> {
  const origin = allowedOrigin(cors, headers);
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': cors.allowMethods.join(','),
    'access-control-allow-headers': cors.allowHeaders.join(','),
    'access-control-max-age': String(cors.maxAgeSeconds),
  };
}

/**
 * The response headers of a CORS request: API Gateway ignores the integration's own CORS
 * headers and adds the configured ones.
 */
export function withCorsHeaders(
  cors: CorsConfiguration,
  requestHeaders: Headers,
  responseHeaders: Record<string, string>,
): Record<string, string> {
  const own = Object.fromEntries(
    Object.entries(responseHeaders).filter(([name]) => !name.startsWith('access-control-')),
  );
  const origin = allowedOrigin(cors, requestHeaders);
  return origin
    ? {
        ...own,
        'access-control-allow-origin': origin,
        'access-control-expose-headers': cors.exposeHeaders.join(','),
        vary: 'origin',
      }
    : own;
}
