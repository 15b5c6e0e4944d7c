import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

export type FaceApi = typeof import('@vladmandic/face-api');
export { tf };

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
 * Boots tfjs on the WASM backend (SIMD, files from node_modules: nothing is fetched) and
 * loads the face-api networks from the package's own model folder.
 */
export async function loadFaceApi(): Promise<FaceApi> {
  registerChainedOps();
  setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
  await tf.setBackend('wasm');
  await tf.ready();
  const faceapi = await loadFaceApiModule();
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api')), '..', 'model');
  await Promise.all([
    faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir),
    faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir),
    faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir),
    faceapi.nets.ageGenderNet.loadFromDisk(modelDir),
  ]);
  return faceapi;
}
