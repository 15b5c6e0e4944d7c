import { EventStreamCodec, type Message } from '@smithy/core/event-streams';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

/** A frame the client sent that is not a well-formed signed event: a ValidationException. */
export class MalformedFrameError extends Error {
  override readonly name = 'MalformedFrameError';
}

export interface ClientEvent {
  readonly eventType: string;
  readonly body: Record<string, unknown>;
}

const stringHeader = (value: string) => ({ type: 'string' as const, value });

/** A server event: the component parses the JSON body by `:event-type`. */
export function encodeEvent(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': stringHeader(eventType),
      ':message-type': stringHeader('event'),
      ':content-type': stringHeader('application/json'),
    },
    body: encoder.encode(JSON.stringify(body)),
  });
}

/** What the SDK turns into a thrown error named after `:exception-type` (the component's onError). */
export function encodeException(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': stringHeader(exceptionType),
      ':message-type': stringHeader('exception'),
      ':content-type': stringHeader('application/json'),
    },
    body: encoder.encode(JSON.stringify({ Message: message })),
  });
}

function decodeMessage(bytes: Uint8Array, what: string): Message {
  try {
    return codec.decode(bytes);
  } catch (error) {
    throw new MalformedFrameError(`${what} is not an event-stream message: ${String(error)}`);
  }
}

function headerString(message: Message, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

/**
 * Unwraps a client frame: an outer message signed per chunk (`:date`, `:chunk-signature`;
 * signatures are not checked locally, any key signs) whose body is the inner event.
 * Undefined for a signed frame with an empty body: SigV4 event-stream signing closes the
 * client's stream with one.
 */
export function decodeClientFrame(bytes: Uint8Array): ClientEvent | undefined {
  const outer = decodeMessage(bytes, 'Frame');
  if (!outer.headers[':chunk-signature'] || !outer.headers[':date']) {
    throw new MalformedFrameError('Frame is not signed (no :date or :chunk-signature header).');
  }
  if (outer.body.byteLength === 0) return undefined;
  const inner = decodeMessage(outer.body, 'Signed frame body');
  const eventType = headerString(inner, ':event-type');
  if (headerString(inner, ':message-type') !== 'event' || !eventType) {
    throw new MalformedFrameError('Inner message is not an event with an :event-type.');
  }
  let body: unknown;
  try {
    body = inner.body.byteLength === 0 ? {} : JSON.parse(decoder.decode(inner.body));
  } catch {
    throw new MalformedFrameError(`${eventType} body is not JSON.`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MalformedFrameError(`${eventType} body is not a JSON object.`);
  }
  return { eventType, body: body as Record<string, unknown> };
}

/** The client side of the framing, for tests and the bench: any signature passes locally. */
export function encodeClientFrame(eventType: string, body: unknown, date = new Date()): Uint8Array {
  const inner = encodeEvent(eventType, body);
  return codec.encode({
    headers: {
      ':date': { type: 'timestamp', value: date },
      ':chunk-signature': { type: 'binary', value: new Uint8Array(32) },
    },
    body: inner,
  });
}
