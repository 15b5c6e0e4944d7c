import type { IncomingMessage, ServerResponse } from 'node:http';
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

function sendS3Fault(response: ServerResponse, method: string | undefined, fault: WireFault) {
  const requestId = crypto.randomUUID();
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code>` +
    `<Message>${fault.message}</Message><RequestId>${requestId}</RequestId></Error>`;
  response.statusCode = fault.status;
  response.setHeader('x-amz-request-id', requestId);
  // HEAD responses carry no body; the SDK names the error from the status code alone.
  if (method === 'HEAD') {
    response.end();
    return;
  }
  response.setHeader('content-type', 'application/xml');
  response.setHeader('content-length', Buffer.byteLength(body));
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
  if (call.service === 's3') sendS3Fault(response, request.method, s3Faults[fault]);
  else sendJsonFault(response, call.jsonVersion ?? '1.1', jsonFaults[fault]);
}
