import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createLightChallenge, type LightChallenge } from './challenge.js';
import { resolveFfmpeg } from './ffmpeg-command.js';
import type { AnalysisLimits, FrameAnalyzer } from './recording-analysis.js';
import type { LivenessSessions } from './sessions.js';
import {
  DEFAULT_STREAM_LIMITS,
  refuseStream,
  StreamConnection,
  type StreamLimits,
  type StreamLogger,
} from './stream-connection.js';

export const ROUTE_SUFFIX = '/start-face-liveness-session-websocket';

export interface LivenessStreamOptions {
  readonly sessions: LivenessSessions;
  /** The face engine (FaceEngine fits). */
  readonly analyzer: FrameAnalyzer;
  readonly limits?: Partial<StreamLimits>;
  readonly analysisLimits?: AnalysisLimits;
  /** Streams analysed at once; more are refused with ThrottlingException. */
  readonly maxConcurrentStreams?: number;
  readonly now?: () => number;
  /** A fresh random challenge per session unless replaced (tests pin one). */
  readonly newChallenge?: (video: { width: number; height: number }) => LightChallenge;
  readonly logger?: StreamLogger;
}

export interface LivenessStream {
  /** Takes the upgrade if the path is the liveness route; false leaves it to other handlers. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Streams open right now. */
  readonly activeStreams: number;
  /** Closes every stream (their sessions fail) and stops accepting new ones. */
  close(): Promise<void>;
}

const quietLogger: StreamLogger = { info: () => {}, warn: () => {} };

/** The Face Liveness streaming endpoint, for any http.Server's `upgrade` event. */
export function createLivenessStream(options: LivenessStreamOptions): LivenessStream {
  const limits = { ...DEFAULT_STREAM_LIMITS, ...options.limits };
  const maxStreams = options.maxConcurrentStreams ?? 4;
  // Headroom above maxFrameBytes so an oversized frame gets a ValidationException, not a bare 1009.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes * 4 });
  const connections = new Set<StreamConnection>();
  const ffmpeg = resolveFfmpeg();
  let closing = false;
  const context = {
    sessions: options.sessions,
    analyzer: options.analyzer,
    ffmpeg,
    limits,
    ...(options.analysisLimits ? { analysisLimits: options.analysisLimits } : {}),
    now: options.now ?? Date.now,
    newChallenge: options.newChallenge ?? ((video) => createLightChallenge(video)),
    logger: options.logger ?? quietLogger,
  } satisfies ConstructorParameters<typeof StreamConnection>[2];

  wss.on('connection', (socket, request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (connections.size >= maxStreams || closing) {
      // The session is left untouched so that the client can retry with it.
      refuseStream(socket, 'ThrottlingException', 'Too many liveness streams at once.');
      return;
    }
    const connection = new StreamConnection(socket, url, context);
    connections.add(connection);
    socket.once('close', () => {
      void connection.settled.finally(() => connections.delete(connection));
    });
  });

  return {
    handleUpgrade(request, socket, head) {
      const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (!pathname.endsWith(ROUTE_SUFFIX)) return false;
      socket.on('error', () => {});
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      return true;
    },
    get activeStreams() {
      return connections.size;
    },
    async close() {
      closing = true;
      await Promise.all([...connections].map((connection) => connection.shutdown()));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Attaches the route to a server: `upgrade` requests for other paths are left alone. */
export function attachLivenessStream(
  server: Server,
  options: LivenessStreamOptions,
): LivenessStream {
  const stream = createLivenessStream(options);
  server.on('upgrade', (request, socket, head) => {
    stream.handleUpgrade(request, socket, head);
  });
  return stream;
}
