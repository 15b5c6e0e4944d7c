import type { AnalyzeIDResponse, IdentityDocumentField } from '@aws-sdk/client-textract';
import sharp from 'sharp';
import { aamvaFields, isAamva } from './aamva-fields.js';
import { identityDocumentFields } from './identity-fields.js';
import { type PreparedImage, prepareImage } from './image-input.js';
import { licenceFrontFields, looksLikeLicenceFront } from './licence-front.js';
import { bottomBand, locateMrzBand, type MrzBand, pageSkewDegrees } from './mrz-band.js';
import { findMrz, type MrzReading, type MrzSource } from './mrz-zone.js';
import { type OcrEngines, type PageText, startOcrEngines } from './ocr-engines.js';
import { readPdf417 } from './pdf417.js';
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

function response(fields: IdentityDocumentField[]): AnalyzeIDResponse {
  return {
    IdentityDocuments: [{ DocumentIndex: 1, IdentityDocumentFields: fields }],
    DocumentMetadata: { Pages: 1 },
    AnalyzeIDModelVersion: LOCAL_MODEL_VERSION,
  };
}

/**
 * A local stand-in for Amazon Textract's AnalyzeID on MRZ documents (TD1, TD2, TD3, visas)
 * and US licence backs: the MRZ, read with check digits, anchors the result and the
 * printed fields confirm it; a licence's PDF417 barcode gives its fields whole.
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
    // The back of a US licence: its PDF417 barcode holds every field as digital data.
    const barcode = await readPdf417(imageBytes);
    if (barcode !== null && isAamva(barcode)) return response(aamvaFields(barcode));
    // Upright TD1 and TD3 documents carry the MRZ at the bottom: reading there while the
    // page is read saves a second pass in the common case.
    // A failed guess only costs the second pass, and settling it here means a failure of
    // the page reading leaves no unhandled rejection behind.
    const guessed = cropBand(prepared, bottomBand(prepared.width, prepared.height))
      .then((band) => this.engines.readMrzBand(band))
      .catch(() => null);
    const upright = await this.readUpright(prepared);
    const { image } = upright;
    let { page } = upright;
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
    // An upright licence front reads as one: turning it would only cost three more reads.
    const licenceFront = looksLikeLicenceFront(page.lines);
    if (!mrz?.valid && !licenceFront) {
      const turned = await this.readTurnedBands(prepared);
      if (turned && (!mrz || turned.reading.invalidFields < mrz.invalidFields)) {
        mrz = turned.reading;
        // The printed fields are turned too: read the page the way the MRZ was found.
        page = await this.engines.readPage(turned.png);
      }
    }
    if (!mrz && licenceFront) {
      return response(licenceFrontFields(page.lines, this.now()));
    }
    const fields = identityDocumentFields(
      {
        mrz,
        printed: extractPrintedFields(page.lines),
        pageWords: page.lines.flatMap((line) => line.words.map((word) => word.text)),
      },
      this.now(),
    );
    return response(fields);
  }

  /**
   * A page photographed sideways or upside down (with no EXIF orientation to say so)
   * carries its MRZ along another edge: the bottom band of the page turned each way is
   * read until one gives a valid zone. Null if none does.
   */
  private async readTurnedBands(
    prepared: PreparedImage,
  ): Promise<{ reading: MrzReading; png: Buffer } | null> {
    const portrait = prepared.height > prepared.width;
    // Documents are landscape: a portrait image is more likely turned a quarter.
    const angles = portrait ? [90, 270, 180] : [180, 90, 270];
    let best: { reading: MrzReading; png: Buffer } | null = null;
    for (const angle of angles) {
      const { data, info } = await sharp(prepared.png)
        .rotate(angle)
        .png({ compressionLevel: 1 })
        .toBuffer({ resolveWithObject: true });
      const turned = { png: data, width: info.width, height: info.height };
      const band = await cropBand(turned, bottomBand(turned.width, turned.height));
      const reading = findMrz([await this.engines.readMrzBand(band)]);
      if (reading?.valid) return { reading, png: data };
      if (reading && (!best || reading.invalidFields < best.reading.invalidFields)) {
        best = { reading, png: data };
      }
    }
    return best;
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
