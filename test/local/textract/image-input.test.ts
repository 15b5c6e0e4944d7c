import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DocumentTooLargeException,
  InvalidParameterException,
  UnsupportedDocumentException,
} from '../../../local/textract/errors.js';
import { MAX_DOCUMENT_BYTES, prepareImage } from '../../../local/textract/image-input.js';

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny, well-formed PNG header that declares a huge greyscale image. */
function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ddeeff' } })
    .jpeg()
    .toBuffer();
}

describe('prepareImage', () => {
  it.each<[string, () => Promise<Uint8Array> | Uint8Array, string]>([
    ['no bytes', () => new Uint8Array(0), InvalidParameterException.name],
    ['a string', () => 'not bytes' as unknown as Uint8Array, InvalidParameterException.name],
    [
      'more than 10 MB',
      () => Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0xff),
      DocumentTooLargeException.name,
    ],
    [
      'a GIF',
      () => Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
      UnsupportedDocumentException.name,
    ],
    ['a PDF', () => Buffer.from('%PDF-1.7\n'), UnsupportedDocumentException.name],
    [
      'a truncated JPEG',
      async () => (await jpeg(400, 300)).subarray(0, 300),
      UnsupportedDocumentException.name,
    ],
    [
      'a PNG declaring 100000 x 100000 pixels',
      () => pngDeclaring(100_000, 100_000),
      DocumentTooLargeException.name,
    ],
    [
      'a PNG declaring 12000 x 100 pixels',
      () => pngDeclaring(12_000, 100),
      DocumentTooLargeException.name,
    ],
  ])('rejects %s', async (_, bytes, errorName) => {
    await expect(prepareImage(await bytes())).rejects.toMatchObject({
      name: errorName,
      $fault: 'client',
    });
  });

  it.each([
    ['shrinks a large photo to the working size', 4000, 3000, 2000, 1500],
    ['enlarges a small scan', 500, 320, 1000, 640],
    ['keeps a 300 dpi card as is', 1012, 638, 1012, 638],
  ])('%s', async (_, width, height, expectedWidth, expectedHeight) => {
    const image = await prepareImage(await jpeg(width, height));
    expect([image.width, image.height]).toEqual([expectedWidth, expectedHeight]);
    const metadata = await sharp(image.png).metadata();
    expect([metadata.format, metadata.channels]).toEqual(['png', 1]);
  });

  it('turns an EXIF-rotated photo upright', async () => {
    const sideways = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: '#ffffff' },
    })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const image = await prepareImage(sideways);
    expect([image.width, image.height]).toEqual([800, 1200]);
  });
});
