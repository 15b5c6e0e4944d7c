/**
 * Local face engine: cold start, then CompareFaces and DetectFaces latency on a 640x480
 * selfie-like crop and a 1012x638 ID-card-like image, both built in memory from a sample
 * photo of the face-api package, and DetectFaces on an image without a face.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { FaceEngine } from '../local/face-engine/index.js';
import { summary } from './_stats.js';

const RUNS = 20;

async function samplePhoto(): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const demo = path.join(path.dirname(require.resolve('@vladmandic/face-api')), '..', 'demo');
  return readFile(path.join(demo, 'sample3.jpg'));
}

/** A `width` x `height` region centred on the face's centre, clamped to the photo. */
function regionAround(
  photo: { width: number; height: number },
  centre: [number, number],
  width: number,
  height: number,
) {
  const [x, y] = centre;
  const left = Math.round(Math.min(Math.max(0, x - width / 2), photo.width - width));
  const top = Math.round(Math.min(Math.max(0, y - height / 2), photo.height - height));
  return { left, top, width, height };
}

/**
 * The selfie is the 640x480 region around the most confident face of sample3.jpg, at the
 * photo's own scale (face about 200 px wide); the ID card carries a 280x360 portrait of
 * the same face, cut differently, with grey bars standing in for the printed fields.
 */
async function selfieAndIdCard(engine: FaceEngine): Promise<[Buffer, Buffer]> {
  const photo = await samplePhoto();
  const meta = await sharp(photo).metadata();
  const faces = (await engine.detectFaces(photo)).FaceDetails ?? [];
  const face = [...faces].sort((a, b) => (b.Confidence ?? 0) - (a.Confidence ?? 0))[0];
  const box = face?.BoundingBox ?? {};
  const centre: [number, number] = [
    ((box.Left ?? 0) + (box.Width ?? 0) / 2) * meta.width,
    ((box.Top ?? 0) + (box.Height ?? 0) / 2) * meta.height,
  ];
  const selfie = await sharp(photo)
    .extract(regionAround(meta, centre, 640, 480))
    .jpeg({ quality: 90 })
    .toBuffer();
  const portrait = await sharp(photo)
    .extract(regionAround(meta, centre, 360, 460))
    .resize(280, 360)
    .modulate({ brightness: 1.1, saturation: 0.8 })
    .toBuffer();
  const idCard = await sharp({
    create: { width: 1012, height: 638, channels: 3, background: '#dfe8ef' },
  })
    .composite([
      { input: portrait, left: 48, top: 160 },
      {
        input: Buffer.from(
          '<svg width="600" height="300"><rect x="0" y="0" width="600" height="40" fill="#36557a"/>' +
            '<rect x="0" y="90" width="420" height="22" fill="#8a9aa8"/>' +
            '<rect x="0" y="150" width="360" height="22" fill="#8a9aa8"/>' +
            '<rect x="0" y="210" width="480" height="22" fill="#8a9aa8"/></svg>',
        ),
        left: 370,
        top: 160,
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
  return [selfie, idCard];
}

async function time(runs: number, call: () => Promise<unknown>): Promise<number[]> {
  const timings: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await call();
    timings.push(performance.now() - start);
  }
  return timings;
}

export default async function run(): Promise<void> {
  const start = performance.now();
  const engine = await FaceEngine.start();
  const coldStart = performance.now() - start;
  console.log(
    `cold start, ${engine.workers} workers loaded and warmed: ${coldStart.toFixed(0)} ms`,
  );
  try {
    const [selfie, idCard] = await selfieAndIdCard(engine);
    const { FaceMatches = [] } = await engine.compareFaces(selfie, idCard);
    console.log(
      `selfie vs ID card Similarity: ${FaceMatches[0]?.Similarity?.toFixed(1) ?? 'no match'}`,
    );
    const compare = await time(RUNS, () => engine.compareFaces(selfie, idCard));
    console.log(`CompareFaces selfie 640x480 vs ID card 1012x638: ${summary(compare)}`);
    const selfieDetect = await time(RUNS, () => engine.detectFaces(selfie));
    console.log(`DetectFaces selfie 640x480: ${summary(selfieDetect)}`);
    const cardDetect = await time(RUNS, () => engine.detectFaces(idCard));
    console.log(`DetectFaces ID card 1012x638: ${summary(cardDetect)}`);
    // BlazeFace finds nothing, so the SSD fallback runs too: the price of a "no face" answer.
    const blank = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#808080' },
    })
      .jpeg()
      .toBuffer();
    const blankDetect = await time(RUNS, () => engine.detectFaces(blank));
    console.log(`DetectFaces no face 640x480: ${summary(blankDetect)}`);
  } finally {
    await engine.close();
  }
}
