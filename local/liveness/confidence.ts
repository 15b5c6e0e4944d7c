import type { FaceCheckResult } from './face-checks.js';
import type { LightCheckResult } from './light-check.js';

/**
 * Weights of the signals in Confidence (README.md explains them). The light challenge is the
 * only one a replayed or pre-rendered video cannot fake, so it dominates; the passive score
 * is weak evidence (useless on labelled spoofs, face-engine.md) and only nudges.
 */
export const CONFIDENCE_WEIGHTS = {
  light: 0.55,
  presence: 0.15,
  approach: 0.15,
  fit: 0.1,
  passive: 0.05,
} as const;

/** Any failed rule caps Confidence below the usual 50-90 pass thresholds; each further one lowers the cap. */
const FIRST_FAILURE_CAP = 45;
const FURTHER_FAILURE_STEP = 15;

export interface Decision {
  /** 0-100, rounded to 0.1. */
  readonly confidence: number;
  readonly reasons: readonly string[];
}

export function decide(light: LightCheckResult, faces: FaceCheckResult): Decision {
  const weighted: [number, number][] = [
    [CONFIDENCE_WEIGHTS.light, light.score],
    [CONFIDENCE_WEIGHTS.presence, faces.presenceScore],
    [CONFIDENCE_WEIGHTS.approach, faces.approachScore],
    [CONFIDENCE_WEIGHTS.fit, faces.fitScore],
  ];
  if (faces.passiveScore !== undefined) {
    weighted.push([CONFIDENCE_WEIGHTS.passive, faces.passiveScore]);
  }
  // Without a passive score the other weights are scaled up to sum to 1 again.
  const totalWeight = weighted.reduce((sum, [weight]) => sum + weight, 0);
  const score =
    (100 * weighted.reduce((sum, [weight, value]) => sum + weight * value, 0)) / totalWeight;
  const reasons = [...light.reasons, ...faces.reasons];
  const cap =
    reasons.length === 0
      ? 100
      : Math.max(0, FIRST_FAILURE_CAP - FURTHER_FAILURE_STEP * (reasons.length - 1));
  return { confidence: Math.round(Math.min(score, cap) * 10) / 10, reasons };
}
