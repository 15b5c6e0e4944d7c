import type { Box, OcrLine } from './ocr-types.js';

export interface MrzBand {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Clockwise tilt of the text lines, to undo before reading. */
  skewDegrees: number;
}

/**
 * The LSTM reading garbles MRZ filler but still shows where the zone is: runs made almost
 * only of MRZ characters with a filler run. On a tilted page it breaks each MRZ line into
 * pieces, so pieces count too.
 */
function looksLikeMrz(line: OcrLine): boolean {
  const compact = line.text.replace(/\s+/g, '');
  if (compact.length < 8 || !compact.includes('<<')) return false;
  const mrzChars = compact.replace(/[^A-Z0-9<]/g, '').length;
  return mrzChars / compact.length >= 0.8;
}

function centerY(line: OcrLine): number {
  return (line.bbox.y0 + line.bbox.y1) / 2;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function slopeDegrees({ x0, y0, x1, y1 }: Box): number {
  return x1 === x0 ? 0 : (Math.atan2(y1 - y0, x1 - x0) * 180) / Math.PI;
}

/**
 * The page's tilt: the median slope of the baselines of lines long enough to measure.
 * Tesseract still finds lines on a page tilted a few degrees, but reads fewer of them.
 */
export function pageSkewDegrees(lines: OcrLine[]): number {
  const measurable = lines.filter((line) => line.baseline.x1 - line.baseline.x0 >= 100);
  return median(measurable.map((line) => slopeDegrees(line.baseline)));
}

/** The region holding the MRZ lines with a margin, clamped to the image; null if none. */
export function locateMrzBand(lines: OcrLine[], width: number, height: number): MrzBand | null {
  const anchors = lines.filter(looksLikeMrz);
  if (anchors.length === 0) return null;
  // Pieces without filler (a run of digits) belong to the zone when they sit beside it.
  const top0 = Math.min(...anchors.map((l) => l.bbox.y0));
  const bottom0 = Math.max(...anchors.map((l) => l.bbox.y1));
  const mrzLines = lines.filter((l) => centerY(l) > top0 && centerY(l) < bottom0);
  const lineHeight = median(mrzLines.map((line) => line.bbox.y1 - line.bbox.y0));
  const left = Math.max(0, Math.min(...mrzLines.map((l) => l.bbox.x0)) - lineHeight);
  const right = Math.min(width, Math.max(...mrzLines.map((l) => l.bbox.x1)) + lineHeight);
  const top = Math.max(0, Math.min(...mrzLines.map((l) => l.bbox.y0)) - lineHeight);
  const bottom = Math.min(height, Math.max(...mrzLines.map((l) => l.bbox.y1)) + lineHeight);
  return {
    left: Math.round(left),
    top: Math.round(top),
    width: Math.round(right - left),
    height: Math.round(bottom - top),
    skewDegrees: median(mrzLines.map((line) => slopeDegrees(line.baseline))),
  };
}

/**
 * Where an upright TD1 or TD3 document filling the image carries its MRZ: the bottom
 * 40% (the zone takes about 30% of a card's height).
 */
export function bottomBand(width: number, height: number): MrzBand {
  // At least one row: a strip a pixel or two high still has a band to read (and find empty).
  const top = Math.min(Math.round(height * 0.6), height - 1);
  return { left: 0, top, width, height: height - top, skewDegrees: 0 };
}
