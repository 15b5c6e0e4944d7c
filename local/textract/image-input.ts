import sharp from 'sharp';
import {
  DocumentTooLargeException,
  InvalidParameterException,
  UnsupportedDocumentException,
} from './errors.js';

/** Textract's limit for document bytes in a synchronous request. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/**
 * A decompression-bomb guard: a few kilobytes of PNG can declare gigapixels. Checked on
 * the header before decoding, and enforced again by the decoder.
 */
export const MAX_PIXELS = 50_000_000;
export const MAX_SIDE = 10_000;

/** OCR works best with text a few dozen pixels high: scale documents into this range. */
const MIN_WORKING_SIDE = 1000;
const MAX_WORKING_SIDE = 2000;

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

export interface PreparedImage {
  /** Upright greyscale PNG at working size. */
  png: Buffer;
  width: number;
  height: number;
}

/** Validates the request bytes as Textract does and decodes them for OCR. */
export async function prepareImage(bytes: Uint8Array): Promise<PreparedImage> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new InvalidParameterException('Document bytes are required');
  }
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new DocumentTooLargeException(
      `Document is ${bytes.length} bytes; the limit is ${MAX_DOCUMENT_BYTES}`,
    );
  }
  const format = startsWith(bytes, JPEG_MAGIC)
    ? 'jpeg'
    : startsWith(bytes, PNG_MAGIC)
      ? 'png'
      : null;
  if (format === null) {
    throw new UnsupportedDocumentException('Request has unsupported document format');
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const options = { limitInputPixels: MAX_PIXELS, failOn: 'error' } as const;
  let width: number;
  let height: number;
  try {
    // Reads the header only, so the pixel limit is checked here rather than by sharp.
    // Oriented by EXIF: photos from phones are often stored sideways.
    ({ width, height } = (await sharp(input, { limitInputPixels: false }).metadata()).autoOrient);
  } catch {
    throw new UnsupportedDocumentException('Request has unsupported document format');
  }
  if (width * height > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE) {
    throw new DocumentTooLargeException(
      `Image is ${width}x${height} pixels; the limit is ${MAX_PIXELS} pixels, ${MAX_SIDE} a side`,
    );
  }
  const longSide = Math.max(width, height);
  const scale =
    longSide > MAX_WORKING_SIDE
      ? MAX_WORKING_SIDE / longSide
      : longSide < MIN_WORKING_SIDE
        ? MIN_WORKING_SIDE / longSide
        : 1;
  try {
    const { data, info } = await sharp(input, options)
      .autoOrient()
      .resize({ width: Math.round(width * scale), height: Math.round(height * scale), fit: 'fill' })
      .toColourspace('b-w')
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch {
    // Truncated or corrupt image data behind a valid header.
    throw new UnsupportedDocumentException('Request has unsupported document format');
  }
}
