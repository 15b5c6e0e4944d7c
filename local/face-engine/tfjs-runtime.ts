import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

export type FaceApi = typeof import('@vladmandic/face-api');
type HumanModule = typeof import('@vladmandic/human');
export type Human = InstanceType<HumanModule['Human']>;
type HumanConfig = import('@vladmandic/human').Config;

export { tf };

/** The networks every worker holds, on one tfjs engine. */
export interface Models {
  readonly human: Human;
  readonly faceapi: FaceApi;
}

/** BlazeFace settings; why these values: CALIBRATION.md ("Detection"). */
export const HUMAN_DETECTOR = {
  rotation: false,
  maxDetected: 100,
  minConfidence: 0.2,
  minSize: 0,
  iouThreshold: 0.1,
} as const;

const require = createRequire(import.meta.url);

/**
 * face-api's Node build requires the `@tensorflow/tfjs` umbrella package, which is not a
 * dependency here (only tfjs-core and the WASM backend are). The umbrella adds the chained
 * tensor methods (`t.div(x)`, `t.as3D(...)`) that tfjs-core's Node bundle leaves out, so we
 * add them here, each delegating to the op of the same name as upstream does.
 */
function registerChainedOps(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const ops = tf as unknown as Record<string, (...args: unknown[]) => tf.Tensor>;
  // Every chained-op name that appears in face-api's Node build.
  const delegated = (
    'abs add all asin atan avgPool batchNorm cast clipByValue conv2d depthwiseConv2d div exp ' +
    'expandDims floor isNaN log matMul max maxPool mean min mul pad relu reshape reverse ' +
    'round separableConv2d sigmoid slice softmax split sqrt sub tile transpose unstack'
  ).split(' ');
  const define = (name: string, method: (this: tf.Tensor, ...args: never[]) => unknown) => {
    proto[name] ??= method;
  };
  for (const name of delegated) {
    define(name, function (this: tf.Tensor, ...args: unknown[]) {
      return ops[name]?.(this, ...args);
    });
  }
  define('as1D', function (this: tf.Tensor) {
    return tf.reshape(this, [this.size]);
  });
  for (const name of ['as2D', 'as3D', 'as4D']) {
    define(name, function (this: tf.Tensor, ...shape: number[]) {
      return tf.reshape(this, shape);
    });
  }
  define('toInt', function (this: tf.Tensor) {
    return tf.cast(this, 'int32');
  });
  define('toFloat', function (this: tf.Tensor) {
    return tf.cast(this, 'float32');
  });
  define('concat', function (this: tf.Tensor, others: tf.Tensor | tf.Tensor[], axis?: number) {
    return tf.concat([this, ...(Array.isArray(others) ? others : [others])], axis);
  });
  define('stack', function (this: tf.Tensor, others: tf.Tensor | tf.Tensor[], axis?: number) {
    return tf.stack([this, ...(Array.isArray(others) ? others : [others])], axis);
  });
  define('resizeBilinear', function (this: tf.Tensor, size: [number, number], corners = false) {
    return tf.image.resizeBilinear(this as tf.Tensor3D, size, corners);
  });
}

/** Evaluates face-api's CommonJS Node build with `@tensorflow/tfjs` bound to our tfjs-core. */
async function loadFaceApiModule(): Promise<FaceApi> {
  const file = path.join(
    path.dirname(require.resolve('@vladmandic/face-api')),
    'face-api.node-wasm.js',
  );
  const params = ['exports', 'require', 'module', '__filename', '__dirname'];
  const factory = vm.compileFunction(await readFile(file, 'utf8'), params, { filename: file });
  const module = { exports: {} as FaceApi };
  const faceApiRequire = (id: string) => (id === '@tensorflow/tfjs' ? tf : require(id));
  factory(module.exports, faceApiRequire, module, file, path.dirname(file));
  return module.exports;
}

/**
 * A `file://` loader for tfjs model.json files: tfjs-core only ships the browser's http and
 * IndexedDB loaders, and Human loads its graph models by URL.
 */
function registerFileLoader(): void {
  const router = (url: string | string[]): tf.io.IOHandler | null => {
    const target = Array.isArray(url) ? url[0] : url;
    if (typeof target !== 'string' || !target.startsWith('file://')) return null;
    const file = fileURLToPath(target);
    return {
      load: async () => {
        const modelJson = JSON.parse(await readFile(file, 'utf8')) as tf.io.ModelJSON;
        return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
          const specs = manifest.flatMap((group) => group.weights);
          const buffers = await Promise.all(
            manifest.flatMap((group) =>
              group.paths.map((part) => readFile(path.join(path.dirname(file), part))),
            ),
          );
          const weights = Buffer.concat(buffers);
          const data = weights.buffer.slice(
            weights.byteOffset,
            weights.byteOffset + weights.byteLength,
          ) as ArrayBuffer;
          return [specs, data];
        });
      },
    };
  };
  // Routers answer null for URLs they do not handle (tfjs's own http router does); the
  // declared router type leaves that out.
  tf.io.registerLoadRouter(router as Parameters<typeof tf.io.registerLoadRouter>[0]);
}

/**
 * Human's package `exports` keys lack the leading `./`, so `@vladmandic/human/dist/...`
 * cannot be imported; its WASM build sits next to the main entry and is required by path.
 * It requires tfjs-core, -converter and -backend-wasm, which npm dedupes to the copies
 * face-api runs on: both libraries share one tfjs engine.
 */
function loadHumanModule(): HumanModule {
  const file = path.join(path.dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js');
  return require(file) as HumanModule;
}

/**
 * Human runs only what the engine uses: BlazeFace, the 468-point mesh, and the passive
 * antispoof and liveness scores. Caching and frame skipping are off: every call is a new,
 * unrelated image, and a cached result from the previous caller must never come back.
 */
function humanConfig(wasmPath: string, modelDir: string): Partial<HumanConfig> {
  return {
    backend: 'wasm',
    wasmPath,
    modelBasePath: `${pathToFileURL(modelDir).href}/`,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        rotation: HUMAN_DETECTOR.rotation,
        maxDetected: HUMAN_DETECTOR.maxDetected,
        minConfidence: HUMAN_DETECTOR.minConfidence,
        minSize: HUMAN_DETECTOR.minSize,
        iouThreshold: HUMAN_DETECTOR.iouThreshold,
        skipFrames: 0,
        skipTime: 0,
        return: false,
      },
      mesh: { enabled: true },
      attention: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      gear: { enabled: false },
      antispoof: { enabled: true, skipFrames: 0, skipTime: 0 },
      liveness: { enabled: true, skipFrames: 0, skipTime: 0 },
    },
  };
}

/**
 * Boots tfjs on the WASM backend (SIMD, files from node_modules: nothing is fetched), loads
 * Human's detector, mesh and passive liveness models, and face-api's networks from the
 * packages' own model folders.
 */
export async function loadModels(): Promise<Models> {
  registerChainedOps();
  registerFileLoader();
  const wasmPath = `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`;
  setWasmPaths(wasmPath);
  await tf.setBackend('wasm');
  await tf.ready();
  const { Human } = loadHumanModule();
  const humanModels = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'models');
  const human = new Human(humanConfig(wasmPath, humanModels));
  const faceapi = await loadFaceApiModule();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api')), '..', 'model');
  await Promise.all([
    human.load(),
    faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir),
    faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir),
    faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir),
    faceapi.nets.ageGenderNet.loadFromDisk(modelDir),
  ]);
  return { human, faceapi };
}
