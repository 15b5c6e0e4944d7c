import type { HttpEvent } from '../../../functions/api/http.js';

export interface EventOptions {
  body?: unknown;
  rawBody?: string;
  base64?: boolean;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  claims?: Record<string, string | string[]>;
}

/** An HTTP API (payload 2.0) event as API Gateway sends it to the functions. */
export function httpEvent(routeKey: string, options: EventOptions = {}): HttpEvent {
  const [method, path] = routeKey.split(' ') as [string, string];
  const text =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(text === undefined
      ? { isBase64Encoded: false }
      : options.base64
        ? { body: Buffer.from(text).toString('base64'), isBase64Encoded: true }
        : { body: text, isBase64Encoded: false }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.test',
      domainPrefix: 'example',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '21/Nov/2026:00:00:00 +0000',
      timeEpoch: 0,
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims } } } : {}),
    },
  } as HttpEvent;
}

export function parse(result: { body?: string; statusCode?: number }) {
  return {
    status: result.statusCode,
    body: JSON.parse(result.body ?? '{}') as Record<string, unknown>,
  };
}

/** Environment the handlers read at module load. */
export function stubHandlerEnv(): void {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TABLE_NAME: 'cases',
    BUCKET_NAME: 'images',
    EVENT_BUS_NAME: 'bus',
    STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
}
