import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { answerWithFault, type FaultedService, type FaultInjector } from '../faults/index.js';
import { AdmissionControl, type AdmissionLimits } from '../load/admission-control.js';
import { listenOnLoopback, refuseMalformedRequests } from '../loopback.js';
import { handleJsonRequest, type InternalErrorReporter } from './json-protocol.js';
import type { AwsJsonService } from './json-service.js';
import { drainAndClose } from './request-body.js';
import { S3Error, sendS3Error } from './s3-errors.js';

/** Answers every request that is not a JSON-protocol call: the S3 REST API. */
export type RestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface AwsServerOptions {
  readonly services: readonly AwsJsonService[];
  readonly s3?: RestHandler;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Largest JSON request body; two 5 MB images in base64 fit in the default. */
  readonly maxJsonBodyBytes?: number;
  readonly reportInternalError?: InternalErrorReporter;
  /**
   * WebSocket upgrades (the Face Liveness stream): true when taken. Other upgrade requests
   * are refused.
   */
  readonly upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
  /** Fails a share of the Rekognition, Textract and S3 calls (off unless it has rules). */
  readonly faults?: FaultInjector;
  /**
   * Requests served at once and queued; beyond them a request gets ThrottlingException (S3:
   * 503 SlowDown) with Retry-After.
   */
  readonly admission?: AdmissionLimits;
}

export interface AwsServer {
  /** e.g. http://127.0.0.1:4566, the value of every AWS_ENDPOINT_URL_<SERVICE> it serves. */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_JSON_BODY_BYTES = 20 * 1024 * 1024;
export const DEFAULT_AWS_ADMISSION: AdmissionLimits = Object.freeze({
  maxInFlight: 128,
  maxQueued: 1024,
  retryAfterSeconds: 1,
});

/** JSON-protocol services that faults can be injected into, by target prefix. */
const faultedJsonServices: Readonly<Record<string, FaultedService>> = {
  RekognitionService: 'rekognition',
  Textract: 'textract',
};
const s3Operations: Readonly<Record<string, string>> = {
  GET: 'GetObject',
  HEAD: 'HeadObject',
  PUT: 'PutObject',
  DELETE: 'DeleteObject',
};

interface Call {
  readonly service: FaultedService | undefined;
  readonly operation: string;
  readonly jsonVersion: string | undefined;
}

function callOf(
  request: IncomingMessage,
  target: string | undefined,
  services: readonly AwsJsonService[],
): Call {
  if (target === undefined) {
    return {
      service: 's3',
      operation: s3Operations[request.method ?? ''] ?? '',
      jsonVersion: undefined,
    };
  }
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  return {
    service: Object.hasOwn(faultedJsonServices, prefix) ? faultedJsonServices[prefix] : undefined,
    operation: target.slice(dot + 1),
    jsonVersion: services.find((service) => service.targetPrefix === prefix)?.jsonVersion ?? '1.1',
  };
}

/** What AWS's front door answers when it sheds load: throttled, with a hint when to retry. */
function refuseOverload(
  request: IncomingMessage,
  response: ServerResponse,
  call: Call,
  retryAfterSeconds: number,
): void {
  drainAndClose(request, response);
  response.setHeader('retry-after', String(retryAfterSeconds));
  if (call.jsonVersion === undefined) {
    sendS3Error(
      response,
      new S3Error('SlowDown', 'Please reduce your request rate.', 503),
      request.method,
    );
    return;
  }
  const body = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
  response.writeHead(400, {
    'content-type': `application/x-amz-json-${call.jsonVersion}`,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': crypto.randomUUID(),
    'x-amzn-errortype': 'ThrottlingException',
  });
  response.end(body);
}

const notServed: RestHandler = async (request, response) => {
  drainAndClose(request, response);
  sendS3Error(
    response,
    new S3Error('NotImplemented', 'S3 is not served here.', 501),
    request.method,
  );
};

function defaultReporter(): InternalErrorReporter {
  const logger = new Logger({ serviceName: 'local-aws' });
  return (failure) => logger.error('Local AWS operation failed', failure);
}

function duplicatePrefix(services: readonly AwsJsonService[]): string | undefined {
  const prefixes = services.map((service) => service.targetPrefix);
  return prefixes.find((prefix, index) => prefixes.indexOf(prefix) !== index);
}

const unknownUpgradeBody = JSON.stringify({
  __type: 'UnknownOperationException',
  message: 'No WebSocket is served at this path.',
});
const UNKNOWN_UPGRADE = [
  'HTTP/1.1 404 Not Found',
  'Content-Type: application/x-amz-json-1.1',
  'x-amzn-ErrorType: UnknownOperationException',
  `Content-Length: ${Buffer.byteLength(unknownUpgradeBody)}`,
  'Connection: close',
  '',
  unknownUpgradeBody,
].join('\r\n');

/**
 * One HTTP server on 127.0.0.1 for the local AWS services: JSON-protocol services by
 * `X-Amz-Target`, everything else as path-style S3.
 */
export async function createAwsServer(options: AwsServerOptions): Promise<AwsServer> {
  const duplicate = duplicatePrefix(options.services);
  if (duplicate) throw new Error(`Two services use the target prefix ${duplicate}`);
  const reportInternalError = options.reportInternalError ?? defaultReporter();
  const jsonOptions = {
    services: options.services,
    maxBodyBytes: options.maxJsonBodyBytes ?? DEFAULT_MAX_JSON_BODY_BYTES,
    reportInternalError,
  };

  const admission = new AdmissionControl(options.admission ?? DEFAULT_AWS_ADMISSION);

  const serve = (
    request: IncomingMessage,
    response: ServerResponse,
    target: string | undefined,
  ) => {
    const handled =
      target !== undefined
        ? handleJsonRequest(request, response, target, jsonOptions)
        : (options.s3 ?? notServed)(request, response);
    return handled.catch((error: unknown) => {
      reportInternalError({
        operation: `${request.method} ${target ?? 'S3'}`,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'text/plain', connection: 'close' });
      }
      response.end();
    });
  };

  const server = createServer((request, response) => {
    const header = request.headers['x-amz-target'];
    const target = typeof header === 'string' ? header : undefined;
    const call = callOf(request, target, options.services);
    // S3's CORS preflights are answered by the browser's rules, never failed.
    const fault =
      call.service && request.method !== 'OPTIONS'
        ? options.faults?.serviceFault(call.service, call.operation)
        : undefined;
    if (fault && call.service) {
      const injected = {
        service: call.service,
        ...(call.jsonVersion ? { jsonVersion: call.jsonVersion } : {}),
      };
      answerWithFault(request, response, injected, fault, options.faults?.serviceTimeoutMs ?? 0);
      return;
    }
    const admitted = admission.tryEnter();
    if (!admitted) {
      refuseOverload(request, response, call, admission.retryAfterSeconds);
      return;
    }
    void admitted.then(async (release) => {
      try {
        // A client that gave up while queued is not served.
        if (!response.destroyed) await serve(request, response, target);
      } finally {
        release();
      }
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (options.upgrade?.(request, socket, head)) return;
    // Answered rather than dropped, so the client learns that nothing is served there.
    socket.on('error', () => {});
    socket.end(UNKNOWN_UPGRADE);
  });
  refuseMalformedRequests(server);

  const listening = await listenOnLoopback(server, options.port);
  return { url: `http://127.0.0.1:${listening.port}`, close: listening.close };
}
