/**
 * Fits AGE_BAND (age-range.ts) on labelled crops: over a grid of band shapes (years plus a
 * share of the estimate on each side, with the child guards applied), the one with the
 * smallest midpoint error among those that bracket at least `coverage` of the true ages and
 * admit no child, ties going to the narrower band.
 */
import { AGE_BAND, type AgeBand, bandAround } from '../age-range.js';

export interface AgeSample {
  readonly age: number;
  readonly estimate: number;
}

export interface BandFigures {
  readonly band: AgeBand;
  readonly coverage: number;
  readonly midpointMae: number;
  readonly meanWidth: number;
  readonly childrenAdmitted: number;
}

export function bandFigures(samples: readonly AgeSample[], band: AgeBand): BandFigures {
  let inside = 0;
  let error = 0;
  let width = 0;
  let admitted = 0;
  for (const { age, estimate } of samples) {
    const { Low, High } = bandAround(band, estimate);
    if (age >= Low && age <= High) inside++;
    error += Math.abs((Low + High) / 2 - age);
    width += High - Low;
    if ((age < 18 && Low >= 23) || (age < 13 && Low >= 18)) admitted++;
  }
  const n = samples.length;
  return {
    band,
    coverage: inside / n,
    midpointMae: error / n,
    meanWidth: width / n,
    childrenAdmitted: admitted,
  };
}

/** The band in use, on these samples. */
export const currentBandFigures = (samples: readonly AgeSample[]) => bandFigures(samples, AGE_BAND);

const steps = (to: number, step: number) =>
  Array.from({ length: Math.round(to / step) + 1 }, (_, index) =>
    Number((index * step).toFixed(2)),
  );

export function fitAgeBand(samples: readonly AgeSample[], coverage: number): BandFigures {
  let best: BandFigures | undefined;
  for (const lowYears of steps(6, 1))
    for (const lowShare of steps(0.4, 0.02))
      for (const highYears of steps(8, 1))
        for (const highShare of steps(0.4, 0.02)) {
          const figures = bandFigures(samples, { lowYears, lowShare, highYears, highShare });
          if (figures.coverage < coverage || figures.childrenAdmitted > 0) continue;
          if (
            !best ||
            figures.midpointMae < best.midpointMae - 1e-9 ||
            (Math.abs(figures.midpointMae - best.midpointMae) < 1e-9 &&
              figures.meanWidth < best.meanWidth)
          ) {
            best = figures;
          }
        }
  if (!best)
    throw new RangeError(`no band brackets ${coverage} of the ages without admitting a child`);
  return best;
}
