import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/**
 * Reads a whole request body, refusing it as soon as it passes `limit` bytes. Listens for
 * chunks rather than iterating, because leaving an async iterator destroys the socket and
 * the client would never see the refusal.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLargeError(`Body of ${declared} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      reject(new BodyTooLargeError(`Body over ${limit} bytes`));
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** Bytes a refused request may still send before its connection is cut. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Reads and discards the rest of a refused request so the client, still sending, gets the
 * error response instead of a reset connection; the connection then closes (`Connection:
 * close`). A client that keeps sending past a bound is cut off.
 */
export function drainAndClose(request: IncomingMessage, response: ServerResponse): void {
  response.shouldKeepAlive = false;
  let drained = 0;
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) request.destroy();
  };
  request.on('data', onData);
  request.on('error', () => {
    // The client went away mid-body; nothing is left to answer.
  });
  request.resume();
}
