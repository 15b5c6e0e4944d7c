import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

const require = createRequire(import.meta.url);
const demoFolder = path.join(path.dirname(require.resolve('@vladmandic/face-api')), '..', 'demo');

/** Group photos shipped in the face-api package; faces counted by eye. */
export const SAMPLE_FACE_COUNTS: Record<number, number> = { 1: 3, 2: 3, 3: 3, 4: 4, 5: 5, 6: 4 };

export function samplePhoto(sample: number): Promise<Buffer> {
  return readFile(path.join(demoFolder, `sample${sample}.jpg`));
}

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A crop of `photo` with `margin` face sizes around a face box given as ratios. */
export async function cropAroundFace(
  photo: Buffer,
  box: { Left?: number; Top?: number; Width?: number; Height?: number },
  margin: number,
): Promise<Sharp> {
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  const faceWidth = (box.Width ?? 0) * width;
  const faceHeight = (box.Height ?? 0) * height;
  const left = Math.max(0, Math.round((box.Left ?? 0) * width - margin * faceWidth));
  const top = Math.max(0, Math.round((box.Top ?? 0) * height - margin * faceHeight));
  const right = Math.min(width, Math.round((box.Left ?? 0) * width + (1 + margin) * faceWidth));
  const bottom = Math.min(height, Math.round((box.Top ?? 0) * height + (1 + margin) * faceHeight));
  const region: Region = { left, top, width: right - left, height: bottom - top };
  return sharp(await sharp(photo).extract(region).png().toBuffer());
}

export function flatImage(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
}
