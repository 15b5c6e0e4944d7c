import type { WebSocket } from 'ws';
import { ThrottlingError } from '../face-engine/index.js';
import { type LightChallenge, serverSessionInformation } from './challenge.js';
import { type ClientReport, evaluateRecording } from './evaluate-recording.js';
import {
  decodeClientFrame,
  encodeEvent,
  encodeException,
  MalformedFrameError,
} from './event-stream.js';
import type { FfmpegCommand } from './ffmpeg-command.js';
import type { ColourShown } from './light-check.js';
import {
  type AnalysisLimits,
  type FrameAnalyzer,
  RecordingAnalysis,
} from './recording-analysis.js';
import { type LivenessSessions, SESSION_LIFETIME_MS } from './sessions.js';
import { VideoDecodeError } from './video-decoder.js';

export interface StreamLimits {
  /** One WebSocket message; a one-second chunk at 1 Mbit/s is ~170 KB in base64. */
  readonly maxFrameBytes: number;
  /** All video chunks together. */
  readonly maxVideoBytes: number;
  /** Client events of any kind. */
  readonly maxEvents: number;
  /**
   * From connection to the first video chunk: the detector opens the stream as soon as the
   * camera is ready and records only once the applicant has started and stands far enough
   * back, so this wait is the applicant's, not the check's. Never beyond the session's expiry.
   */
  readonly maxWaitForVideoMs: number;
  /** From the first video chunk (the check itself) to the end of the video; never beyond expiry. */
  readonly maxRecordingMs: number;
  /** video-width * video-height. */
  readonly maxVideoPixels: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxFrameBytes: 1024 * 1024,
  maxVideoBytes: 16 * 1024 * 1024,
  maxEvents: 2000,
  // The session's own 3 minutes bound the wait for the applicant.
  maxWaitForVideoMs: SESSION_LIFETIME_MS,
  maxRecordingMs: 60_000,
  maxVideoPixels: 1920 * 1080,
};

export interface StreamLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface ConnectionContext {
  readonly sessions: LivenessSessions;
  readonly analyzer: FrameAnalyzer;
  readonly ffmpeg: Promise<FfmpegCommand>;
  readonly limits: StreamLimits;
  readonly analysisLimits?: AnalysisLimits;
  readonly now: () => number;
  readonly newChallenge: (video: { width: number; height: number }) => LightChallenge;
  readonly logger: StreamLogger;
}

/** A refusal the client hears as `:exception-type`, after which the stream closes. */
class StreamError extends Error {
  override readonly name = 'StreamError';
  constructor(
    readonly exceptionType: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new StreamError('ValidationException', message);

const CHALLENGE_VERSION_PARAM = 'FaceMovementAndLightChallenge_2.0.0';

function dimension(params: URLSearchParams, name: string): number {
  const value = Number(params.get(name));
  if (!Number.isInteger(value) || value < 16 || value > 4096) {
    throw invalid(`${name} must be an integer between 16 and 4096.`);
  }
  return value;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function rgbOf(value: unknown): [number, number, number] | undefined {
  const rgb = isRecord(value) ? value.RGB : undefined;
  if (!Array.isArray(rgb) || rgb.length !== 3) return undefined;
  const channels = rgb.map(finite);
  return channels.every((channel) => channel !== undefined)
    ? (channels as [number, number, number])
    : undefined;
}

/** Refuses a stream before it touches any session. */
export function refuseStream(socket: WebSocket, exceptionType: string, message: string): void {
  socket.on('error', () => {});
  socket.send(encodeException(exceptionType, message));
  socket.close(1000);
}

type Phase = 'opening' | 'streaming' | 'analysing' | 'done';

/** One client stream: claims the session, records the events, analyses, answers once. */
export class StreamConnection {
  readonly #socket: WebSocket;
  readonly #context: ConnectionContext;
  readonly #params: URLSearchParams;
  #phase: Phase = 'opening';
  #sessionId = '';
  #claimed = false;
  #auditImagesLimit = 0;
  #challenge: LightChallenge | undefined;
  #analysis: RecordingAnalysis | undefined;
  #work: Promise<void> = Promise.resolve();
  #events = 0;
  #videoBytes = 0;
  #deadline: NodeJS.Timeout | undefined;
  #expiresAt = 0;
  readonly #shown: ColourShown[] = [];
  #videoStartMs: number | undefined;
  /**
   * What the client claims besides the colours: logged with the outcome for whoever audits
   * a session, never trusted (the checks measure the face on the video themselves).
   */
  readonly #claims: Record<string, unknown> & { chunkTimestamps: number[] } = {
    chunkTimestamps: [],
  };

  constructor(socket: WebSocket, url: URL, context: ConnectionContext) {
    this.#socket = socket;
    this.#context = context;
    this.#params = url.searchParams;
    socket.on('message', (data: Buffer, isBinary: boolean) => this.#onMessage(data, isBinary));
    socket.on('close', (code: number, reason: Buffer) => this.#onClose(code, reason.toString()));
    // Errors (bad frames, resets) are followed by 'close', which settles the session.
    socket.on('error', () => {});
    this.#queue(() => this.#open());
  }

  /**
   * Ends the stream for a server shutdown: a check already analysing finishes first; one
   * still streaming is refused with ServiceUnavailableException and its session fails.
   */
  shutdown(): Promise<void> {
    this.#queue(async () => {
      throw new StreamError('ServiceUnavailableException', 'The service is shutting down.');
    });
    return this.#work;
  }

  /** Settles with the stream: after the answer, a refusal, or the client leaving. */
  get settled(): Promise<void> {
    return this.#work;
  }

  #queue(step: () => Promise<void>): void {
    this.#work = this.#work.then(async () => {
      if (this.#phase === 'done') return;
      try {
        await step();
      } catch (error) {
        await this.#refuse(error);
      }
    });
  }

  async #open(): Promise<void> {
    const { sessions, limits, now } = this.#context;
    const sessionId = this.#params.get('session-id');
    if (!sessionId) throw invalid('session-id is required.');
    this.#sessionId = sessionId;
    const width = dimension(this.#params, 'video-width');
    const height = dimension(this.#params, 'video-height');
    if (width * height > limits.maxVideoPixels) throw invalid('Video is larger than supported.');
    const versions = (this.#params.get('challenge-versions') ?? '').split(',');
    if (!versions.includes(CHALLENGE_VERSION_PARAM)) {
      throw invalid(`challenge-versions must include ${CHALLENGE_VERSION_PARAM}.`);
    }
    const session = await sessions.get(sessionId);
    if (!session)
      throw new StreamError('SessionNotFoundException', `Session ${sessionId} was not found.`);
    const expiresAt = session.createdAt + SESSION_LIFETIME_MS;
    if (session.status === 'EXPIRED' || now() > expiresAt) {
      throw invalid(`Session ${sessionId} has expired.`);
    }
    if (session.status !== 'CREATED') throw invalid(`Session ${sessionId} has already been used.`);
    try {
      await sessions.markInProgress(sessionId);
    } catch {
      throw invalid(`Session ${sessionId} has already been used.`);
    }
    this.#claimed = true;
    this.#auditImagesLimit = session.auditImagesLimit;
    this.#expiresAt = expiresAt;
    this.#setDeadline(limits.maxWaitForVideoMs, (seconds, expired) =>
      expired
        ? 'The session expired before the check started.'
        : `The check did not start within ${seconds} s.`,
    );
    this.#challenge = this.#context.newChallenge({ width, height });
    this.#analysis = new RecordingAnalysis({
      analyzer: this.#context.analyzer,
      ffmpeg: await this.#context.ffmpeg,
      width,
      height,
      ...(this.#context.analysisLimits ? { limits: this.#context.analysisLimits } : {}),
    });
    this.#phase = 'streaming';
    this.#send(
      encodeEvent('ServerSessionInformationEvent', serverSessionInformation(this.#challenge)),
    );
  }

  /** One timer at a time: waiting for the video, then for its end; the message says which. */
  #setDeadline(limitMs: number, message: (seconds: number, expired: boolean) => string): void {
    clearTimeout(this.#deadline);
    const untilExpiry = this.#expiresAt - this.#context.now();
    const ms = Math.min(limitMs, untilExpiry);
    this.#deadline = setTimeout(
      () =>
        this.#queue(async () => {
          throw invalid(message(Math.round(limitMs / 1000), untilExpiry <= limitMs));
        }),
      Math.max(0, ms),
    );
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.#phase === 'analysing' || this.#phase === 'done') return;
    // Checked before anything is decoded or queued, so a flood costs nothing.
    if (data.byteLength > this.#context.limits.maxFrameBytes) {
      this.#queue(async () => {
        throw invalid(
          `Frame of ${data.byteLength} bytes exceeds ${this.#context.limits.maxFrameBytes}.`,
        );
      });
      return;
    }
    if (++this.#events > this.#context.limits.maxEvents) {
      this.#queue(async () => {
        throw invalid('Too many events.');
      });
      return;
    }
    this.#queue(async () => {
      if (this.#phase !== 'streaming') return;
      if (!isBinary) throw invalid('Frames must be binary event-stream messages.');
      const event = decodeClientFrame(
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      );
      if (event) this.#handle(event);
    });
  }

  #handle(event: { eventType: string; body: Record<string, unknown> }): void {
    switch (event.eventType) {
      case 'VideoEvent':
        this.#onVideo(event.body);
        break;
      case 'ClientSessionInformationEvent':
        this.#onClientInformation(event.body);
        break;
      default:
        throw invalid(`Unknown event type ${event.eventType}.`);
    }
  }

  #onVideo(body: Record<string, unknown>): void {
    const chunk = body.VideoChunk;
    if (chunk !== undefined && typeof chunk !== 'string')
      throw invalid('VideoChunk must be base64.');
    const bytes = Buffer.from(chunk ?? '', 'base64');
    if (bytes.byteLength === 0) {
      this.#phase = 'analysing';
      this.#queue(() => this.#answer());
      return;
    }
    if (this.#videoBytes === 0) {
      this.#setDeadline(this.#context.limits.maxRecordingMs, (seconds, expired) =>
        expired
          ? 'The session expired before the video ended.'
          : `The video did not end within ${seconds} s of its start.`,
      );
    }
    const timestamp = finite(body.TimestampMillis);
    if (timestamp !== undefined) this.#claims.chunkTimestamps.push(timestamp);
    this.#videoBytes += bytes.byteLength;
    if (this.#videoBytes > this.#context.limits.maxVideoBytes) {
      throw invalid(`Video exceeds ${this.#context.limits.maxVideoBytes} bytes.`);
    }
    try {
      this.#analysis?.push(bytes);
    } catch (error) {
      if (error instanceof VideoDecodeError) throw invalid(error.message);
      throw error;
    }
  }

  #onClientInformation(body: Record<string, unknown>): void {
    const challenge = isRecord(body.Challenge)
      ? body.Challenge.FaceMovementAndLightChallenge
      : undefined;
    if (!isRecord(challenge)) throw invalid('Challenge.FaceMovementAndLightChallenge is required.');
    const videoStart = finite(challenge.VideoStartTimestamp);
    if (videoStart !== undefined) this.#videoStartMs = videoStart;
    for (const claim of ['ChallengeId', 'InitialFace', 'TargetFace', 'VideoEndTimestamp']) {
      if (challenge[claim] !== undefined) this.#claims[claim] = challenge[claim];
    }
    const shown = challenge.ColorDisplayed;
    if (shown !== undefined) {
      if (!isRecord(shown)) throw invalid('ColorDisplayed must be an object.');
      const sequenceNumber = finite(shown.SequenceNumber);
      const startMs = finite(shown.CurrentColorStartTimestamp);
      const rgb = rgbOf(shown.CurrentColor);
      if (sequenceNumber === undefined || startMs === undefined || !rgb) {
        throw invalid(
          'ColorDisplayed needs SequenceNumber, CurrentColor and CurrentColorStartTimestamp.',
        );
      }
      this.#shown.push({ sequenceNumber, startMs, rgb });
    }
  }

  async #answer(): Promise<void> {
    clearTimeout(this.#deadline);
    const analysis = this.#analysis as RecordingAnalysis;
    let evidence: Awaited<ReturnType<RecordingAnalysis['finish']>>;
    try {
      evidence = await analysis.finish();
    } catch (error) {
      if (error instanceof VideoDecodeError) {
        throw invalid(`Video could not be decoded: ${error.message}`);
      }
      if (error instanceof ThrottlingError)
        throw new StreamError('ThrottlingException', error.message);
      throw error;
    }
    const client: ClientReport = { shown: this.#shown, videoStartMs: this.#videoStartMs };
    const result = evaluateRecording({
      evidence,
      challenge: this.#challenge as LightChallenge,
      client,
      auditImagesLimit: this.#auditImagesLimit,
    });
    const claims = {
      ...this.#claims,
      videoStartMs: this.#videoStartMs,
      colours: this.#shown.length,
    };
    if ('tooThin' in result) {
      // No verdict either way: the session fails as a check not completed, and the stream
      // still ends normally (the detector has nothing to report as an error).
      await this.#context.sessions.fail(
        this.#sessionId,
        `too thin to judge: ${result.tooThin.join('; ')}`,
      );
      this.#phase = 'done';
      this.#context.logger.info('liveness check not judged', {
        sessionId: this.#sessionId,
        reasons: result.tooThin,
        client: claims,
      });
    } else {
      await this.#context.sessions.complete(this.#sessionId, result);
      this.#phase = 'done';
      this.#context.logger.info('liveness check completed', {
        sessionId: this.#sessionId,
        confidence: result.confidence,
        reasons: result.reasons,
        client: claims,
      });
    }
    this.#send(encodeEvent('DisconnectionEvent', { TimestampMillis: this.#context.now() }));
    this.#socket.close(1000);
  }

  async #refuse(error: unknown): Promise<void> {
    const refusal =
      error instanceof MalformedFrameError
        ? invalid(error.message)
        : error instanceof StreamError
          ? error
          : undefined;
    // Unknown failures reach the client without internals; the reason stays server-side.
    const exceptionType = refusal?.exceptionType ?? 'InternalServerException';
    const detail = error instanceof Error ? error.message : String(error);
    await this.#finishFailed(`${exceptionType}: ${detail}`);
    this.#send(encodeException(exceptionType, refusal?.message ?? 'Internal server error.'));
    this.#socket.close(1000);
  }

  #onClose(code: number, reason: string): void {
    // Decided when the events before the close have been handled: once the video has ended
    // the check completes even though nobody listens for the answer.
    this.#work = this.#work.then(async () => {
      if (this.#phase !== 'opening' && this.#phase !== 'streaming') return;
      await this.#finishFailed(
        `client closed the stream with ${code}${reason ? ` (${reason})` : ''}`,
      );
    });
  }

  async #finishFailed(reason: string): Promise<void> {
    if (this.#phase === 'done') return;
    this.#phase = 'done';
    clearTimeout(this.#deadline);
    this.#analysis?.abort();
    const attributes = { sessionId: this.#sessionId, reason };
    this.#context.logger.warn('liveness stream failed', attributes);
    // Only a session this stream claimed is failed: a refused second stream leaves it alone.
    if (!this.#claimed) return;
    try {
      await this.#context.sessions.fail(this.#sessionId, reason);
    } catch (error) {
      this.#context.logger.warn('could not record the failure', {
        ...attributes,
        error: String(error),
      });
    }
  }

  #send(bytes: Uint8Array): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(bytes);
  }
}
