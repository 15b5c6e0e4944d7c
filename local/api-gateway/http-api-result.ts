import { validateHeaderName, validateHeaderValue } from 'node:http';
import { z } from 'zod';

/** A response as the gateway writes it. */
export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

const structured = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  cookies: z.array(z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

/**
 * What the gateway answers itself: API Gateway's message (e.g. 404 `Not Found`) with the
 * code the API uses for the same failure, so every error a client gets is `{code, message}`;
 * with Retry-After, the wait is in the body too (a browser may not read the header).
 */
export function gatewayError(
  statusCode: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GatewayResponse {
  const retryAfter = headers['retry-after'];
  const body = { code, message, ...(retryAfter ? { retryAfterSeconds: Number(retryAfter) } : {}) };
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    cookies: [],
    body: Buffer.from(JSON.stringify(body)),
  };
}

export class MalformedResultError extends Error {
  override readonly name = 'MalformedResultError';
}

/**
 * Maps a payload 2.0 result as API Gateway does: a result with a statusCode is taken as it
 * is; anything else is a 200 whose JSON body is the result itself.
 */
export function fromHandlerResult(result: unknown): GatewayResponse {
  const isStructured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!isStructured) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body),
    };
  }
  const parsed = structured.safeParse(result);
  if (!parsed.success) throw new MalformedResultError('The function returned a malformed response');
  const { statusCode, headers = {}, cookies = [], body = '', isBase64Encoded } = parsed.data;
  const entries = Object.entries(headers).map(([name, value]) => [
    name.toLowerCase(),
    String(value),
  ]);
  try {
    // Checked here, where it is the function's fault, rather than failing mid-write.
    for (const [name = '', value = ''] of entries) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
    for (const cookie of cookies) validateHeaderValue('set-cookie', cookie);
  } catch {
    throw new MalformedResultError('The function returned a header HTTP cannot carry');
  }
  return {
    statusCode,
    headers: Object.fromEntries(entries),
    cookies,
    body: Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8'),
  };
}
