import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsJsonService, AwsServiceError } from './json-service.js';
import { BodyTooLargeError, drainAndClose, readBody } from './request-body.js';

/** Reports a failure that is not the caller's fault, by error name only: inputs hold images. */
export type InternalErrorReporter = (failure: { operation: string; errorName: string }) => void;

export interface JsonProtocolOptions {
  readonly services: readonly AwsJsonService[];
  readonly maxBodyBytes: number;
  readonly reportInternalError: InternalErrorReporter;
}

interface WireError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** The SDK's own exception classes, and errors built like them, carry a client fault. */
function isClientFault(error: unknown): error is { name: string; message?: string } {
  const candidate = error as { name?: unknown; $fault?: unknown } | null;
  return typeof candidate?.name === 'string' && candidate.$fault === 'client';
}

function wireErrorOf(error: unknown, operation: string, report: InternalErrorReporter): WireError {
  if (error instanceof AwsServiceError) {
    return { status: error.status, code: error.code, message: error.message };
  }
  if (isClientFault(error)) {
    return { status: 400, code: error.name, message: error.message ?? error.name };
  }
  report({ operation, errorName: error instanceof Error ? error.name : typeof error });
  return { status: 500, code: 'InternalFailure', message: 'The request processing has failed.' };
}

/** JSON protocols put timestamps on the wire as epoch seconds and blobs as base64. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, converted) {
    const original = this[key];
    if (original instanceof Date) return original.getTime() / 1000;
    if (original instanceof Uint8Array) return Buffer.from(original).toString('base64');
    return converted;
  });
}

function send(response: ServerResponse, status: number, contentType: string, body: string) {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': crypto.randomUUID(),
  });
  response.end(body);
}

function sendError(response: ServerResponse, contentType: string, error: WireError) {
  response.setHeader('x-amzn-errortype', error.code);
  send(
    response,
    error.status,
    contentType,
    toWireJson({ __type: error.code, message: error.message }),
  );
}

/** Answers one `POST /` carrying an `X-Amz-Target` header. */
export async function handleJsonRequest(
  request: IncomingMessage,
  response: ServerResponse,
  target: string,
  options: JsonProtocolOptions,
): Promise<void> {
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const operationName = target.slice(dot + 1);
  const service = options.services.find((candidate) => candidate.targetPrefix === prefix);
  const contentType = `application/x-amz-json-${service?.jsonVersion ?? '1.1'}`;
  const fail = (code: string, message: string, status = 400) => {
    drainAndClose(request, response);
    sendError(response, contentType, { code, message, status });
  };

  const operation =
    service && Object.hasOwn(service.operations, operationName)
      ? service.operations[operationName]
      : undefined;
  if (request.method !== 'POST' || dot < 1 || !service || !operation) {
    fail('UnknownOperationException', `Unknown operation ${target}`);
    return;
  }
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== contentType) {
    fail('SerializationException', `Expected content type ${contentType}`, 415);
    return;
  }

  let body: Buffer;
  try {
    body = await readBody(request, options.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      fail('RequestEntityTooLargeException', 'Request body is too large', 413);
    } else {
      response.destroy();
    }
    return;
  }

  let input: unknown;
  try {
    // The SDK sends `{}` for an operation without input; some clients send nothing at all.
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    sendError(response, contentType, {
      status: 400,
      code: 'SerializationException',
      message: 'Request body is not valid JSON',
    });
    return;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    sendError(response, contentType, {
      status: 400,
      code: 'SerializationException',
      message: 'Request body must be a JSON object',
    });
    return;
  }

  try {
    const output = await operation(input);
    send(response, 200, contentType, toWireJson(output ?? {}));
  } catch (error) {
    sendError(response, contentType, wireErrorOf(error, target, options.reportInternalError));
  }
}
