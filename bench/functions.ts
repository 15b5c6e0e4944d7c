/**
 * Per Lambda function: the size of its production bundle (as CDK builds it) and the time its
 * module takes to initialise in a fresh Node process, a proxy for the cold start.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { lambdaBundling } from '../lib/lambda-bundling.js';
import { functionSpecs } from '../lib/onboarding-function-specs.js';
import { percentile } from './_stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside node_modules so the bundles resolve the external @aws-sdk packages as Lambda does.
const out = join(root, 'node_modules', '.cache', 'kyc-bench', 'functions');
const runs = 5;

const env = {
  ...process.env,
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 'cases',
  BUCKET_NAME: 'images',
  EVENT_BUS_NAME: 'bus',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:onboarding',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
};

function initMilliseconds(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const output = execFileSync(
    process.execPath,
    ['--no-warnings', '--input-type=module', '-e', script],
    { env },
  );
  return Number(output.toString().trim());
}

export default async function run(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const spec of functionSpecs) {
    const outfile = join(out, `${spec.name}.mjs`);
    await build({
      ...lambdaBundling,
      mainFields: [...lambdaBundling.mainFields],
      external: [...lambdaBundling.external],
      entryPoints: [join(root, 'functions', 'handlers', `${spec.name}.ts`)],
      outfile,
      logLevel: 'error',
    });
    const bytes = statSync(outfile).size;
    const gzip = gzipSync(readFileSync(outfile)).length;
    const times = Array.from({ length: runs }, () => initMilliseconds(outfile));
    console.log(
      `${spec.name.padEnd(17)} bundle ${(bytes / 1024).toFixed(1).padStart(7)} KiB (gzip ${(gzip / 1024).toFixed(1).padStart(6)} KiB)  init p50 ${percentile(times, 50).toFixed(0).padStart(4)} ms, max ${Math.max(...times).toFixed(0)} ms`,
    );
  }
}
