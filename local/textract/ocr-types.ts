/** The slice of an OCR result the field extraction needs, independent of the engine. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  /** 0-100 */
  confidence: number;
  bbox: Box;
}

export interface OcrLine {
  text: string;
  confidence: number;
  bbox: Box;
  /** The line's baseline, from which the page's skew is measured. */
  baseline: Box;
  words: OcrWord[];
}
