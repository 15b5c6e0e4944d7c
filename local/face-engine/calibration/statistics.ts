/** Plain statistics over lists of numbers, for calibration reports. */

/** Nearest-rank quantile, q in [0, 1]; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const share = (values: readonly number[], test: (value: number) => boolean) =>
  values.length === 0 ? Number.NaN : values.filter(test).length / values.length;

export const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Area under the ROC curve for scores where higher means "same person": the chance that a
 * random same-person pair outscores a random different-person pair (ties count half).
 */
export function auc(positives: readonly number[], negatives: readonly number[]): number {
  const sorted = [...negatives].sort((a, b) => a - b);
  const below = (value: number, strict: boolean) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const item = sorted[middle] ?? 0;
      if (strict ? item < value : item <= value) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  let wins = 0;
  for (const value of positives) wins += (below(value, true) + below(value, false)) / 2;
  return wins / (positives.length * sorted.length);
}
