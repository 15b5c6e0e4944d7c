import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  decodeImage,
  MAX_IMAGE_BYTES,
  sniffImageFormat,
} from '../../../local/face-engine/decode-image.js';
import {
  ImageTooLargeError,
  InvalidImageFormatError,
  InvalidParameterError,
} from '../../../local/face-engine/errors.js';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#336699' } });

describe('sniffImageFormat', () => {
  it.each([
    ['jpeg', () => solid(4, 4).jpeg().toBuffer(), 'jpeg'],
    ['png', () => solid(4, 4).png().toBuffer(), 'png'],
    ['gif', () => solid(4, 4).gif().toBuffer(), undefined],
    ['webp', () => solid(4, 4).webp().toBuffer(), undefined],
    ['text', async () => Buffer.from('not an image at all'), undefined],
  ])('recognises %s from its bytes', async (_label, make, expected) => {
    expect(sniffImageFormat(await make())).toBe(expected);
  });
});

describe('decodeImage', () => {
  it('decodes a JPEG to upright RGB pixels', async () => {
    const frame = await decodeImage(await solid(40, 30).jpeg().toBuffer());
    expect([frame.width, frame.height, frame.data.length]).toEqual([40, 30, 40 * 30 * 3]);
  });

  it('drops the alpha channel of a PNG', async () => {
    const rgba = await sharp({
      create: { width: 8, height: 6, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    const frame = await decodeImage(rgba);
    expect(frame.data.length).toBe(8 * 6 * 3);
  });

  it('applies the EXIF orientation', async () => {
    const rotated = await solid(40, 30).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const frame = await decodeImage(rotated);
    expect([frame.width, frame.height]).toEqual([30, 40]);
  });

  it.each([
    [
      'empty bytes',
      async () => new Uint8Array(),
      InvalidParameterError,
      'InvalidParameterException',
    ],
    [
      'text',
      async () => Buffer.from('hello'),
      InvalidImageFormatError,
      'InvalidImageFormatException',
    ],
    [
      'a GIF',
      () => solid(8, 8).gif().toBuffer(),
      InvalidImageFormatError,
      'InvalidImageFormatException',
    ],
    [
      'a truncated JPEG',
      async () => {
        const jpeg = await solid(300, 200).jpeg().toBuffer();
        return jpeg.subarray(0, Math.floor(jpeg.length / 2));
      },
      InvalidImageFormatError,
      'InvalidImageFormatException',
    ],
    [
      'more than 5 MB',
      async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(MAX_IMAGE_BYTES)]),
      ImageTooLargeError,
      'ImageTooLargeException',
    ],
    [
      'a decompression bomb PNG',
      // 25 megapixels of one colour compress to about 70 kB.
      () => solid(5000, 5000).png({ compressionLevel: 9 }).toBuffer(),
      ImageTooLargeError,
      'ImageTooLargeException',
    ],
  ])('refuses %s', async (_label, make, errorClass, name) => {
    const bytes = await make();
    const error = await decodeImage(bytes).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).name).toBe(name);
  });
});
