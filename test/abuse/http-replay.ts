/**
 * Sends corpus entries exactly as written: node:http for requests (fetch would normalise
 * paths and refuse some headers), a bare socket for raw request text, and a small SigV4
 * signer of its own so that signatures can be forged, expired or aimed at the wrong scope.
 */
import { createHash, createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { rawRequest } from '../fixtures/raw-request.js';
import type { CorpusBody, CorpusSigning, HttpEntry, HttpExpectation } from './corpus.js';
import { generatedBody, substitute, substituteJson } from './generators.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

export interface ReplayTarget {
  /** e.g. http://127.0.0.1:4566 */
  readonly baseUrl: string;
  readonly credentials: Credentials;
  readonly values: Readonly<Record<string, string>>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Longer than any refusal should take; an answer that never comes is a hang, and a finding. */
const ANSWER_TIMEOUT_MS = 20_000;

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const amzDateOf = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function decodeQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    return equals < 0
      ? [decode(pair), '']
      : [decode(pair.slice(0, equals)), decode(pair.slice(equals + 1))];
  });
}

interface SigningInput {
  readonly method: string;
  readonly rawPath: string;
  readonly query: readonly [string, string][];
  readonly headers: Readonly<Record<string, string>>;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
  readonly amzDate: string;
  readonly scope: string;
  readonly secretAccessKey: string;
}

function signature(input: SigningInput): string {
  const canonicalQuery = input.query
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
    .sort()
    .join('&');
  const canonicalHeaders = input.signedHeaders
    .map((name) => `${name}:${(input.headers[name] ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = [
    input.method,
    input.rawPath,
    canonicalQuery,
    canonicalHeaders,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    input.amzDate,
    input.scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const [date = '', region = '', service = ''] = input.scope.split('/');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, date), region), service),
    'aws4_request',
  );
  return hmac(key, stringToSign).toString('hex');
}

const flipLast = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;

/** Signs a request as the SDK would, then breaks what `tamper` names. */
function signRequest(
  spec: CorpusSigning,
  request: { method: string; path: string; headers: Record<string, string>; body: Buffer },
  credentials: Credentials,
): { path: string; headers: Record<string, string> } {
  const queryStart = request.path.indexOf('?');
  const rawPath = queryStart < 0 ? request.path : request.path.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : request.path.slice(queryStart + 1);
  const signedAt =
    spec.as === 'presign'
      ? new Date(Date.now() - (spec.signedSecondsAgo ?? 0) * 1000)
      : new Date(Date.now() - (spec.tamper === 'date' ? 3600_000 : 0));
  const amzDate = amzDateOf(signedAt);
  const accessKeyId =
    spec.tamper === 'accessKey' ? 'AKIAFORGEDKEY0000000' : credentials.accessKeyId;
  const secretAccessKey =
    spec.tamper === 'secret' ? 'not-the-local-secret' : credentials.secretAccessKey;
  const service = spec.tamper === 'service' ? 'ec2' : 's3';
  const scope = `${amzDate.slice(0, 8)}/${credentials.region}/${service}/aws4_request`;
  const credential = `${accessKeyId}/${scope}`;
  const withoutHost = spec.tamper === 'signedHeadersWithoutHost';

  if (spec.as === 'header') {
    const payloadHash = sha256Hex(spec.tamper === 'payloadHash' ? 'another body' : request.body);
    const headers = {
      ...request.headers,
      'x-amz-date': amzDate,
      'x-amz-content-sha256': payloadHash,
    };
    const signedHeaders = [...(withoutHost ? [] : ['host']), 'x-amz-content-sha256', 'x-amz-date'];
    let value = signature({
      method: request.method,
      rawPath,
      query: decodeQuery(rawQuery),
      headers,
      signedHeaders,
      payloadHash,
      amzDate,
      scope,
      secretAccessKey,
    });
    if (spec.tamper === 'signature') value = flipLast(value);
    return {
      path: request.path,
      headers: {
        ...headers,
        authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders.join(';')}, Signature=${value}`,
      },
    };
  }

  const signedValues: Record<string, string> = {
    ...(withoutHost ? {} : { host: request.headers.host ?? '' }),
    ...Object.fromEntries(
      Object.entries(spec.signedHeaders ?? {}).map(([name, v]) => [name.toLowerCase(), v]),
    ),
  };
  const signedHeaders = Object.keys(signedValues).sort();
  const query: [string, string][] = [
    ...decodeQuery(rawQuery),
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', credential],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(spec.expiresIn ?? 300)],
    ['X-Amz-SignedHeaders', signedHeaders.join(';')],
  ];
  let value = signature({
    method: request.method,
    rawPath,
    query,
    headers: signedValues,
    signedHeaders,
    payloadHash: 'UNSIGNED-PAYLOAD',
    amzDate,
    scope,
    secretAccessKey,
  });
  if (spec.tamper === 'signature') value = flipLast(value);
  const encoded = [...query, ['X-Amz-Signature', value]]
    .map(([name, v]) => `${uriEncode(name ?? '')}=${uriEncode(v ?? '')}`)
    .join('&');
  return { path: `${rawPath}?${encoded}`, headers: request.headers };
}

async function bodyOf(
  body: CorpusBody | undefined,
  values: Readonly<Record<string, string>>,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  if ('text' in body) return Buffer.from(await substitute(body.text, values));
  if ('json' in body) return Buffer.from(JSON.stringify(await substituteJson(body.json, values)));
  if ('base64' in body) return Buffer.from(body.base64, 'base64');
  return generatedBody(await substitute(body.generated, values));
}

/** Writes raw request text on a socket and reads the answer until the server closes. */
function sendRaw(baseUrl: string, text: string): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No answer within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {
      // A reset after the answer is how some refusals end; the answer is judged below.
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const answer = Buffer.concat(chunks).toString('latin1');
      const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      const headerEnd = answer.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of answer.slice(0, Math.max(0, headerEnd)).split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: statusLine ? Number(statusLine[1]) : 0,
        headers,
        body: headerEnd < 0 ? '' : answer.slice(headerEnd + 4),
      });
    });
    // Not half-closed: Node's HTTP server drops a pending answer when the client's side ends.
    // Every raw entry asks for Connection: close or is refused, so the server closes.
    socket.write(Buffer.from(text, 'latin1'));
  });
}

/** Sends one corpus entry and returns what came back. */
export async function replay(entry: HttpEntry, target: ReplayTarget): Promise<Answer> {
  const host = new URL(target.baseUrl).host;
  if (entry.raw !== undefined) {
    const text = (await substitute(entry.raw, { ...target.values, host })).replace(/\n/g, '\r\n');
    return sendRaw(target.baseUrl, text);
  }
  const request = entry.request as NonNullable<HttpEntry['request']>;
  const headers: Record<string, string> = { host };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name.toLowerCase()] = await substitute(value, target.values);
  }
  const body = await bodyOf(request.body, target.values);
  const path = await substitute(request.path, target.values);
  const prepared = { method: request.method, path, headers, body };
  const signed = request.sign ? signRequest(request.sign, prepared, target.credentials) : prepared;
  return rawRequest(target.baseUrl, { ...prepared, ...signed, timeoutMs: ANSWER_TIMEOUT_MS });
}

/** The machine-readable error code of an answer: API `code`, AWS JSON `__type`, S3 `<Code>`. */
function errorCodeOf(answer: Answer): string | undefined {
  const type = String(answer.headers['content-type'] ?? '');
  if (type.includes('xml')) return /<Error><Code>([^<]+)<\/Code>/.exec(answer.body)?.[1];
  try {
    const parsed = JSON.parse(answer.body) as Record<string, unknown>;
    const code = parsed.code ?? parsed.__type;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The API's error shape, from the functions and the gateway alike: `{code, message}`. */
function hasApiErrorShape(answer: Answer): boolean {
  try {
    const parsed = JSON.parse(answer.body) as Record<string, unknown>;
    return (
      typeof parsed.code === 'string' &&
      parsed.code.length > 0 &&
      typeof parsed.message === 'string' &&
      parsed.message.length > 0
    );
  } catch {
    return false;
  }
}

function statusMatches(expected: HttpExpectation['status'], status: number): boolean {
  if (expected === '4xx') return status >= 400 && status < 500;
  if (Array.isArray(expected)) return expected.includes(status);
  return expected === status;
}

/**
 * What is wrong with an answer to an entry; empty when it is the refusal expected. Errors of
 * the AWS endpoint must be AWS-shaped (`__type` or S3's `<Code>`); the API's, the gateway's
 * own included, `{code, message}`.
 */
export function judge(
  entry: HttpEntry,
  answer: Answer,
  method: string,
  surface: 'api' | 'aws',
): string[] {
  const problems: string[] = [];
  const { expect } = entry;
  const exactServerError = typeof expect.status === 'number' && expect.status >= 500;
  if (answer.status >= 500 && !exactServerError) problems.push(`server error ${answer.status}`);
  if (!statusMatches(expect.status, answer.status)) {
    problems.push(`status ${answer.status}, expected ${JSON.stringify(expect.status)}`);
  }
  const code = errorCodeOf(answer);
  // HEAD answers have no body; S3 names the error by the status alone.
  const bodyExpected = expect.body === 'error' && method !== 'HEAD' && answer.status >= 400;
  if (bodyExpected && (surface === 'aws' ? !code : !hasApiErrorShape(answer))) {
    problems.push(`no machine-readable error body: ${answer.body.slice(0, 120)}`);
  }
  if (expect.code && method !== 'HEAD' && code !== expect.code) {
    problems.push(`code ${String(code)}, expected ${expect.code}`);
  }
  if (expect.json) {
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(answer.body) as Record<string, unknown>;
    } catch {
      problems.push('answer is not JSON');
    }
    for (const [field, value] of Object.entries(expect.json)) {
      if (JSON.stringify(parsed[field]) !== JSON.stringify(value)) {
        problems.push(
          `${field} is ${JSON.stringify(parsed[field])}, expected ${JSON.stringify(value)}`,
        );
      }
    }
  }
  return problems;
}
