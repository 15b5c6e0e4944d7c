import sharp from 'sharp';
import { ImageTooLargeError, InvalidImageFormatError, InvalidParameterError } from './errors.js';

/** Rekognition's limit for images passed as `Bytes`. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/**
 * Rekognition documents 4096x4096 as its largest image; a larger declared size is refused
 * before decoding, which is also what stops a tiny PNG that inflates to gigabytes.
 */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

/** Decoded, upright (EXIF orientation applied) 8-bit RGB pixels, row-major. */
export interface RgbFrame {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

type ImageFormat = 'jpeg' | 'png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Trusts the leading bytes only: callers' file names and content types can lie. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (PNG_SIGNATURE.every((value, index) => bytes[index] === value)) return 'png';
  return undefined;
}

/** The checks that need no decoding; cheap enough to run before handing bytes to a worker. */
export function checkImageSize(bytes: Uint8Array): void {
  if (bytes.byteLength === 0) throw new InvalidParameterError('Image bytes must not be empty.');
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new ImageTooLargeError(`Image is larger than ${MAX_IMAGE_BYTES} bytes.`);
  }
}

export async function decodeImage(bytes: Uint8Array): Promise<RgbFrame> {
  checkImageSize(bytes);
  if (!sniffImageFormat(bytes)) {
    throw new InvalidImageFormatError('Request has unsupported image format (JPEG or PNG only).');
  }
  try {
    // failOn 'warning' turns truncated or corrupt data into an error instead of grey pixels.
    const { data, info } = await sharp(bytes, {
      limitInputPixels: MAX_IMAGE_PIXELS,
      failOn: 'warning',
    })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new ImageTooLargeError(`Image has more than ${MAX_IMAGE_PIXELS} pixels.`);
    }
    throw new InvalidImageFormatError('Image data could not be decoded.');
  }
}
