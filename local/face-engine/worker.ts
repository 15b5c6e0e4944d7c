import { parentPort } from 'node:worker_threads';
import { analyzeFrame } from './analyze-frame.js';
import { decodeImage } from './decode-image.js';
import { type FaceApi, loadFaceApi, tf } from './tfjs-runtime.js';
import type { AnalysisRequest, WorkerMessage, WorkerRequest } from './worker-protocol.js';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

/** The first inference of each network allocates and initialises; pay that before serving. */
async function warmUp(faceapi: FaceApi): Promise<void> {
  const width = 320;
  const height = 240;
  await analyzeFrame(faceapi, { data: new Uint8Array(width * height * 3), width, height });
  const face = tf.zeros([150, 150, 3], 'int32');
  const faceInput = face as unknown as Parameters<
    FaceApi['nets']['faceRecognitionNet']['computeFaceDescriptor']
  >[0];
  await faceapi.nets.faceLandmark68Net.detectLandmarks(faceInput);
  await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(faceInput);
  await faceapi.nets.ageGenderNet.predictAgeAndGender(faceInput);
  face.dispose();
}

async function analyze(faceapi: FaceApi, request: AnalysisRequest) {
  const frame = request.kind === 'image' ? await decodeImage(request.bytes) : request.frame;
  return analyzeFrame(faceapi, frame);
}

const faceapi = await loadFaceApi();
await warmUp(faceapi);

port.on('message', async ({ id, request }: WorkerRequest) => {
  let message: WorkerMessage;
  try {
    message = { type: 'result', id, analysis: await analyze(faceapi, request) };
  } catch (error) {
    const { name, message: text } = error instanceof Error ? error : new Error(String(error));
    message = { type: 'error', id, error: { name, message: text } };
  }
  port.postMessage(message);
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
