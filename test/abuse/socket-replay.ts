/**
 * Plays a liveness-socket corpus entry against the Face Liveness stream of the local AWS
 * endpoint with the protocol tests' client, and reports what the server said and how the
 * socket ended.
 */
import { EventStreamCodec, type Message } from '@smithy/core/event-streams';
import { encodeClientFrame, encodeEvent, ROUTE_SUFFIX } from '../../local/liveness/index.js';
import { type ServerMessage, TestClient } from '../local/liveness/fixtures/liveness-client.js';
import type { SocketEntry, SocketFrame } from './corpus.js';
import { substitute, substituteJson } from './generators.js';

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);
const MEGABYTE = 1024 * 1024;
/** The server's deadline for a stream is 60 s; a refusal comes long before that. */
const CLOSE_TIMEOUT_MS = 20_000;

const stringHeader = (value: string) => ({ type: 'string' as const, value });

function signed(body: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':date': { type: 'timestamp', value: new Date() },
      ':chunk-signature': { type: 'binary', value: new Uint8Array(32) },
    },
    body,
  });
}

function inner(headers: Message['headers'], body: Uint8Array): Uint8Array {
  return codec.encode({ headers, body });
}

const videoEventHeaders: Message['headers'] = {
  ':event-type': stringHeader('VideoEvent'),
  ':message-type': stringHeader('event'),
  ':content-type': stringHeader('application/json'),
};

/** Bytes that look random but are the same on every run. */
function garbage(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 0x2545f491;
  for (let index = 0; index < size; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

function withByteFlipped(frame: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(frame);
  const at = index < 0 ? copy.length + index : index;
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

const aValidFrame = () =>
  encodeClientFrame('VideoEvent', { VideoChunk: 'AAAA', TimestampMillis: Date.now() });

/** Malformed frames by name; see test/abuse/README.md. */
const generatedFrames: Readonly<Record<string, () => Uint8Array | string>> = {
  badMessageCrc: () => withByteFlipped(aValidFrame(), -1),
  badPreludeCrc: () => withByteFlipped(aValidFrame(), 8),
  totalLengthTooLarge: () => {
    const frame = Uint8Array.from(aValidFrame());
    new DataView(frame.buffer).setUint32(0, 0x7fffffff);
    return frame;
  },
  headersLengthTooLarge: () => {
    const frame = Uint8Array.from(aValidFrame());
    new DataView(frame.buffer).setUint32(4, 0x00ffffff);
    return frame;
  },
  truncatedFrame: () => aValidFrame().subarray(0, 20),
  fiveBytes: () => Uint8Array.from([0, 0, 0, 5, 0]),
  garbage: () => garbage(4096),
  oversizedFrame: () => garbage(MEGABYTE + 1),
  overPayloadFrame: () => garbage(4 * MEGABYTE + 1),
  unsignedEvent: () => encodeEvent('VideoEvent', { VideoChunk: 'AAAA' }),
  signedGarbage: () => signed(garbage(512)),
  innerBadCrc: () => signed(withByteFlipped(encodeEvent('VideoEvent', {}), -1)),
  innerNotJson: () => signed(inner(videoEventHeaders, new TextEncoder().encode('{not json'))),
  innerJsonArray: () => signed(inner(videoEventHeaders, new TextEncoder().encode('[1,2,3]'))),
  innerJsonNull: () => signed(inner(videoEventHeaders, new TextEncoder().encode('null'))),
  innerBadUtf8: () => signed(inner(videoEventHeaders, Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]))),
  innerException: () =>
    signed(
      inner(
        {
          ':exception-type': stringHeader('InternalServerException'),
          ':message-type': stringHeader('exception'),
        },
        new TextEncoder().encode('{}'),
      ),
    ),
  innerWithoutEventType: () =>
    signed(inner({ ':message-type': stringHeader('event') }, new TextEncoder().encode('{}'))),
  innerEventTypeNotString: () =>
    signed(
      inner(
        { ':event-type': { type: 'integer', value: 7 }, ':message-type': stringHeader('event') },
        new TextEncoder().encode('{}'),
      ),
    ),
  signedWithoutDate: () =>
    codec.encode({
      headers: { ':chunk-signature': { type: 'binary', value: new Uint8Array(32) } },
      body: encodeEvent('VideoEvent', {}),
    }),
  undecodableVideo: () =>
    encodeClientFrame('VideoEvent', {
      VideoChunk: garbage(64 * 1024).toString('base64'),
      TimestampMillis: Date.now(),
    }),
  endOfVideo: () =>
    encodeClientFrame('VideoEvent', { VideoChunk: '', TimestampMillis: Date.now() }),
};

async function frameBytes(
  frame: SocketFrame,
  values: Readonly<Record<string, string>>,
): Promise<Uint8Array | string | number> {
  if ('close' in frame) return frame.close;
  if ('event' in frame) {
    return encodeClientFrame(frame.event, await substituteJson(frame.body, values));
  }
  if ('base64' in frame) return Buffer.from(frame.base64, 'base64');
  if ('text' in frame) return frame.text;
  const make = generatedFrames[frame.generated];
  if (!make) throw new Error(`No frame generator named ${frame.generated}`);
  return make();
}

export interface SocketOutcome {
  readonly opened: boolean;
  readonly messages: readonly ServerMessage[];
  readonly close: { code: number; reason: string } | undefined;
  /** The session id the handshake named. */
  readonly sessionId: string;
}

/** The handshake's query: the client's defaults, then the entry's changes. */
async function handshakeQuery(
  entry: SocketEntry,
  values: Readonly<Record<string, string>>,
): Promise<URLSearchParams> {
  const query = new URLSearchParams({
    'session-id': values.session ?? '',
    'video-width': '640',
    'video-height': '480',
    'challenge-versions': 'FaceMovementAndLightChallenge_2.0.0,FaceMovementChallenge_1.0.0',
    'attempt-count': '1',
    'precheck-view-enabled': '1',
  });
  for (const [name, value] of Object.entries(entry.connect.query ?? {})) {
    if (value === null) query.delete(name);
    else query.set(name, await substitute(value, values));
  }
  return query;
}

export async function replaySocket(
  entry: SocketEntry,
  awsUrl: string,
  values: Readonly<Record<string, string>>,
): Promise<SocketOutcome> {
  const query = await handshakeQuery(entry, values);
  const rawQuery = entry.connect.rawQuery
    ? `&${await substitute(entry.connect.rawQuery, values)}`
    : '';
  const path = entry.connect.path ?? ROUTE_SUFFIX;
  const url = `${awsUrl.replace(/^http/, 'ws')}${path}?${query}${rawQuery}`;
  const client = new TestClient(url);
  let opened = false;
  client.socket.once('open', () => {
    opened = true;
  });
  const timeout = new Promise<undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), CLOSE_TIMEOUT_MS);
    void client.closed.finally(() => clearTimeout(timer));
  });
  // The first message is the session information or the refusal; frames follow it.
  await Promise.race([client.message(0), timeout]);
  for (const item of entry.send) {
    const frame = 'repeat' in item ? item.frame : item;
    const times = 'repeat' in item ? item.repeat : 1;
    const bytes = await frameBytes(frame, values);
    for (let sent = 0; sent < times; sent += 1) {
      if (client.socket.readyState !== client.socket.OPEN) break;
      if (typeof bytes === 'number') client.socket.close(bytes);
      else client.socket.send(bytes);
    }
  }
  const close = await Promise.race([client.closed, timeout]);
  if (!close) client.socket.terminate();
  return { opened, messages: client.messages, close, sessionId: query.get('session-id') ?? '' };
}

/**
 * What is wrong with how a stream ended; empty when it is the refusal expected: the named
 * exception (never InternalServerException unless named) or close code, and never a
 * completed check.
 */
export function judgeSocket(entry: SocketEntry, outcome: SocketOutcome): string[] {
  const problems: string[] = [];
  const { expect } = entry;
  if (expect.refused) {
    if (outcome.opened) problems.push('the upgrade was accepted');
    return problems;
  }
  if (!outcome.opened) problems.push('the socket never opened');
  if (!outcome.close) problems.push('the server did not close the socket');
  const exceptions = outcome.messages
    .filter((message) => message.messageType === 'exception')
    .map((message) => message.type);
  if (expect.exception && !exceptions.includes(expect.exception)) {
    problems.push(`exceptions ${JSON.stringify(exceptions)}, expected ${expect.exception}`);
  }
  if (
    expect.exception !== 'InternalServerException' &&
    exceptions.includes('InternalServerException')
  ) {
    problems.push('InternalServerException');
  }
  if (outcome.messages.some((message) => message.type === 'DisconnectionEvent')) {
    problems.push('the check completed');
  }
  if (expect.closeCode !== undefined && outcome.close?.code !== expect.closeCode) {
    problems.push(`closed with ${outcome.close?.code}, expected ${expect.closeCode}`);
  }
  return problems;
}
