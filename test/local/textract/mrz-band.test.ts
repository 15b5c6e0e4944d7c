import { describe, expect, it } from 'vitest';
import { bottomBand, locateMrzBand, pageSkewDegrees } from '../../../local/textract/mrz-band.js';
import type { OcrLine } from '../../../local/textract/ocr-types.js';

/** A line from x0 to x1 whose baseline drops `drop` pixels across it. */
function line(text: string, x0: number, x1: number, y: number, drop = 0): OcrLine {
  const bbox = { x0, y0: y - 30 + Math.min(0, drop), x1, y1: y + Math.max(0, drop) };
  return { text, confidence: 80, bbox, baseline: { x0, y0: y, x1, y1: y + drop }, words: [] };
}

describe('locateMrzBand', () => {
  it('frames the MRZ lines with a line-height margin, pieces of a broken line included', () => {
    const band = locateMrzBand(
      [
        line('IDENTITY CARD', 40, 300, 50),
        line('IDFRAT220001293<<<<<<<<<<<<<<<', 60, 950, 500),
        line('9004126F340630', 60, 480, 552),
        line('4FRA<<<<<<<<<<<8', 500, 950, 552),
        line('MARTIN<<CLAIRE<<<<<<<<<<<<<<<<', 60, 950, 604),
      ],
      1012,
      638,
    );
    expect(band).toEqual({ left: 30, top: 440, width: 950, height: 194, skewDegrees: 0 });
  });

  it('measures the tilt of the MRZ lines', () => {
    const band = locateMrzBand(
      [line('IDFRAT220001293<<<<<<<<<<<<<<<', 0, 900, 500, 47)],
      1012,
      638,
    );
    expect(band?.skewDegrees).toBeCloseTo(2.99, 1);
  });

  it('finds nothing without a filler run', () => {
    expect(locateMrzBand([line('SURNAME MARTIN', 60, 400, 100)], 1012, 638)).toBeNull();
  });
});

it('takes the page skew from lines long enough to measure', () => {
  const lines = [line('a', 0, 500, 100, -9), line('b', 0, 500, 200, -8), line('c', 0, 50, 300, 20)];
  expect(pageSkewDegrees(lines)).toBeCloseTo(-0.92, 1);
});

it('guesses the bottom 40% of an upright document for the MRZ', () => {
  expect(bottomBand(1000, 600)).toEqual({
    left: 0,
    top: 360,
    width: 1000,
    height: 240,
    skewDegrees: 0,
  });
});

it.each([1, 2])(
  'keeps at least one row of an image %d px high (sharp refuses an empty crop)',
  (height) => {
    const band = bottomBand(2000, height);
    expect(band.height).toBeGreaterThanOrEqual(1);
    expect(band.top + band.height).toBe(height);
  },
);
