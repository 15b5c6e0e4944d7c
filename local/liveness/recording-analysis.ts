import sharp from 'sharp';
import { type FrameAnalysis, type RgbFrame, ThrottlingError } from '../face-engine/index.js';
import { type ColourGrid, colourGrid } from './colour-grid.js';
import type { FaceObservation } from './face-checks.js';
import type { FfmpegCommand } from './ffmpeg-command.js';
import {
  type DecodedFrame,
  sniffContainer,
  VideoDecodeError,
  VideoDecoder,
} from './video-decoder.js';

/** The face engine as the analysis uses it (FaceEngine fits). */
export interface FrameAnalyzer {
  analyzeFrame(frame: RgbFrame): Promise<FrameAnalysis>;
}

export interface AnalysisLimits {
  /** Frames decoded at most. */
  readonly maxFrames: number;
  /** Decoding what is left once the video ended, at most. */
  readonly finishTimeoutMs: number;
  /** Video time between frames given to the face engine. */
  readonly sampleIntervalMs: number;
  /** Frames in the face engine at once: its worker count. */
  readonly concurrency: number;
  /** Sampled frames waiting for the engine; beyond it every other waiting frame is dropped. */
  readonly maxWaiting: number;
  /**
   * Frames still waiting when the video ends are thinned to this many, evenly spread: when
   * the chunks came faster than the engine (a fast upload), this bounds the time to answer.
   */
  readonly maxWaitingAtEnd: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = {
  // 30 s at 30 fps: far beyond a 7 s oval fit plus a 4 s colour sequence.
  maxFrames: 900,
  // Generous: on a loaded two-core machine decoding and analysing 5 s took over 10 s; the
  // stream's own 60 s limit still bounds a client that never ends.
  finishTimeoutMs: 30_000,
  sampleIntervalMs: 250,
  concurrency: 2,
  maxWaiting: 24,
  maxWaitingAtEnd: 6,
};

export interface AnalysedFrame extends FaceObservation {
  /** The frame itself, kept as JPEG: a candidate reference or audit image. */
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
}

export interface Evidence {
  /** Every decoded frame, shrunk to cell colours. */
  readonly grids: readonly { readonly timeMs: number; readonly grid: ColourGrid }[];
  /** The sampled frames with what the face engine saw, in time order. */
  readonly analysed: readonly AnalysedFrame[];
}

export interface RecordingAnalysisOptions {
  readonly analyzer: FrameAnalyzer;
  readonly ffmpeg: FfmpegCommand;
  readonly width: number;
  readonly height: number;
  readonly limits?: AnalysisLimits;
}

interface Sampled {
  readonly timeMs: number;
  readonly frame: RgbFrame;
}

function toJpeg({ data, width, height }: RgbFrame): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Decodes the recording while it streams in and hands a frame every `sampleIntervalMs` to
 * the face engine, so little is left to do when the video ends. Memory stays bounded: every
 * frame is kept only as a colour grid, sampled frames as JPEG once analysed.
 */
export class RecordingAnalysis {
  readonly #options: RecordingAnalysisOptions & { readonly limits: AnalysisLimits };
  #decoder: VideoDecoder | undefined;
  readonly #grids: { timeMs: number; grid: ColourGrid }[] = [];
  readonly #analysed: AnalysedFrame[] = [];
  readonly #waiting: Sampled[] = [];
  #running = 0;
  #idle: (() => void) | undefined;
  #nextSampleMs = 0;
  #last: Sampled | undefined;
  #lastSampledMs = Number.NEGATIVE_INFINITY;
  #analysisError: unknown;
  #aborted = false;

  constructor(options: RecordingAnalysisOptions) {
    this.#options = { ...options, limits: options.limits ?? DEFAULT_ANALYSIS_LIMITS };
  }

  /** Feeds one chunk; the first must start with a WebM or MP4 header. */
  push(chunk: Uint8Array): void {
    if (!this.#decoder) {
      const container = sniffContainer(chunk);
      if (!container) throw new VideoDecodeError('Video is neither WebM nor MP4.');
      this.#decoder = new VideoDecoder({
        ffmpeg: this.#options.ffmpeg,
        container,
        width: this.#options.width,
        height: this.#options.height,
        maxFrames: this.#options.limits.maxFrames,
        finishTimeoutMs: this.#options.limits.finishTimeoutMs,
        onFrame: (frame) => this.#onFrame(frame),
      });
    }
    this.#decoder.write(chunk);
  }

  /** Resolves once every frame is decoded and every sampled frame analysed. */
  async finish(): Promise<Evidence> {
    if (!this.#decoder) throw new VideoDecodeError('No video was received.');
    await this.#decoder.finish();
    this.#thin(this.#options.limits.maxWaitingAtEnd);
    // The end decides whether the face fits the oval: always look at the last frame.
    if (this.#last && this.#last.timeMs > this.#lastSampledMs) this.#enqueue(this.#last);
    if (this.#running > 0 || this.#waiting.length > 0) {
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
      });
    }
    if (this.#analysisError) throw this.#analysisError;
    if (this.#grids.length === 0) throw new VideoDecodeError('Video has no frames.');
    if (this.#analysed.length === 0) throw new ThrottlingError('The face engine is busy.');
    return {
      grids: this.#grids,
      analysed: [...this.#analysed].sort((a, b) => a.timeMs - b.timeMs),
    };
  }

  abort(): void {
    this.#aborted = true;
    this.#waiting.length = 0;
    this.#decoder?.abort();
  }

  #onFrame({ timeMs, rgb }: DecodedFrame): void {
    const { width, height, limits } = this.#options;
    this.#grids.push({ timeMs, grid: colourGrid(rgb, width, height) });
    this.#last = { timeMs, frame: { data: rgb, width, height } };
    if (timeMs >= this.#nextSampleMs) {
      this.#nextSampleMs = timeMs + limits.sampleIntervalMs;
      this.#enqueue(this.#last);
    }
  }

  #enqueue(sampled: Sampled): void {
    if (this.#aborted) return;
    this.#lastSampledMs = sampled.timeMs;
    this.#waiting.push(sampled);
    if (this.#waiting.length > this.#options.limits.maxWaiting) {
      this.#thin(Math.ceil(this.#options.limits.maxWaiting / 2));
    }
    this.#pump();
  }

  /** Keeps `count` waiting frames spread over their time span, which the checks need more than density. */
  #thin(count: number): void {
    const waiting = this.#waiting;
    if (waiting.length <= count) return;
    const kept = Array.from(
      { length: count },
      (_, index) => waiting[Math.round(((index + 1) * waiting.length) / count) - 1] as Sampled,
    );
    waiting.splice(0, waiting.length, ...kept);
  }

  #pump(): void {
    while (this.#running < this.#options.limits.concurrency && this.#waiting.length > 0) {
      const next = this.#waiting.shift() as Sampled;
      this.#running++;
      const { frame, timeMs } = next;
      Promise.all([this.#options.analyzer.analyzeFrame(frame), toJpeg(frame)])
        .then(
          ([analysis, jpeg]) => {
            const { width, height } = frame;
            this.#analysed.push({ timeMs, faces: analysis.faces, jpeg, width, height });
          },
          (error: unknown) => {
            // A busy engine (shared with DetectFaces/CompareFaces) costs one sample, not the check.
            if (!(error instanceof ThrottlingError)) this.#analysisError ??= error;
          },
        )
        .finally(() => {
          this.#running--;
          this.#pump();
          if (this.#running === 0 && this.#waiting.length === 0) this.#idle?.();
        });
    }
  }
}
