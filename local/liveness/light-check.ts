import type { ColorSequence, Rgb } from './challenge.js';

/** One ColorDisplayed event: when the client started showing colour `sequenceNumber`. */
export interface ColourShown {
  readonly sequenceNumber: number;
  readonly rgb: Rgb;
  /** Epoch ms, the client's clock (the same clock as VideoStartTimestamp). */
  readonly startMs: number;
}

/** The mean colour of the face's skin in one frame. */
export interface SkinSample {
  /** ms since the start of the video. */
  readonly timeMs: number;
  readonly rgb: Rgb;
}

export interface LightCheckInput {
  readonly sequence: readonly ColorSequence[];
  readonly shown: readonly ColourShown[];
  /** Epoch ms of video time 0 as the client reported it (60-150 ms late in practice). */
  readonly videoStartMs: number | undefined;
  readonly samples: readonly SkinSample[];
}

export interface LightCheckResult {
  readonly passed: boolean;
  /** 0-1, what the light challenge adds to Confidence. */
  readonly score: number;
  /** Mean per-channel correlation at the best lag. */
  readonly correlation: number;
  /** How much later than the screen the face changed colour, ms. */
  readonly lagMs: number;
  /** Grey levels the skin moves for a full swing of a screen channel. */
  readonly response: number;
  /** Share of the judged big colour changes the skin followed in the right direction. */
  readonly rightDirection: number;
  /**
   * The frames were too few to judge (a busy device's encoder dropped them) and nothing else
   * failed: no verdict either way, so the applicant is asked for a new attempt, not failed.
   */
  readonly tooThin: boolean;
  readonly reasons: readonly string[];
}

/**
 * The pass rule that separated genuine, replayed, reordered and late responses
 * (light-challenge.md). The lag window allows for camera and encoder latency (genuine
 * responses measured 80-160 ms late) but not for a video rendered after seeing the colours.
 */
const LIGHT_RULES = {
  minLagMs: -50,
  maxLagMs: 350,
  minCorrelation: 0.8,
  minResponse: 2,
  minRightDirection: 0.8,
  /**
   * Big colour changes that must have frames to judge them by: a share of them and a floor.
   * A busy device's encoder drops frames (most often the last colours), and a change without
   * frames proves nothing either way; the changes it does show still have to be followed in
   * order and on time, and the correlation, lag and response rules hold on every frame.
   */
  minJudgedShare: 0.4,
  minJudged: 4,
} as const;
const LAG_SCAN_MS = 1000;
const LAG_STEP_MS = 10;
/** A channel change smaller than this is not used for the direction test. */
const BIG_CHANGE = 128;

interface Segment {
  readonly from: Rgb;
  readonly to: Rgb;
  readonly startMs: number;
  readonly scrollMs: number;
  readonly endMs: number;
}

/** The screen colour over time as the client showed it: each colour scrolls over the last. */
function screenTimeline(
  sequence: readonly ColorSequence[],
  shown: readonly ColourShown[],
): Segment[] | string {
  const starts = new Map(shown.map((event) => [event.sequenceNumber, event]));
  const segments: Segment[] = [];
  for (const [index, step] of sequence.entries()) {
    const event = starts.get(index);
    if (!event) return `colour ${index} was never reported displayed`;
    if (event.rgb.some((value, channel) => value !== step.FreshnessColor.RGB[channel])) {
      return `colour ${index} reported as [${event.rgb.join(',')}], not the colour sent`;
    }
    const previous = segments.at(-1);
    if (previous && event.startMs < previous.startMs) return 'colour timestamps go backwards';
    segments.push({
      from: previous?.to ?? step.FreshnessColor.RGB,
      to: step.FreshnessColor.RGB,
      startMs: event.startMs,
      scrollMs: step.DownscrollDuration,
      endMs: event.startMs + step.DownscrollDuration + step.FlatDisplayDuration,
    });
  }
  // A colour lasts until the next one starts; the last until its own durations end.
  return segments.map((segment, index) => ({
    ...segment,
    endMs: segments[index + 1]?.startMs ?? segment.endMs,
  }));
}

function colourAt(segments: readonly Segment[], epochMs: number): Rgb | undefined {
  for (let index = segments.length - 1; index >= 0; index--) {
    const segment = segments[index] as Segment;
    if (epochMs < segment.startMs) continue;
    if (epochMs >= segment.endMs && index === segments.length - 1) return undefined;
    const progress =
      segment.scrollMs > 0 ? Math.min(1, (epochMs - segment.startMs) / segment.scrollMs) : 1;
    return [0, 1, 2].map(
      (channel) =>
        (segment.from[channel] as number) +
        ((segment.to[channel] as number) - (segment.from[channel] as number)) * progress,
    ) as unknown as Rgb;
  }
  return undefined;
}

/** Residuals of `values` after a straight-line fit on `times`: slow drifts of exposure or pose. */
function detrend(values: readonly number[], times: readonly number[]): number[] {
  const n = values.length;
  const meanT = times.reduce((a, b) => a + b, 0) / n;
  const meanV = values.reduce((a, b) => a + b, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const dt = (times[i] as number) - meanT;
    covariance += dt * ((values[i] as number) - meanV);
    variance += dt * dt;
  }
  const slope = variance > 0 ? covariance / variance : 0;
  return values.map((value, i) => value - meanV - slope * ((times[i] as number) - meanT));
}

interface Fit {
  readonly correlation: number;
  readonly response: number;
  readonly count: number;
}

type TimedInput = LightCheckInput & { readonly videoStartMs: number };

function fitAtLag(input: TimedInput, segments: readonly Segment[], lagMs: number): Fit {
  const times: number[] = [];
  const expected: Rgb[] = [];
  const observed: Rgb[] = [];
  for (const sample of input.samples) {
    const colour = colourAt(segments, input.videoStartMs + sample.timeMs - lagMs);
    if (!colour) continue;
    times.push(sample.timeMs);
    expected.push(colour);
    observed.push(sample.rgb);
  }
  let correlationSum = 0;
  let responseSum = 0;
  let channels = 0;
  for (let channel = 0; channel < 3; channel++) {
    const x = detrend(
      expected.map((rgb) => (rgb[channel] as number) / 255),
      times,
    );
    const y = detrend(
      observed.map((rgb) => rgb[channel] as number),
      times,
    );
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i < x.length; i++) {
      xy += (x[i] as number) * (y[i] as number);
      xx += (x[i] as number) ** 2;
      yy += (y[i] as number) ** 2;
    }
    if (xx < 1e-6) continue;
    correlationSum += yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
    responseSum += xy / xx;
    channels++;
  }
  return channels === 0
    ? { correlation: 0, response: 0, count: times.length }
    : {
        correlation: correlationSum / channels,
        response: responseSum / channels,
        count: times.length,
      };
}

function meanSkin(input: TimedInput, fromEpoch: number, toEpoch: number, lagMs: number) {
  const inside = input.samples.filter((sample) => {
    const epoch = input.videoStartMs + sample.timeMs - lagMs;
    return epoch >= fromEpoch && epoch < toEpoch;
  });
  if (inside.length === 0) return undefined;
  return [0, 1, 2].map(
    (channel) =>
      inside.reduce((sum, sample) => sum + (sample.rgb[channel] as number), 0) / inside.length,
  );
}

interface DirectionCount {
  /** Big screen-channel changes the skin followed in the right direction. */
  readonly right: number;
  /** Big changes with frames on both sides to judge them by. */
  readonly judged: number;
  readonly total: number;
}

/**
 * Whether the skin moved the way each big screen-channel change says, settled part vs settled
 * part. A change without frames around it (the client's encoder dropped them, as a busy phone
 * or a loaded machine does, often at the end of the recording) is not judged either way.
 */
function countDirections(
  input: TimedInput,
  segments: readonly Segment[],
  lagMs: number,
): DirectionCount {
  let right = 0;
  let judged = 0;
  let total = 0;
  const settled = (segment: Segment) =>
    meanSkin(
      input,
      segment.startMs + 0.6 * (segment.endMs - segment.startMs),
      segment.endMs,
      lagMs,
    );
  for (let index = 1; index < segments.length; index++) {
    const previous = segments[index - 1] as Segment;
    const current = segments[index] as Segment;
    if (previous.endMs - previous.startMs < 150) continue;
    const before = settled(previous);
    const after = settled(current);
    for (let channel = 0; channel < 3; channel++) {
      const change = (current.to[channel] as number) - (previous.to[channel] as number);
      if (Math.abs(change) < BIG_CHANGE) continue;
      total++;
      if (!before || !after) continue;
      judged++;
      if (
        Math.sign((after[channel] as number) - (before[channel] as number)) === Math.sign(change)
      ) {
        right++;
      }
    }
  }
  return { right, judged, total };
}

const failed = (reason: string, tooThin = false): LightCheckResult => ({
  passed: false,
  score: 0,
  correlation: 0,
  lagMs: 0,
  response: 0,
  rightDirection: 0,
  tooThin,
  reasons: [reason],
});

/**
 * Correlates the skin colour with the screen colour rebuilt from the client's ColorDisplayed
 * events, per channel, over lags of -1 s..+1 s: VideoStartTimestamp is not exact, so the lag
 * is searched, and then it has to fall in a narrow window.
 */
export function checkLightResponse(input: LightCheckInput): LightCheckResult {
  const { videoStartMs } = input;
  if (videoStartMs === undefined) return failed('light: no VideoStartTimestamp');
  const timed = { ...input, videoStartMs };
  const segments = screenTimeline(input.sequence, input.shown);
  if (typeof segments === 'string') return failed(`light: ${segments}`);
  // At least two face samples per colour, or there is nothing to correlate.
  const minSamples = 2 * segments.length;
  let best: (Fit & { lagMs: number }) | undefined;
  for (let lagMs = -LAG_SCAN_MS; lagMs <= LAG_SCAN_MS; lagMs += LAG_STEP_MS) {
    const fit = fitAtLag(timed, segments, lagMs);
    if (fit.count >= minSamples && (!best || fit.correlation > best.correlation)) {
      best = { ...fit, lagMs };
    }
  }
  if (!best) {
    return failed(
      'light: too few face samples during the colour sequence',
      input.samples.length > 0,
    );
  }
  const directions = countDirections(timed, segments, best.lagMs);
  const rightDirection = directions.judged === 0 ? 0 : directions.right / directions.judged;
  const reasons: string[] = [];
  if (best.lagMs < LIGHT_RULES.minLagMs || best.lagMs > LIGHT_RULES.maxLagMs) {
    reasons.push(`light: best match at ${best.lagMs} ms lag, outside the window`);
  }
  if (best.correlation < LIGHT_RULES.minCorrelation) {
    reasons.push(
      `light: correlation ${best.correlation.toFixed(2)} below ${LIGHT_RULES.minCorrelation}`,
    );
  }
  if (best.response < LIGHT_RULES.minResponse) {
    reasons.push(
      `light: response ${best.response.toFixed(1)} grey levels below ${LIGHT_RULES.minResponse}`,
    );
  }
  const thin =
    directions.judged <
    Math.max(LIGHT_RULES.minJudged, LIGHT_RULES.minJudgedShare * directions.total);
  if (thin) {
    reasons.push(
      `light: only ${directions.judged} of ${directions.total} colour changes had frames to judge`,
    );
  } else if (rightDirection < LIGHT_RULES.minRightDirection) {
    reasons.push(`light: ${Math.round(rightDirection * 100)}% of colour changes followed`);
  }
  const passed = reasons.length === 0;
  return {
    passed,
    // 0.5 correlation scores nothing, 0.95 and above everything.
    score: passed ? Math.min(1, Math.max(0, (best.correlation - 0.5) / 0.45)) : 0,
    correlation: best.correlation,
    lagMs: best.lagMs,
    response: best.response,
    rightDirection,
    tooThin: thin && reasons.length === 1,
    reasons,
  };
}
