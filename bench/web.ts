/**
 * The web app's bundle: builds it (into a temporary folder, leaving web/dist alone) and prints
 * what an applicant downloads on first load (entry HTML, JS and CSS with their static imports,
 * gzip) against the 200 KB budget, and what the lazily loaded face check and console add.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Manifest } from 'vite';

const configFile = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url));
const firstLoadBudget = 200 * 1024;

/** Files a chunk pulls in before it can run: itself, its static imports, their CSS. */
function closure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const css of chunk.css ?? []) seen.add(css);
  for (const imported of chunk.imports ?? []) closure(manifest, imported, seen);
  return seen;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export default async function run(): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'kyc-web-bench-'));
  try {
    const started = performance.now();
    await build({ configFile, logLevel: 'silent', build: { outDir, manifest: true } });
    const buildSeconds = (performance.now() - started) / 1000;
    const manifest = JSON.parse(
      await readFile(join(outDir, '.vite', 'manifest.json'), 'utf8'),
    ) as Manifest;
    const gzipped = async (files: Iterable<string>) => {
      let total = 0;
      for (const file of files) total += gzipSync(await readFile(join(outDir, file))).length;
      return total;
    };
    const keyOf = (source: string) => {
      const key = Object.keys(manifest).find((name) => name.endsWith(source));
      if (!key) throw new Error(`${source} is not a chunk of the build`);
      return key;
    };

    const firstLoad = closure(manifest, 'index.html');
    firstLoad.add('index.html');
    const lazily = (source: string) =>
      [...closure(manifest, keyOf(source))].filter((file) => !firstLoad.has(file));
    const liveness = lazily('src/features/applicant/liveness-detector.tsx');
    const operations = lazily('src/features/operations/operations-app.tsx');

    const firstLoadBytes = await gzipped(firstLoad);
    const livenessJs = await gzipped(liveness.filter((file) => file.endsWith('.js')));
    const livenessCss = await gzipped(liveness.filter((file) => file.endsWith('.css')));
    console.log(`build ${buildSeconds.toFixed(1)} s (vite, production)`);
    console.log(
      `applicant first load (HTML + entry JS + CSS, gzip): ${kb(firstLoadBytes)} ` +
        `(budget ${kb(firstLoadBudget)}: ${firstLoadBytes <= firstLoadBudget ? 'within' : 'OVER'}), ` +
        `${firstLoad.size} files`,
    );
    console.log(
      `face check, loaded when the step starts (gzip): ${kb(livenessJs)} JS + ${kb(livenessCss)} CSS ` +
        `in ${liveness.length} files, plus tfjs WASM fetched by the detector`,
    );
    console.log(`operations console, loaded at /ops (gzip): ${kb(await gzipped(operations))}`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
