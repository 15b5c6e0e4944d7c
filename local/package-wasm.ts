import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A WASM binary shipped inside an npm package, for an Emscripten module's `wasmBinary`:
 * zxing-wasm, for one, would otherwise fetch its binary from a CDN at run time.
 */
export async function packageWasm(specifier: string): Promise<ArrayBuffer> {
  const bytes = await readFile(require.resolve(specifier));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
