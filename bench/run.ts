/**
 * `npm run bench`: runs every benchmark section and prints its figures. A section is a
 * module in this folder exporting `default async function run()`; pass names to run some.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
// Arguments starting with -- are options for the sections (e.g. --documents=PATH).
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const sections = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && !['run.ts'].includes(file) && !file.startsWith('_'))
  .map((file) => basename(file, '.ts'))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

for (const name of sections) {
  console.log(`\n== ${name}`);
  const module = (await import(`./${name}.ts`)) as { default: () => Promise<void> };
  await module.default();
}
