import type { FrameAnalysis } from './analyze-frame.js';
import type { RgbFrame } from './decode-image.js';

/** An encoded JPEG/PNG (decoded and validated in the worker) or an already decoded frame. */
export type AnalysisRequest =
  | { readonly kind: 'image'; readonly bytes: Uint8Array }
  | { readonly kind: 'frame'; readonly frame: RgbFrame };

export type WorkerRequest = { readonly id: number; readonly request: AnalysisRequest };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly analysis: FrameAnalysis }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string };
    };
