/** Prints the quality figures of a face set analysis, as the calibration and benchmark do. */
import {
  type AgeFigures,
  ageFigures,
  type DetectionFigures,
  detectionFigures,
  type MatchFigures,
  matchFigures,
  photoPairs,
  type SetAnalysis,
} from './measure.js';

const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
const listed = (names: readonly string[]) => (names.length ? ` (${names.join(', ')})` : '');

export interface QualityFigures {
  readonly match: MatchFigures;
  readonly detection: DetectionFigures;
  readonly age: AgeFigures;
}

export function qualityFigures(analysis: SetAnalysis): QualityFigures {
  return {
    match: matchFigures(photoPairs(analysis.identities)),
    detection: detectionFigures(analysis),
    age: ageFigures(analysis.ages),
  };
}

export function printQuality({ match, detection, age }: QualityFigures): void {
  console.log(
    `same-person pairs: ${match.samePairs}, Similarity >= 80: ${percent(match.sameAt80)}, >= 95: ${percent(match.sameAt95)}`,
  );
  console.log(
    `different-person pairs: ${match.differentPairs}, Similarity >= 80: ${match.differentAt80}, highest ${match.highestDifferent.toFixed(1)} (${match.closestDifferent})`,
  );
  console.log(
    `AUC ${match.auc.toFixed(4)}; pairs with a photo where no face was found: ${match.pairsWithoutFace}`,
  );
  console.log(
    `detection on ${detection.photos} single-face photos: missed ${detection.missed.length}${listed(detection.missed)}, second face reported ${detection.secondFaces.length}${listed(detection.secondFaces)}`,
  );
  console.log(
    `age on ${age.crops} crops: true age inside AgeRange ${percent(age.inRange)}, midpoint MAE ${age.midpointMae.toFixed(2)} years, mean band width ${age.meanWidth.toFixed(1)}, no face ${age.withoutFace}`,
  );
  console.log(
    `age gate: minors with Low >= 23: ${age.minorsLow23}, under-13s with Low >= 18: ${age.under13Low18}`,
  );
}
