import { createReadStream } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = dirname(fileURLToPath(import.meta.url));
const wasmFiles = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

/** tfjs-backend-wasm's dist folder, in the version the liveness package depends on. */
function livenessWasmFolder(): string {
  const fromWeb = createRequire(import.meta.url);
  const liveness = fromWeb.resolve('@aws-amplify/ui-react-liveness');
  const fromLiveness = createRequire(liveness);
  return join(dirname(fromLiveness.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

const wasmRoute = '/liveness/tfjs-wasm/';

/**
 * The liveness detector loads tfjs's WASM binaries at run time from `binaryPath`; they must be
 * the version the liveness package was built with (not the repository's own tfjs), and an
 * offline stack cannot fetch them from the default CDN, so the build ships them and the
 * development server serves them.
 */
function livenessWasm(): Plugin {
  return {
    name: 'liveness-wasm',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const file = request.url?.startsWith(wasmRoute) && request.url.slice(wasmRoute.length);
        if (!file || !wasmFiles.includes(file)) return next();
        response.setHeader('content-type', 'application/wasm');
        createReadStream(join(livenessWasmFolder(), file))
          .on('error', () => response.destroy())
          .pipe(response);
      });
    },
    async writeBundle(options) {
      const target = join(options.dir ?? join(webRoot, 'dist'), 'liveness', 'tfjs-wasm');
      await mkdir(target, { recursive: true });
      await Promise.all(
        wasmFiles.map((file) => copyFile(join(livenessWasmFolder(), file), join(target, file))),
      );
    },
  };
}

export default defineConfig({
  root: webRoot,
  plugins: [react(), livenessWasm()],
  build: {
    outDir: join(webRoot, 'dist'),
    emptyOutDir: true,
    // The face check (detector, tfjs, Amplify) is one lazy chunk of about 1 MB by nature;
    // bench/web.ts watches what the applicant's first load costs.
    chunkSizeWarningLimit: 1500,
  },
});
