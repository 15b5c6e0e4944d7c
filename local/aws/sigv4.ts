import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './s3-errors.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What SigV4 signs of a request, taken from the wire as it arrived. */
export interface SignedRequest {
  readonly method: string;
  /** Raw (still percent-encoded) path: S3 signs it as sent, without normalising it. */
  readonly rawPath: string;
  /** Raw query string without the leading `?`. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3's bounds: presigned URLs live at most 7 days; signed requests may be 15 minutes off. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

export function parseQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    return equals < 0
      ? [decode(pair), '']
      : [decode(pair.slice(0, equals)), decode(pair.slice(equals + 1))];
  });
}

function canonicalQuery(query: readonly [string, string][]): string {
  return query
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
    .sort()
    .join('&');
}

function canonicalHeaders(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): string {
  return signedHeaders
    .map((name) => {
      const value = headers[name];
      if (value === undefined) {
        throw new S3Error(
          'SignatureDoesNotMatch',
          `The signed header ${name} is missing from the request.`,
          403,
        );
      }
      const joined = Array.isArray(value) ? value.join(',') : value;
      return `${name}:${joined.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
}

interface Scope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

function parseCredential(credential: string, malformed: string): Scope {
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !date || !region || service !== 's3' || terminator !== 'aws4_request') {
    throw new S3Error(malformed, 'The credential scope is malformed.', 400);
  }
  if (rest.length > 0) throw new S3Error(malformed, 'The credential scope is malformed.', 400);
  return { accessKeyId, date, region, service };
}

/** `20261121T193000Z` to a Date, or undefined. */
function parseAmzDate(text: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
}

function expectedSignature(
  request: SignedRequest,
  query: readonly [string, string][],
  auth: { scope: Scope; amzDate: string; signedHeaders: readonly string[]; payloadHash: string },
  secretAccessKey: string,
): string {
  const canonicalRequest = [
    request.method,
    request.rawPath,
    canonicalQuery(query),
    canonicalHeaders(request.headers, auth.signedHeaders),
    auth.signedHeaders.join(';'),
    auth.payloadHash,
  ].join('\n');
  const { date, region, service } = auth.scope;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, auth.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service),
    'aws4_request',
  );
  return hmac(key, stringToSign).toString('hex');
}

function checkSignature(given: string, expected: string): void {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      403,
    );
  }
}

function checkAccessKey(scope: Scope, credentials: Credentials): void {
  if (scope.accessKeyId !== credentials.accessKeyId) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      403,
    );
  }
}

function signedHeaderList(text: string, malformed: string): string[] {
  const names = text.split(';');
  if (!names.includes('host') || names.some((name) => name !== name.toLowerCase() || !name)) {
    throw new S3Error(malformed, 'SignedHeaders must be lowercase and include host.', 400);
  }
  return names;
}

/** Verifies a presigned URL (SigV4 query authentication) with the one set of credentials. */
export function verifyPresignedRequest(
  request: SignedRequest,
  credentials: Credentials,
  now: Date,
): void {
  const malformed = 'AuthorizationQueryParametersError';
  const query = parseQuery(request.rawQuery);
  const param = (name: string) => query.find(([key]) => key === name)?.[1];
  if (param('X-Amz-Algorithm') !== ALGORITHM) {
    throw new S3Error(malformed, `X-Amz-Algorithm must be ${ALGORITHM}.`, 400);
  }
  const amzDate = param('X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  const expires = Number(param('X-Amz-Expires'));
  const signature = param('X-Amz-Signature');
  if (!signedAt || !Number.isInteger(expires) || expires < 1 || !signature) {
    throw new S3Error(malformed, 'The presigned URL is missing or has malformed parameters.', 400);
  }
  if (expires > MAX_EXPIRES_SECONDS) {
    throw new S3Error(malformed, 'X-Amz-Expires must be less than a week.', 400);
  }
  const scope = parseCredential(param('X-Amz-Credential') ?? '', malformed);
  checkAccessKey(scope, credentials);
  const signedHeaders = signedHeaderList(param('X-Amz-SignedHeaders') ?? '', malformed);
  if (now.getTime() < signedAt.getTime() - MAX_CLOCK_SKEW_MS) {
    throw new S3Error('AccessDenied', 'Request is not valid yet', 403);
  }
  if (now.getTime() > signedAt.getTime() + expires * 1000) {
    throw new S3Error('AccessDenied', 'Request has expired', 403, {
      Expires: new Date(signedAt.getTime() + expires * 1000).toISOString(),
      ServerTime: now.toISOString(),
    });
  }
  const payloadHash = param('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  const auth = { scope, amzDate, signedHeaders, payloadHash };
  checkSignature(signature, expectedSignature(request, query, auth, credentials.secretAccessKey));
}

/**
 * Verifies a request signed in its Authorization header. Returns the payload hash it signed,
 * which the caller checks against the body once read (or UNSIGNED-PAYLOAD).
 */
export function verifyHeaderSignedRequest(
  request: SignedRequest,
  credentials: Credentials,
  now: Date,
): string {
  const malformed = 'AuthorizationHeaderMalformed';
  const header = request.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!match) {
    throw new S3Error(malformed, 'The authorization header is malformed.', 400);
  }
  const [, credential = '', signedHeaderText = '', signature = ''] = match;
  const scope = parseCredential(credential, malformed);
  checkAccessKey(scope, credentials);
  const signedHeaders = signedHeaderList(signedHeaderText, malformed);
  const amzDateHeader = request.headers['x-amz-date'];
  const amzDate = typeof amzDateHeader === 'string' ? amzDateHeader : '';
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) throw new S3Error('AccessDenied', 'X-Amz-Date is missing or malformed.', 403);
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new S3Error(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      403,
    );
  }
  const payloadHeader = request.headers['x-amz-content-sha256'];
  if (typeof payloadHeader !== 'string') {
    throw new S3Error('InvalidRequest', 'Missing required header x-amz-content-sha256.', 400);
  }
  if (payloadHeader !== UNSIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(payloadHeader)) {
    // aws-chunked uploads (STREAMING-*) are what the SDK sends for stream bodies.
    throw new S3Error('NotImplemented', 'Chunked (streaming) uploads are not supported.', 501);
  }
  const query = parseQuery(request.rawQuery);
  const auth = { scope, amzDate, signedHeaders, payloadHash: payloadHeader };
  checkSignature(signature, expectedSignature(request, query, auth, credentials.secretAccessKey));
  return payloadHeader;
}

/** Checks a body against the payload hash its signature covers. */
export function checkPayloadHash(body: Uint8Array, payloadHash: string): void {
  if (payloadHash !== UNSIGNED_PAYLOAD && sha256Hex(body) !== payloadHash) {
    throw new S3Error(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
    );
  }
}
