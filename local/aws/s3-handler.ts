import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore, WriteCondition } from './object-store.js';
import { BodyTooLargeError, drainAndClose, readBody } from './request-body.js';
import { S3Error, sendS3Error } from './s3-errors.js';
import type { RestHandler } from './server.js';
import {
  type Credentials,
  checkPayloadHash,
  parseQuery,
  type SignedRequest,
  UNSIGNED_PAYLOAD,
  verifyHeaderSignedRequest,
  verifyPresignedRequest,
} from './sigv4.js';

export interface S3HandlerOptions {
  readonly store: ObjectStore;
  /** The one identity requests must be signed with (the dummy credentials of the stack). */
  readonly credentials: Credentials;
  /** Browser origin allowed by CORS, as the bucket's CORS rule on AWS. */
  readonly webOrigin: string;
  /** Largest object accepted by PutObject. */
  readonly maxObjectBytes?: number;
  readonly now?: () => Date;
}

const DEFAULT_MAX_OBJECT_BYTES = 25 * 1024 * 1024;
const CORS_METHODS = ['GET', 'PUT', 'HEAD'];
/** Query parameters of the supported operations; any other names a sub-resource (?acl...). */
const OBJECT_QUERY = /^(x-id|X-Amz-[A-Za-z0-9-]+)$/;

const headerText = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(',') : value;

/** S3 supports only `If-None-Match: *` on writes; any other value is not implemented. */
function writeCondition(request: IncomingMessage): WriteCondition {
  const ifNoneMatch = headerText(request.headers['if-none-match']);
  const ifMatch = headerText(request.headers['if-match']);
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
    throw new S3Error(
      'NotImplemented',
      'A header you provided implies functionality that is not implemented',
      501,
      { Header: 'If-None-Match' },
    );
  }
  return {
    ...(ifNoneMatch === '*' ? { ifNoneMatch: true } : {}),
    ...(ifMatch !== undefined ? { ifMatch } : {}),
  };
}

/** The body's SHA-256 when the client sent one to check (x-amz-checksum-sha256). */
function checkSha256(request: IncomingMessage, body: Buffer): string | undefined {
  const claimed = headerText(request.headers['x-amz-checksum-sha256']);
  if (claimed === undefined) return undefined;
  const actual = createHash('sha256').update(body).digest('base64');
  if (claimed !== actual) {
    throw new S3Error(
      'BadDigest',
      'The SHA256 you specified did not match the calculated checksum.',
      400,
    );
  }
  return actual;
}

interface Target {
  readonly bucket: string;
  readonly key: string;
}

function parseTarget(rawPath: string): Target {
  const [, rawBucket = '', ...rawKey] = rawPath.split('/');
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400);
    }
  };
  return { bucket: decode(rawBucket), key: decode(rawKey.join('/')) };
}

function allowCors(response: ServerResponse, origin: string): void {
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('access-control-expose-headers', 'ETag, x-amz-request-id');
  response.setHeader('vary', 'Origin');
}

function preflight(request: IncomingMessage, response: ServerResponse, webOrigin: string): void {
  const method = request.headers['access-control-request-method'] ?? '';
  if (request.headers.origin !== webOrigin || !CORS_METHODS.includes(method)) {
    throw new S3Error('AccessForbidden', 'CORSResponse: This CORS request is not allowed.', 403);
  }
  allowCors(response, webOrigin);
  response.setHeader('access-control-allow-methods', CORS_METHODS.join(', '));
  const requested = request.headers['access-control-request-headers'];
  if (requested) response.setHeader('access-control-allow-headers', requested);
  response.setHeader('access-control-max-age', '3000');
  response.writeHead(200);
  response.end();
}

/** Path-style S3 REST: PutObject, GetObject, HeadObject and DeleteObject, SigV4-verified. */
export function createS3Handler(options: S3HandlerOptions): RestHandler {
  const maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const now = options.now ?? (() => new Date());

  const authenticate = (request: IncomingMessage, signed: SignedRequest): string => {
    if (parseQuery(signed.rawQuery).some(([name]) => name === 'X-Amz-Algorithm')) {
      verifyPresignedRequest(signed, options.credentials, now());
      return UNSIGNED_PAYLOAD;
    }
    if (request.headers.authorization !== undefined) {
      return verifyHeaderSignedRequest(signed, options.credentials, now());
    }
    throw new S3Error('AccessDenied', 'Access Denied', 403);
  };

  const putObject = async (request: IncomingMessage, target: Target, payloadHash: string) => {
    const condition = writeCondition(request);
    let body: Buffer;
    try {
      body = await readBody(request, maxObjectBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      throw new S3Error(
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed size',
        400,
        { MaxSizeAllowed: String(maxObjectBytes) },
      );
    }
    checkPayloadHash(body, payloadHash);
    const checksum = checkSha256(request, body);
    const contentType = request.headers['content-type'] ?? 'application/octet-stream';
    const metadata = await options.store.put(
      target.bucket,
      target.key,
      body,
      contentType,
      condition,
    );
    return { etag: metadata.etag, checksum };
  };

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? '';
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
    const rawQuery = queryStart < 0 ? '' : url.slice(queryStart + 1);
    const origin = request.headers.origin;
    if (origin === options.webOrigin) allowCors(response, origin);
    if (method === 'OPTIONS') {
      preflight(request, response, options.webOrigin);
      return;
    }

    const target = parseTarget(rawPath);
    const unsupported =
      !['GET', 'HEAD', 'PUT', 'DELETE'].includes(method) ||
      target.key === '' ||
      parseQuery(rawQuery).some(([name]) => !OBJECT_QUERY.test(name));
    if (unsupported) {
      throw new S3Error('NotImplemented', 'Only Put/Get/Head/DeleteObject are served.', 501);
    }
    const payloadHash = authenticate(request, {
      method,
      rawPath,
      rawQuery,
      headers: request.headers,
    });
    if (!options.store.hasBucket(target.bucket)) {
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, {
        BucketName: target.bucket,
      });
    }

    if (method === 'PUT') {
      const written = await putObject(request, target, payloadHash);
      response.writeHead(200, {
        etag: written.etag,
        ...(written.checksum ? { 'x-amz-checksum-sha256': written.checksum } : {}),
        'content-length': 0,
      });
      response.end();
      return;
    }
    if (method === 'DELETE') {
      await options.store.delete(target.bucket, target.key);
      response.writeHead(204);
      response.end();
      return;
    }
    const stored =
      method === 'GET'
        ? await options.store.get(target.bucket, target.key)
        : await options.store
            .head(target.bucket, target.key)
            .then((metadata) => metadata && { metadata, body: undefined });
    if (!stored) {
      throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404, {
        Key: target.key,
      });
    }
    const { metadata, body } = stored;
    response.writeHead(200, {
      'content-type': metadata.contentType,
      'content-length': metadata.size,
      etag: metadata.etag,
      'last-modified': new Date(metadata.lastModified).toUTCString(),
      'accept-ranges': 'none',
    });
    response.end(body);
  };

  return async (request, response) => {
    try {
      await serve(request, response);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      // The body of a refused request is not read: drain it so the client gets the answer.
      const hasBody =
        Number(request.headers['content-length'] ?? 0) > 0 ||
        request.headers['transfer-encoding'] !== undefined;
      if (hasBody && !request.readableEnded) drainAndClose(request, response);
      sendS3Error(response, error, request.method);
    }
  };
}
