/** What the service sends first: the oval to fit and the colours to flash, per session. */

export type Rgb = readonly [number, number, number];

export interface ColorSequence {
  readonly FreshnessColor: { readonly RGB: Rgb };
  /** ms the colour takes to scroll down over the previous one. */
  readonly DownscrollDuration: number;
  /** ms the colour then stays flat. */
  readonly FlatDisplayDuration: number;
}

export interface OvalParameters {
  readonly Width: number;
  readonly Height: number;
  readonly CenterX: number;
  readonly CenterY: number;
}

export interface LightChallenge {
  readonly OvalParameters: OvalParameters;
  readonly LightChallengeType: 'SEQUENTIAL';
  readonly ChallengeConfig: Readonly<Record<string, number>>;
  readonly ColorSequences: readonly ColorSequence[];
}

export const CHALLENGE_TYPE = 'FaceMovementAndLightChallenge';
export const CHALLENGE_VERSION = '2.0.0';

const OVAL_HEIGHT_WIDTH_RATIO = 1.618;

/**
 * Values like the service's (liveness-protocol.md, light-challenge.md): the component needs
 * every one non-zero, and these passed with a real headless component.
 */
const CHALLENGE_CONFIG = {
  BlazeFaceDetectionThreshold: 0.75,
  FaceDistanceThreshold: 0.32,
  FaceDistanceThresholdMin: 0.32,
  FaceDistanceThresholdMax: 0.4,
  OvalHeightWidthRatio: OVAL_HEIGHT_WIDTH_RATIO,
  OvalIouThreshold: 0.6,
  OvalIouWidthThreshold: 0.25,
  OvalIouHeightThreshold: 0.25,
  FaceIouWidthThreshold: 0.15,
  FaceIouHeightThreshold: 0.15,
  OvalFitTimeout: 7000,
} as const;

/**
 * Saturated colours only, each once: every channel swings fully several times, which is what
 * makes the per-channel correlation meaningful, and a permutation gives 5040 sequences.
 */
const PALETTE: readonly Rgb[] = [
  [255, 255, 255],
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 255],
];
const BLACK: Rgb = [0, 0, 0];
const LEADING_BLACK_MS = 75;
const COLOUR_MS = 475;

const between = (random: () => number, low: number, high: number) => low + (high - low) * random();

function ovalFor(width: number, height: number, random: () => number): OvalParameters {
  // The oval's height must fit the frame with a margin, whatever the aspect ratio.
  const ovalWidth = Math.min(width * between(random, 0.4, 0.46), (height * 0.9) / 1.618);
  const ovalHeight = ovalWidth * OVAL_HEIGHT_WIDTH_RATIO;
  const slackX = Math.max(0, (width - ovalWidth) / 2 - width * 0.05);
  const slackY = Math.max(0, (height - ovalHeight) / 2);
  return {
    Width: Math.round(ovalWidth),
    Height: Math.round(ovalHeight),
    CenterX: Math.round(width / 2 + between(random, -0.5, 0.5) * slackX),
    CenterY: Math.round(height / 2 + between(random, -0.5, 0.5) * slackY),
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

/**
 * Cryptographic: a sequence an attacker could predict is a sequence they could pre-render,
 * and Math.random's state can be recovered from a few outputs.
 */
function secureRandom(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] as number) / 2 ** 32;
}

/** A fresh challenge for a video of the given size; `random` is injectable for tests. */
export function createLightChallenge(
  video: { readonly width: number; readonly height: number },
  random: () => number = secureRandom,
): LightChallenge {
  return {
    OvalParameters: ovalFor(video.width, video.height, random),
    LightChallengeType: 'SEQUENTIAL',
    ChallengeConfig: CHALLENGE_CONFIG,
    ColorSequences: [
      {
        FreshnessColor: { RGB: BLACK },
        DownscrollDuration: 0,
        FlatDisplayDuration: LEADING_BLACK_MS,
      },
      ...shuffled(PALETTE, random).map((rgb) => ({
        FreshnessColor: { RGB: rgb },
        DownscrollDuration: COLOUR_MS,
        FlatDisplayDuration: 0,
      })),
    ],
  };
}

export function serverSessionInformation(challenge: LightChallenge) {
  return { SessionInformation: { Challenge: { [CHALLENGE_TYPE]: challenge } } };
}
