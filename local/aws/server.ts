import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
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
}

export interface AwsServer {
  /** e.g. http://127.0.0.1:4566, the value of every AWS_ENDPOINT_URL_<SERVICE> it serves. */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_JSON_BODY_BYTES = 20 * 1024 * 1024;

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

  const server = createServer((request, response) => {
    const target = request.headers['x-amz-target'];
    const handled =
      typeof target === 'string'
        ? handleJsonRequest(request, response, target, jsonOptions)
        : (options.s3 ?? notServed)(request, response);
    handled.catch((error: unknown) => {
      reportInternalError({
        operation: `${request.method} ${typeof target === 'string' ? target : 'S3'}`,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'text/plain', connection: 'close' });
      }
      response.end();
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (!options.upgrade?.(request, socket, head)) socket.destroy();
  });
  refuseMalformedRequests(server);

  const listening = await listenOnLoopback(server, options.port);
  return { url: `http://127.0.0.1:${listening.port}`, close: listening.close };
}
