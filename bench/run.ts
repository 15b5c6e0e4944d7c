/**
 * `npm run bench`: runs every benchmark section and prints its figures. A section is a
 * module in this folder exporting `default async function run()`; pass names to run some.
 * A failing section is reported and the rest still run; the exit code is then 1.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSections } from './_runner.js';

const folder = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const sections = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && !['run.ts'].includes(file) && !file.startsWith('_'))
  .map((file) => basename(file, '.ts'))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort()
  .map((name) => ({
    name,
    // Imported when its turn comes: a module that fails to load fails its section only.
    run: async () => {
      const module = (await import(`./${name}.ts`)) as { default: () => Promise<void> };
      await module.default();
    },
  }));

const failures = await runSections(sections);
if (failures.length > 0) process.exitCode = 1;
