/**
 * `npm run bench`: runs every benchmark section and prints its figures. A section is a
 * module in this folder exporting `default async function run()`; pass names to run some.
 * Each section runs in a process of its own: the functions read their configuration and
 * make their SDK clients once per process, so a second local stack in the same process
 * would be served by clients of the first (closed) one. A failing section is reported and
 * the rest still run; the exit code is then 1.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSections } from './_runner.js';

const folder = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);
const sectionFlag = '--section';
// Arguments starting with -- are options for the sections (e.g. --documents=PATH): each
// section's process gets them.
const args = process.argv.slice(2);
const options = args.filter((arg) => arg.startsWith('--') && arg !== sectionFlag);

async function runHere(name: string): Promise<void> {
  const module = (await import(`./${name}.ts`)) as { default: () => Promise<void> };
  await module.default();
}

/** The section in a child process with this one's loader (tsx), its output passed through. */
function runInChild(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, self, sectionFlag, name, ...options], {
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`the section's process ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}

/** Ends the section's process once its output is written: a stack may leave handles open. */
async function exitAfterOutput(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

if (args[0] === sectionFlag && args[1]) {
  try {
    await runHere(args[1]);
  } catch (error) {
    console.error(error);
    await exitAfterOutput(1);
  }
  await exitAfterOutput(0);
} else {
  const sections = readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && !['run.ts'].includes(file) && !file.startsWith('_'))
    .map((file) => basename(file, '.ts'))
    .filter((name) => {
      const only = args.filter((arg) => !arg.startsWith('--'));
      return only.length === 0 || only.includes(name);
    })
    .sort()
    .map((name) => ({ name, run: () => runInChild(name) }));
  const failures = await runSections(sections);
  if (failures.length > 0) process.exitCode = 1;
}
