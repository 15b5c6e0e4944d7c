import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import { AdmissionControl, type AdmissionLimits } from '../load/admission-control.js';
import { listenOnLoopback, refuseMalformedRequests } from '../loopback.js';
import {
  type CorsConfiguration,
  isPreflight,
  onboardingCors,
  preflightHeaders,
  withCorsHeaders,
} from './cors.js';
import { type HttpApiEvent, httpApiEvent } from './http-api-event.js';
import { fromHandlerResult, type GatewayResponse, gatewayError } from './http-api-result.js';
import type { OperatorAuth } from './operator-auth.js';
import { RouteMatcher } from './route-matcher.js';
import { signInResponse, signInRoute } from './sign-in.js';

/** A Lambda handler behind an HTTP API route, e.g. functions/handlers/operator-api.ts. */
export type HttpApiHandler = (event: HttpApiEvent) => Promise<unknown>;

/** One Lambda integration and its routes, as lib/onboarding-api.ts adds them. */
export interface ApiIntegration {
  /** `METHOD /path/{param}`: pass `Object.keys(applicantRoutes)`, not a copy of the list. */
  routeKeys: readonly string[];
  /** Routes behind the JWT authorizer (the operator routes). */
  authorizer?: 'jwt';
}

/** Reports a failed integration by error name only: messages may carry personal data. */
export type IntegrationErrorReporter = (failure: { routeKey: string; errorName: string }) => void;

export interface ApiGatewayOptions {
  /** Integrations by name; `handlers` has the handler of each name. */
  routes: Readonly<Record<string, ApiIntegration>>;
  handlers: Readonly<Record<string, HttpApiHandler>>;
  /** The only origin CORS allows, as the stack's `webOrigin`. */
  webOrigin: string;
  auth: OperatorAuth;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** API Gateway's payload limit, 10 MB, by default. */
  maxBodyBytes?: number;
  reportError?: IntegrationErrorReporter;
  /**
   * Requests served at once and queued (API Gateway's throttling, in small): beyond them a
   * request gets 503 with Retry-After at once rather than waiting until it times out.
   */
  admission?: AdmissionLimits;
}

export interface ApiGateway {
  /** e.g. http://127.0.0.1:3001, the API's base URL for the web app. */
  readonly url: string;
  close(): Promise<void>;
}

const TEN_MEGABYTES = 10 * 1024 * 1024;
export const DEFAULT_API_ADMISSION: AdmissionLimits = Object.freeze({
  maxInFlight: 64,
  maxQueued: 512,
  retryAfterSeconds: 1,
});

interface RouteTarget {
  handler: HttpApiHandler;
  authorized: boolean;
}

function routeTargets(options: ApiGatewayOptions): Map<string, RouteTarget> {
  const targets = new Map<string, RouteTarget>();
  for (const [name, integration] of Object.entries(options.routes)) {
    const handler = options.handlers[name];
    if (!handler) throw new Error(`No handler for the ${name} integration`);
    for (const routeKey of integration.routeKeys) {
      if (targets.has(routeKey) || routeKey === signInRoute) {
        throw new Error(`Route ${routeKey} is declared twice`);
      }
      targets.set(routeKey, { handler, authorized: integration.authorizer === 'jwt' });
    }
  }
  return targets;
}

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

// How much of an oversized body is read and dropped so that the client gets its 413 cleanly.
const DRAIN_FACTOR = 4;

/**
 * Reads the body, refusing it as soon as it is known to be too large (declared or counted):
 * the 413 goes out while the rest is read and dropped, up to a bound past which the
 * connection is cut. Refusing only at the end left nothing to answer once the bound cut a
 * larger body off.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = Number(request.headers['content-length'] ?? 0) > maxBytes;
    if (refused) reject(new BodyTooLargeError());
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!refused && size > maxBytes) {
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLargeError());
      }
      if (size > maxBytes * DRAIN_FACTOR) request.destroy();
      else if (!refused) chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

const internalError = () => gatewayError(500, 'INTERNAL_ERROR', 'Internal Server Error');

function defaultReporter(): IntegrationErrorReporter {
  const logger = new Logger({ serviceName: 'local-api-gateway' });
  return (failure) => logger.error('Integration failed', failure);
}

/**
 * The HTTP API on 127.0.0.1: routes requests to the handlers as API Gateway HTTP API
 * (payload format 2.0) events, answers CORS as the stack configures it, verifies operator
 * JWTs like the Cognito authorizer, and serves the local operator sign-in.
 */
export async function createApiGateway(options: ApiGatewayOptions): Promise<ApiGateway> {
  const targets = routeTargets(options);
  const matcher = new RouteMatcher(targets.keys());
  const cors: CorsConfiguration = onboardingCors(options.webOrigin);
  const maxBodyBytes = options.maxBodyBytes ?? TEN_MEGABYTES;
  const reportError = options.reportError ?? defaultReporter();
  const signIn = signInResponse(options.auth);
  const admission = new AdmissionControl(options.admission ?? DEFAULT_API_ADMISSION);

  async function respond(request: IncomingMessage, requestId: string): Promise<GatewayResponse> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    let body: Buffer;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return gatewayError(413, 'PAYLOAD_TOO_LARGE', 'Request Entity Too Large');
      throw error;
    }
    const sourceIp = request.socket.remoteAddress ?? 'unknown';
    if (`${method} ${url.pathname}` === signInRoute) return signIn(body, sourceIp);
    const route = matcher.match(method, url.pathname);
    const target = route && targets.get(route.routeKey);
    if (!route || !target) return gatewayError(404, 'ROUTE_NOT_FOUND', 'Not Found');
    const claims = target.authorized
      ? await options.auth.verify(request.headers.authorization)
      : undefined;
    if (target.authorized && !claims) return gatewayError(401, 'UNAUTHORIZED', 'Unauthorized');
    const event = httpApiEvent({ request, url, body, route, claims, requestId });
    try {
      return fromHandlerResult(await target.handler(event));
    } catch (error) {
      reportError({
        routeKey: route.routeKey,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      return internalError();
    }
  }

  function write(
    request: IncomingMessage,
    response: ServerResponse,
    answer: GatewayResponse,
    requestId: string,
  ) {
    const headers = {
      ...withCorsHeaders(cors, request.headers, answer.headers),
      'content-length': String(answer.body.length),
      'apigw-requestid': requestId,
    };
    response.writeHead(answer.statusCode, {
      ...headers,
      ...(answer.cookies.length > 0 ? { 'set-cookie': answer.cookies } : {}),
    });
    response.end(answer.body);
  }

  /** Never rejects: nothing about one request may take the server down. */
  function handle(request: IncomingMessage, response: ServerResponse, requestId: string) {
    return respond(request, requestId)
      .catch((error: unknown) => {
        // Failed outside any integration, e.g. a client that went away mid-body.
        reportError({
          routeKey: '-',
          errorName: error instanceof Error ? error.name : typeof error,
        });
        return internalError();
      })
      .then((answer) => {
        if (!response.headersSent && !response.destroyed) {
          write(request, response, answer, requestId);
        }
      })
      .catch(() => response.destroy());
  }

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    if (isPreflight(request.method, request.headers)) {
      request.resume();
      response.writeHead(204, {
        ...preflightHeaders(cors, request.headers),
        'apigw-requestid': requestId,
      });
      response.end();
      return;
    }
    const admitted = admission.tryEnter();
    if (!admitted) {
      request.resume();
      response.shouldKeepAlive = false;
      const retryAfter = String(admission.retryAfterSeconds);
      write(
        request,
        response,
        gatewayError(503, 'SERVICE_UNAVAILABLE', 'Service Unavailable', {
          'retry-after': retryAfter,
        }),
        requestId,
      );
      return;
    }
    void admitted.then(async (release) => {
      try {
        // A client that gave up while queued is not served.
        if (!response.destroyed) await handle(request, response, requestId);
      } finally {
        release();
      }
    });
  });
  refuseMalformedRequests(server);

  const listening = await listenOnLoopback(server, options.port);
  return { url: `http://127.0.0.1:${listening.port}`, close: listening.close };
}
