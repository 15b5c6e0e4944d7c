import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { packageWasm } from '../package-wasm.js';

let module: Promise<unknown> | null = null;

/**
 * ZXing-C++ in WebAssembly, from the WASM file inside the npm package: by default the
 * module would fetch it from a CDN at run time.
 */
function zxing(): Promise<unknown> {
  module ??= packageWasm('zxing-wasm/reader/zxing_reader.wasm').then((wasmBinary) =>
    prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true }),
  );
  return module;
}

/** The text of the first valid PDF417 symbol on an encoded image (PNG or JPEG), or null. */
export async function readPdf417(image: Uint8Array): Promise<string | null> {
  await zxing();
  const results = await readBarcodes(image, {
    formats: ['PDF417'],
    tryHarder: true,
    maxNumberOfSymbols: 1,
    // The default (human-readable) text spells AAMVA's separators out as <LF>, <RS>, <CR>.
    textMode: 'Plain',
  });
  const valid = results.find((result) => result.isValid && result.text !== '');
  return valid?.text ?? null;
}
