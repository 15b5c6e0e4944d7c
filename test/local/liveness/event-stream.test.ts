import { EventStreamCodec } from '@smithy/core/event-streams';
import { describe, expect, it } from 'vitest';
import {
  decodeClientFrame,
  encodeClientFrame,
  encodeEvent,
  encodeException,
  MalformedFrameError,
} from '../../../local/liveness/event-stream.js';

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);
const headerValues = (bytes: Uint8Array) =>
  Object.fromEntries(
    Object.entries(codec.decode(bytes).headers).map(([name, header]) => [name, header.value]),
  );

describe('event-stream framing', () => {
  it('sends events with the headers the SDK dispatches on', () => {
    const bytes = encodeEvent('DisconnectionEvent', { TimestampMillis: 5 });
    expect(headerValues(bytes)).toEqual({
      ':event-type': 'DisconnectionEvent',
      ':message-type': 'event',
      ':content-type': 'application/json',
    });
    expect(JSON.parse(new TextDecoder().decode(codec.decode(bytes).body))).toEqual({
      TimestampMillis: 5,
    });
  });

  it('sends exceptions typed by :exception-type', () => {
    const bytes = encodeException('SessionNotFoundException', 'gone');
    expect(headerValues(bytes)).toMatchObject({
      ':exception-type': 'SessionNotFoundException',
      ':message-type': 'exception',
    });
    expect(JSON.parse(new TextDecoder().decode(codec.decode(bytes).body))).toEqual({
      Message: 'gone',
    });
  });

  it('unwraps a signed client frame to its inner event', () => {
    const frame = encodeClientFrame('VideoEvent', { VideoChunk: 'AAE=', TimestampMillis: 7 });
    expect(headerValues(frame)).toHaveProperty(':chunk-signature');
    expect(decodeClientFrame(frame)).toEqual({
      eventType: 'VideoEvent',
      body: { VideoChunk: 'AAE=', TimestampMillis: 7 },
    });
  });

  const signed = (body: Uint8Array) =>
    codec.encode({
      headers: {
        ':date': { type: 'timestamp', value: new Date() },
        ':chunk-signature': { type: 'binary', value: new Uint8Array(32) },
      },
      body,
    });
  const corrupt = encodeClientFrame('VideoEvent', {}).slice();
  corrupt[corrupt.length - 1] = (corrupt.at(-1) ?? 0) ^ 1;

  it('reads the empty signed frame that ends a signed stream as no event', () => {
    expect(decodeClientFrame(signed(new Uint8Array(0)))).toBeUndefined();
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['an empty frame', new Uint8Array(0), /not an event-stream message/],
    ['a checksum mismatch', corrupt, /not an event-stream message/],
    ['an unsigned event', encodeEvent('VideoEvent', {}), /not signed/],
    ['a signed frame around junk', signed(new Uint8Array([1, 2, 3])), /Signed frame body is not/],
    ['a signed exception', signed(encodeException('X', 'y')), /not an event with an :event-type/],
    [
      'a body that is not JSON',
      signed(
        codec.encode({
          headers: {
            ':event-type': { type: 'string', value: 'VideoEvent' },
            ':message-type': { type: 'string', value: 'event' },
          },
          body: new TextEncoder().encode('{nope'),
        }),
      ),
      /VideoEvent body is not JSON/,
    ],
    [
      'a JSON array body',
      signed(
        codec.encode({
          headers: {
            ':event-type': { type: 'string', value: 'VideoEvent' },
            ':message-type': { type: 'string', value: 'event' },
          },
          body: new TextEncoder().encode('[1]'),
        }),
      ),
      /not a JSON object/,
    ],
  ])('rejects %s as malformed', (_, bytes, message) => {
    expect(() => decodeClientFrame(bytes)).toThrow(MalformedFrameError);
    expect(() => decodeClientFrame(bytes)).toThrow(message);
  });
});
