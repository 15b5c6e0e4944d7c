import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { analyzeFrame } from './analyze-frame.js';
import { decodeImage } from './decode-image.js';
import { loadModels, type Models } from './tfjs-runtime.js';
import type { AnalysisRequest, WorkerMessage, WorkerRequest } from './worker-protocol.js';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

/**
 * A downscaled group photo from face-api's package: Human's mesh and liveness models only
 * run when a face is found, so warming up needs real faces.
 */
async function warmUpPhoto() {
  const require = createRequire(import.meta.url);
  const demo = path.join(path.dirname(require.resolve('@vladmandic/face-api')), '..', 'demo');
  const photo = await readFile(path.join(demo, 'sample1.jpg'));
  return decodeImage(await sharp(photo).resize({ width: 960 }).png().toBuffer());
}

/** The first inference of each network allocates and initialises; pay that before serving. */
async function warmUp(models: Models): Promise<void> {
  const width = 320;
  const height = 240;
  // No face: BlazeFace finds nothing and the SSD fallback runs.
  await analyzeFrame(models, { data: new Uint8Array(width * height * 3), width, height });
  await analyzeFrame(models, await warmUpPhoto());
}

async function analyze(models: Models, request: AnalysisRequest) {
  const frame = request.kind === 'image' ? await decodeImage(request.bytes) : request.frame;
  return analyzeFrame(models, frame);
}

const models = await loadModels();
await warmUp(models);

port.on('message', async ({ id, request }: WorkerRequest) => {
  let message: WorkerMessage;
  try {
    message = { type: 'result', id, analysis: await analyze(models, request) };
  } catch (error) {
    const { name, message: text } = error instanceof Error ? error : new Error(String(error));
    message = { type: 'error', id, error: { name, message: text } };
  }
  port.postMessage(message);
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
