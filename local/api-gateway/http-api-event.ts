import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteMatch } from './route-matcher.js';

/** Claims as the JWT authorizer hands them on: every value a string. */
export type AuthorizerClaims = Record<string, string>;

/** The payload 2.0 event, with the JWT authorizer's context when the route has one. */
export type HttpApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt: { claims: AuthorizerClaims; scopes: string[] | null } };
  };
};

// Bodies of these types reach the function as text; any other body is base64-encoded.
const TEXT_TYPES =
  /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded)\b)/i;

function joinedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] ?? '').toLowerCase();
    const value = request.rawHeaders[index + 1] ?? '';
    // Repeated headers are joined with commas, as API Gateway does.
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [name, value] of search) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length === 0 ? undefined : parameters;
}

const CLF_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** requestContext.time's format: 12/Mar/2020:19:03:58 +0000. */
function requestTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${CLF_MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export interface EventSource {
  request: IncomingMessage;
  url: URL;
  body: Buffer;
  route: RouteMatch;
  claims: AuthorizerClaims | undefined;
  requestId: string;
}

/** The API Gateway HTTP API (payload format 2.0) event for one request. */
export function httpApiEvent({
  request,
  url,
  body,
  route,
  claims,
  requestId,
}: EventSource): HttpApiEvent {
  const { cookie, ...headers } = joinedHeaders(request);
  const now = new Date();
  const contentType = headers['content-type'] ?? '';
  const isText = body.length > 0 && TEXT_TYPES.test(contentType);
  const host = headers.host ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    // Payload 2.0 moves cookies out of the headers.
    ...(cookie ? { cookies: cookie.split(/;\s*/).filter(Boolean) } : {}),
    headers,
    queryStringParameters: queryParameters(url.searchParams),
    pathParameters: route.pathParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(body.length === 0
      ? { isBase64Encoded: false }
      : {
          body: isText ? body.toString('utf8') : body.toString('base64'),
          isBase64Encoded: !isText,
        }),
  };
}
