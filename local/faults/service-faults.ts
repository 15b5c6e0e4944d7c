import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error, sendS3Error } from '../aws/s3-errors.js';
import type { FaultedService, ServiceFaultKind } from './fault-rules.js';

interface WireFault {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * The errors as Rekognition's and Textract's API references give them: ThrottlingException is
 * a server fault (HTTP 500), ProvisionedThroughputExceededException a client one (400).
 */
const jsonFaults: Record<Exclude<ServiceFaultKind, 'timeout'>, WireFault> = {
  throttle: {
    status: 500,
    code: 'ThrottlingException',
    message: 'The service is temporarily unable to process the request. Try your call again.',
  },
  throughput: {
    status: 400,
    code: 'ProvisionedThroughputExceededException',
    message: 'The number of requests exceeded your throughput limit.',
  },
  unavailable: { status: 503, code: 'ServiceUnavailable', message: 'Service Unavailable' },
  internal: {
    status: 500,
    code: 'InternalServerError',
    message: 'The service experienced a service issue. Try your call again.',
  },
};

const s3Faults: Record<Exclude<ServiceFaultKind, 'timeout'>, WireFault> = {
  throttle: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  throughput: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  unavailable: {
    status: 503,
    code: 'ServiceUnavailable',
    message: 'Service is unable to handle request.',
  },
  internal: {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
};

function discardBody(request: IncomingMessage, response: ServerResponse): void {
  response.shouldKeepAlive = false;
  request.on('error', () => {
    // The client gave up first; nothing is left to answer.
  });
  request.resume();
}

function sendJsonFault(response: ServerResponse, jsonVersion: string, fault: WireFault): void {
  const body = JSON.stringify({ __type: fault.code, message: fault.message });
  response.writeHead(fault.status, {
    'content-type': `application/x-amz-json-${jsonVersion}`,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': crypto.randomUUID(),
    'x-amzn-errortype': fault.code,
  });
  response.end(body);
}

export interface InjectedCall {
  readonly service: FaultedService;
  /** The JSON protocol version of the service; S3 answers XML. */
  readonly jsonVersion?: string;
}

/**
 * Answers a call with an injected fault instead of serving it. A timeout holds the request
 * without an answer and then drops the connection, as a dead backend behind a load balancer:
 * the SDK sees a reset socket (ECONNRESET), one of its transient errors.
 */
export function answerWithFault(
  request: IncomingMessage,
  response: ServerResponse,
  call: InjectedCall,
  fault: ServiceFaultKind,
  timeoutMs: number,
): void {
  discardBody(request, response);
  if (fault === 'timeout') {
    const timer = setTimeout(() => response.destroy(), timeoutMs);
    response.once('close', () => clearTimeout(timer));
    return;
  }
  if (call.service === 's3') {
    const { code, message, status } = s3Faults[fault];
    sendS3Error(response, new S3Error(code, message, status), request.method);
  } else sendJsonFault(response, call.jsonVersion ?? '1.1', jsonFaults[fault]);
}
