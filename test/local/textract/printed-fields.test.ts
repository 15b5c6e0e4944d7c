import { describe, expect, it } from 'vitest';
import type { OcrLine, OcrWord } from '../../../local/textract/ocr-types.js';
import { extractPrintedFields } from '../../../local/textract/printed-fields.js';

/**
 * One OCR line on a row: each [x, text] places a group of words from x, 12 px per
 * character, as a page reading reports words spread across a row.
 */
function line(y: number, height: number, groups: [number, string][], confidence = 90): OcrLine {
  const words: OcrWord[] = groups.flatMap(([x, text]) => {
    let cursor = x;
    return text.split(' ').map((word) => {
      const bbox = { x0: cursor, y0: y, x1: cursor + word.length * 12, y1: y + height };
      cursor = bbox.x1 + 12;
      return { text: word, confidence, bbox };
    });
  });
  const bbox = {
    x0: Math.min(...words.map((w) => w.bbox.x0)),
    y0: y,
    x1: Math.max(...words.map((w) => w.bbox.x1)),
    y1: y + height,
  };
  const text = groups.map(([, group]) => group).join(' ');
  return { text, confidence, bbox, baseline: { ...bbox, y0: bbox.y1 }, words };
}

describe('extractPrintedFields', () => {
  it('reads each value under its caption, bounded by the next caption on the row', () => {
    const fields = extractPrintedFields([
      line(100, 14, [[320, 'Surname']]),
      line(124, 24, [[320, 'MARTIN']], 96),
      line(170, 14, [[320, 'Given names']]),
      // Portrait noise left of the caption column must not leak into the value.
      line(
        194,
        24,
        [
          [60, '-='],
          [320, 'CLAIRE ANNE'],
        ],
        80,
      ),
      line(240, 14, [
        [320, 'Sex'],
        [430, 'Nationality'],
        [660, 'Date of birth'],
      ]),
      line(264, 24, [
        [320, 'F'],
        [430, 'FRA'],
        [660, '12.04.1990'],
      ]),
      line(310, 14, [
        [320, 'Document No.'],
        [660, 'Date of expiry'],
      ]),
      line(334, 24, [
        [320, 'T22000129'],
        [660, '30.06.2034'],
      ]),
    ]);
    expect(fields).toEqual({
      surname: { text: 'MARTIN', confidence: 96 },
      givenNames: { text: 'CLAIRE ANNE', confidence: 80 },
      dateOfBirth: { text: '12.04.1990', confidence: 90 },
      documentNumber: { text: 'T22000129', confidence: 90 },
      expiryDate: { text: '30.06.2034', confidence: 90 },
    });
  });

  it('tells "date of issue" from "date of expiry" and ignores captions without values', () => {
    const fields = extractPrintedFields([
      line(600, 16, [
        [460, 'Date of issue'],
        [880, 'Date of expiry'],
      ]),
      line(626, 28, [
        [460, '01 JUL 2024'],
        [880, '30 JUN 2034'],
      ]),
      line(700, 16, [[460, 'Surname']]),
    ]);
    expect(fields).toEqual({
      dateOfIssue: { text: '01 JUL 2024', confidence: 90 },
      expiryDate: { text: '30 JUN 2034', confidence: 90 },
    });
  });

  it('finds nothing on a page without captions', () => {
    expect(extractPrintedFields([line(10, 20, [[10, 'HAPPY BIRTHDAY 2024']])])).toEqual({});
  });
});
