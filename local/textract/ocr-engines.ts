import { createRequire } from 'node:module';
import path from 'node:path';
import Tesseract from 'tesseract.js';
import type { OcrLine } from './ocr-types.js';

const require = createRequire(import.meta.url);
const LANGUAGE_DATA = path.dirname(require.resolve('@tesseract.js-data/eng/package.json'));

const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

function workerOptions(modelFolder: string): Partial<Tesseract.WorkerOptions> {
  return {
    // The models ship in the npm package: nothing is fetched at run time.
    langPath: path.join(LANGUAGE_DATA, modelFolder),
    gzip: true,
    // The default cache writes traineddata into the working directory.
    cacheMethod: 'none',
    // Without a handler a failed job throws inside the worker's message listener and
    // takes the process down; with one, the job's own promise rejects and the caller
    // handles it.
    errorHandler: () => {},
  };
}

export interface PageText {
  lines: OcrLine[];
  /** Mean confidence, 0-100. */
  confidence: number;
}

export interface OcrEngines {
  /** LSTM engine, automatic page segmentation: printed text laid out anywhere. */
  readPage(png: Buffer): Promise<PageText>;
  /** Legacy engine, restricted to the MRZ alphabet, on a cropped MRZ band. */
  readMrzBand(png: Buffer): Promise<{ text: string; confidence: number }>;
  close(): Promise<void>;
}

function toLines(page: Tesseract.Page): OcrLine[] {
  return (page.blocks ?? []).flatMap((block) =>
    block.paragraphs.flatMap((paragraph) =>
      paragraph.lines.map((line) => ({
        text: line.text.trim(),
        confidence: line.confidence,
        bbox: line.bbox,
        baseline: line.baseline,
        words: line.words.map(({ text, confidence, bbox }) => ({ text, confidence, bbox })),
      })),
    ),
  );
}

/**
 * Starts both workers up front (~0.5 s, ~260 MB): the LSTM model reads printed fields
 * well but garbles the `<<<` filler, the legacy model reads the MRZ band near-perfectly.
 */
export async function startOcrEngines(): Promise<OcrEngines> {
  const started = await Promise.allSettled([
    Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, workerOptions('4.0.0_best_int')),
    Tesseract.createWorker('eng', Tesseract.OEM.TESSERACT_ONLY, {
      ...workerOptions('4.0.0'),
      legacyCore: true,
      legacyLang: true,
    }),
  ]);
  const [lstm, legacy] = started.map((result) =>
    result.status === 'fulfilled' ? result.value : null,
  );
  if (!lstm || !legacy) {
    await Promise.all([lstm?.terminate(), legacy?.terminate()]);
    const failure = started.find((result) => result.status === 'rejected');
    throw new Error('OCR engine failed to start', { cause: failure?.reason });
  }
  // Images arrive scaled to a working size close to a 300 dpi card scan; saying so stops
  // Tesseract guessing the resolution (and warning on stderr when a page has no text).
  const dpi = { user_defined_dpi: '300' };
  await Promise.all([
    lstm.setParameters({ ...dpi, tessedit_pageseg_mode: Tesseract.PSM.AUTO }),
    legacy.setParameters({
      ...dpi,
      tessedit_pageseg_mode: Tesseract.PSM.SINGLE_BLOCK,
      tessedit_char_whitelist: MRZ_ALPHABET,
    }),
  ]);
  return {
    async readPage(png) {
      const { data } = await lstm.recognize(png, {}, { blocks: true, text: false });
      return { lines: toLines(data), confidence: data.confidence };
    },
    async readMrzBand(png) {
      const { data } = await legacy.recognize(png);
      return { text: data.text, confidence: data.confidence };
    },
    async close() {
      await Promise.all([lstm.terminate(), legacy.terminate()]);
    },
  };
}
