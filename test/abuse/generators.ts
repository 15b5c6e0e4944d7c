/**
 * What corpus entries name instead of spelling out: fixture values (`{{caseA}}`), images
 * made by code (`{{image:bombPng}}` as base64, or `generated: "image:bombPng"` as a body) and
 * large bodies (`generated: "hugeBody:11MB"`), each made once in memory.
 */
import { crc32, deflateSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';

const MEGABYTE = 1024 * 1024;

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A few hundred bytes of PNG declaring 60000x60000 grey pixels: 3.6 GB once decoded. */
function bombPng(): Buffer {
  const side = 60_000;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  const rows = Buffer.alloc((side + 1) * 4); // four rows of zeros, each with its filter byte
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function smallJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 64, channels: 3, background: '#7a5c48' } })
    .jpeg()
    .toBuffer();
}

/** A real 64x64 JPEG whose frame header (SOF0) is rewritten to declare 60000x60000. */
async function bombJpeg(): Promise<Buffer> {
  const jpeg = Buffer.from(await smallJpeg());
  for (let offset = 2; offset + 9 < jpeg.length; ) {
    if (jpeg[offset] !== 0xff) throw new Error('Unexpected JPEG layout');
    const marker = jpeg[offset + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xc2) {
      jpeg.writeUInt16BE(60_000, offset + 5);
      jpeg.writeUInt16BE(60_000, offset + 7);
      return jpeg;
    }
    offset += 2 + jpeg.readUInt16BE(offset + 2);
  }
  throw new Error('No SOF marker in the generated JPEG');
}

const images: Readonly<Record<string, () => Promise<Buffer>>> = {
  bombPng: async () => bombPng(),
  bombJpeg,
  truncatedJpeg: async () => {
    const jpeg = await smallJpeg();
    return jpeg.subarray(0, Math.floor(jpeg.length / 2));
  },
  truncatedPng: async () => {
    const png = await sharp({
      create: { width: 64, height: 64, channels: 3, background: '#205080' },
    })
      .png()
      .toBuffer();
    return png.subarray(0, Math.floor(png.length / 2));
  },
  /** 5000x5000: more than the 4096x4096 Rekognition takes. */
  wideningPng: () =>
    sharp({ create: { width: 5000, height: 5000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer(),
  onePixelPng: () =>
    sharp({ create: { width: 1, height: 1, channels: 3, background: '#c08060' } })
      .png()
      .toBuffer(),
  /** 4000x2: a valid image no face fits in. */
  stripPng: () =>
    sharp({ create: { width: 4000, height: 2, channels: 3, background: '#c08060' } })
      .png()
      .toBuffer(),
  tallStripJpeg: () =>
    sharp({ create: { width: 2, height: 4000, channels: 3, background: '#c08060' } })
      .jpeg()
      .toBuffer(),
  /** JPEG magic bytes over 6 MB of padding: over Rekognition's 5 MB for inline bytes. */
  oversizedJpeg: async () =>
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(6 * MEGABYTE, 0x20)]),
  jpegMagicGarbage: async () =>
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('not really a jpeg '.repeat(64))]),
  pngSignatureOnly: async () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  text: async () => Buffer.from('Hello, this is not an image at all.\n'),
  pdf: async () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n'),
  gif: async () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
  svg: async () =>
    Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>',
    ),
  html: async () => Buffer.from('<html><script>alert(document.cookie)</script></html>'),
  empty: async () => Buffer.alloc(0),
};

const cache = new Map<string, Promise<Buffer>>();

export function generatedImage(name: string): Promise<Buffer> {
  const make = images[name];
  if (!make) throw new Error(`No image generator named ${name}`);
  let made = cache.get(`image:${name}`);
  if (!made) {
    made = make();
    cache.set(`image:${name}`, made);
  }
  return made;
}

function sizeOf(text: string): number {
  const match = /^(\d+)(B|KB|MB)$/.exec(text);
  if (!match) throw new Error(`Not a size: ${text}`);
  const unit = match[2] === 'MB' ? MEGABYTE : match[2] === 'KB' ? 1024 : 1;
  return Number(match[1]) * unit;
}

/**
 * A body by name: `hugeBody:<size>` (that many bytes of JSON-looking text),
 * `hugeJsonString:<size>` (a valid JSON object with one string that long),
 * `deepJson:<depth>` (nested arrays), `gzipBomb:<size>` (that many zeros, gzipped),
 * `image:<name>`, `repeat:<count>:<text>`.
 */
export async function generatedBody(spec: string): Promise<Buffer> {
  const [kind = '', argument = '', ...rest] = spec.split(':');
  switch (kind) {
    case 'hugeBody': {
      const size = sizeOf(argument);
      const body = Buffer.alloc(size, 0x61);
      body.write('{"a":"', 0, 'latin1');
      return body;
    }
    case 'hugeJsonString':
      return Buffer.from(JSON.stringify({ profile: 'x'.repeat(sizeOf(argument)) }));
    case 'gzipBomb':
      return gzipSync(Buffer.alloc(sizeOf(argument)), { level: 9 });
    case 'deepJson': {
      const depth = Number(argument);
      return Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    }
    case 'image':
      return generatedImage(argument);
    case 'repeat':
      return Buffer.from(rest.join(':').repeat(Number(argument)));
    default:
      throw new Error(`No body generator named ${spec}`);
  }
}

/**
 * Replaces `{{name}}` in text: fixture values, `{{image:<name>}}` as base64, and
 * `{{repeat:<count>:<text>}}`. An unknown name is an error in the corpus, not a blank.
 */
export async function substitute(
  text: string,
  values: Readonly<Record<string, string>>,
): Promise<string> {
  const names = [...text.matchAll(/\{\{([^{}]+)\}\}/g)].map((match) => match[1] as string);
  const resolved = new Map<string, string>();
  for (const name of new Set(names)) {
    if (name.startsWith('image:')) {
      resolved.set(name, (await generatedImage(name.slice('image:'.length))).toString('base64'));
    } else if (name.startsWith('repeat:')) {
      resolved.set(name, (await generatedBody(name)).toString('utf8'));
    } else {
      const value = values[name];
      if (value === undefined) throw new Error(`No fixture value named ${name}`);
      resolved.set(name, value);
    }
  }
  return text.replace(/\{\{([^{}]+)\}\}/g, (_, name: string) => resolved.get(name) ?? '');
}

/** Substitutes inside every string of a JSON value. */
export async function substituteJson(
  value: unknown,
  values: Readonly<Record<string, string>>,
): Promise<unknown> {
  if (typeof value === 'string') return substitute(value, values);
  if (Array.isArray(value)) return Promise.all(value.map((item) => substituteJson(item, values)));
  if (typeof value === 'object' && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await substituteJson(item, values)]),
    );
    return Object.fromEntries(entries);
  }
  return value;
}
