import type { AnalyzeIDResponse } from '@aws-sdk/client-textract';
import sharp from 'sharp';
import { identityDocumentFields } from './identity-fields.js';
import { type PreparedImage, prepareImage } from './image-input.js';
import { bottomBand, locateMrzBand, type MrzBand, pageSkewDegrees } from './mrz-band.js';
import { findMrz, type MrzSource } from './mrz-zone.js';
import { type OcrEngines, type PageText, startOcrEngines } from './ocr-engines.js';
import { extractPrintedFields } from './printed-fields.js';

/** Reported as AnalyzeIDModelVersion, so responses show they came from the emulation. */
export const LOCAL_MODEL_VERSION = 'local-tesseract-1.0';

export interface IdDocumentReaderOptions {
  /** The clock that decides the century of MRZ dates; injectable for tests. */
  now?: () => Date;
}

/** Below this tilt the legacy engine reads the MRZ band as is; rotating would only blur it. */
const MIN_BAND_DESKEW_DEGREES = 0.3;
/** Below this tilt the LSTM engine reads the page as well as it would upright. */
const MIN_PAGE_DESKEW_DEGREES = 1;

async function cropBand(image: PreparedImage, band: MrzBand): Promise<Buffer> {
  const crop = await sharp(image.png)
    .extract({ left: band.left, top: band.top, width: band.width, height: band.height })
    .toBuffer();
  if (Math.abs(band.skewDegrees) < MIN_BAND_DESKEW_DEGREES) return crop;
  return sharp(crop).rotate(-band.skewDegrees, { background: '#ffffff' }).png().toBuffer();
}

/**
 * A local stand-in for Amazon Textract's AnalyzeID on TD1 ID cards and TD3 passports:
 * the MRZ, read with check digits, anchors the result and the printed fields confirm it.
 */
export class IdDocumentReader {
  private constructor(
    private readonly engines: OcrEngines,
    private readonly now: () => Date,
  ) {}

  static async start(options: IdDocumentReaderOptions = {}): Promise<IdDocumentReader> {
    return new IdDocumentReader(await startOcrEngines(), options.now ?? (() => new Date()));
  }

  async analyzeId(imageBytes: Uint8Array): Promise<AnalyzeIDResponse> {
    const prepared = await prepareImage(imageBytes);
    // Upright TD1 and TD3 documents carry the MRZ at the bottom: reading there while the
    // page is read saves a second pass in the common case.
    // A failed guess only costs the second pass, and settling it here means a failure of
    // the page reading leaves no unhandled rejection behind.
    const guessed = cropBand(prepared, bottomBand(prepared.width, prepared.height))
      .then((band) => this.engines.readMrzBand(band))
      .catch(() => null);
    const { image, page } = await this.readUpright(prepared);
    const sources = [await guessed].filter((source): source is MrzSource => source !== null);
    let mrz = findMrz(sources);
    if (!mrz?.valid) {
      const band = locateMrzBand(page.lines, image.width, image.height);
      if (band) sources.unshift(await this.engines.readMrzBand(await cropBand(image, band)));
      // The LSTM lines are a last opinion: they garble the filler but not always the data.
      sources.push({
        text: page.lines.map((line) => line.text).join('\n'),
        confidence: page.confidence,
      });
      mrz = findMrz(sources);
    }
    const fields = identityDocumentFields(
      { mrz, printed: extractPrintedFields(page.lines) },
      this.now(),
    );
    return {
      IdentityDocuments: [{ DocumentIndex: 1, IdentityDocumentFields: fields }],
      DocumentMetadata: { Pages: 1 },
      AnalyzeIDModelVersion: LOCAL_MODEL_VERSION,
    };
  }

  /** Reads the page; if its lines are tilted, straightens the image and reads it again. */
  private async readUpright(
    prepared: PreparedImage,
  ): Promise<{ image: PreparedImage; page: PageText }> {
    const page = await this.engines.readPage(prepared.png);
    const skew = pageSkewDegrees(page.lines);
    if (Math.abs(skew) < MIN_PAGE_DESKEW_DEGREES) return { image: prepared, page };
    const { data, info } = await sharp(prepared.png)
      .rotate(-skew, { background: '#ffffff' })
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    const image = { png: data, width: info.width, height: info.height };
    return { image, page: await this.engines.readPage(image.png) };
  }

  async close(): Promise<void> {
    await this.engines.close();
  }
}
