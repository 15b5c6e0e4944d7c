import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { FfmpegCommand } from './ffmpeg-command.js';

export type Container = 'webm' | 'mp4';

/** Trusts the bytes, not the client: EBML magic for WebM, an `ftyp` box for MP4. */
export function sniffContainer(bytes: Uint8Array): Container | undefined {
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return 'webm';
  }
  if (Buffer.from(bytes.subarray(4, 8)).toString('latin1') === 'ftyp') return 'mp4';
  return undefined;
}

export interface DecodedFrame {
  /** ms since the start of the video, from the container's timestamps. */
  readonly timeMs: number;
  /** width * height * 3 bytes, RGB, full range. */
  readonly rgb: Uint8Array;
}

export interface VideoDecoderOptions {
  readonly ffmpeg: FfmpegCommand;
  readonly container: Container;
  /** Frames are scaled to this size: the one the oval was drawn for. */
  readonly width: number;
  readonly height: number;
  readonly maxFrames: number;
  /** Limit on decoding the rest once the input has ended; ffmpeg is killed after it. */
  readonly finishTimeoutMs: number;
  readonly onFrame: (frame: DecodedFrame) => void;
}

export class VideoDecodeError extends Error {
  override readonly name = 'VideoDecodeError';
}

const SHOWINFO_PTS = /Parsed_showinfo.*\bpts_time:\s*(-?[\d.]+(?:e[-+]?\d+)?)/;

/**
 * Streams the recording through ffmpeg while it arrives, so most of the decoding is done
 * by the time the client says the video ended. ffmpeg writes raw RGB frames to stdout and,
 * through `showinfo`, each frame's timestamp to stderr, in the same order.
 */
export class VideoDecoder {
  readonly #process: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #options: VideoDecoderOptions;
  readonly #frameBytes: number;
  readonly #pending: Buffer[] = [];
  #pendingBytes = 0;
  readonly #pixels: Uint8Array[] = [];
  readonly #times: number[] = [];
  readonly #stderrTail: string[] = [];
  #stderrLine = '';
  #frames = 0;
  #failure: Error | undefined;
  readonly #exited: Promise<number | null>;

  constructor(options: VideoDecoderOptions) {
    this.#options = options;
    this.#frameBytes = options.width * options.height * 3;
    this.#process = spawn(
      options.ffmpeg.path,
      [
        '-hide_banner',
        '-nostats',
        '-loglevel',
        'info',
        // Start decoding from the first chunk instead of buffering megabytes to probe.
        '-probesize',
        '32768',
        '-analyzeduration',
        '0',
        '-f',
        options.container === 'webm' ? 'matroska' : 'mp4',
        '-i',
        'pipe:0',
        '-an',
        ...options.ffmpeg.passthroughArgs,
        // Chromium's VP8 is full-range; read as limited, colours are ~8 levels off.
        '-vf',
        `scale=${options.width}:${options.height}:in_range=full:out_range=full,format=rgb24,showinfo`,
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        'pipe:1',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.#exited = new Promise((resolve) => {
      this.#process.once('close', (code) => resolve(code));
      this.#process.once('error', (error) => {
        this.#failure ??= error;
        resolve(null);
      });
    });
    // A dead ffmpeg makes writes fail with EPIPE; its exit status reports the cause.
    this.#process.stdin.on('error', () => {});
    this.#process.stdout.on('data', (chunk: Buffer) => this.#onPixels(chunk));
    this.#process.stderr.setEncoding('latin1');
    this.#process.stderr.on('data', (text: string) => this.#onLog(text));
  }

  get frames(): number {
    return this.#frames;
  }

  write(chunk: Uint8Array): void {
    if (!this.#process.stdin.destroyed) this.#process.stdin.write(chunk);
  }

  /** Ends the input and resolves once every frame went to onFrame. */
  async finish(): Promise<void> {
    this.#process.stdin.end();
    const timer = setTimeout(() => {
      this.#failure ??= new VideoDecodeError('Decoding the video took too long.');
      this.abort();
    }, this.#options.finishTimeoutMs);
    try {
      const code = await this.#exited;
      if (this.#failure) throw this.#failure;
      if (code !== 0) {
        throw new VideoDecodeError(`ffmpeg exited with ${code}: ${this.#stderrTail.join(' | ')}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  abort(): void {
    if (this.#process.exitCode === null && this.#process.signalCode === null) {
      this.#process.kill('SIGKILL');
    }
  }

  #onPixels(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    while (this.#pendingBytes >= this.#frameBytes) {
      const joined = Buffer.concat(this.#pending);
      this.#pixels.push(new Uint8Array(joined.subarray(0, this.#frameBytes)));
      const rest = joined.subarray(this.#frameBytes);
      this.#pending.length = 0;
      if (rest.byteLength > 0) this.#pending.push(rest);
      this.#pendingBytes = rest.byteLength;
    }
    this.#emit();
  }

  #onLog(text: string): void {
    const lines = (this.#stderrLine + text).split('\n');
    this.#stderrLine = lines.pop() ?? '';
    for (const line of lines) {
      const pts = SHOWINFO_PTS.exec(line);
      if (pts) {
        this.#times.push(Number(pts[1]) * 1000);
      } else if (line.trim()) {
        this.#stderrTail.push(line.trim());
        if (this.#stderrTail.length > 5) this.#stderrTail.shift();
      }
    }
    this.#emit();
  }

  #emit(): void {
    while (this.#pixels.length > 0 && this.#times.length > 0) {
      const rgb = this.#pixels.shift() as Uint8Array;
      const timeMs = this.#times.shift() as number;
      if (++this.#frames > this.#options.maxFrames) {
        this.#failure ??= new VideoDecodeError(
          `Video has more than ${this.#options.maxFrames} frames.`,
        );
        this.abort();
        return;
      }
      this.#options.onFrame({ timeMs, rgb });
    }
  }
}
