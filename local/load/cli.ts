/**
 * `npm run load -- --cases 50 --concurrency 50`: full onboardings at once against a local
 * stack, started here on a temporary data folder, or a running `npm start` given by
 * `--api-url` and `--data-dir` (its liveness results are written to that data folder, as
 * its streaming endpoint does). Bounded in cases, concurrency and time; loopback only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { dataFolders, localAwsConfig } from '../aws/config.js';
import { LivenessSessionStore } from '../aws/liveness-session-store.js';
import { ObjectStore } from '../aws/object-store.js';
import { loadSelfie } from '../sample-data/faces.js';
import { generateIdDocument } from '../sample-data/id-document.js';
import { startLocalStack } from '../stack.js';
import {
  assertLoopback,
  assertWithinLimits,
  formatLoadReport,
  LoadOptionsError,
  runLoad,
} from './load-run.js';
import { caseHistory } from './stack-history.js';

const USAGE = `usage: npm run load -- [--cases 50] [--concurrency 50] [--timeout 300]
       [--api-url http://127.0.0.1:3001 --data-dir .data] [--json]`;

function numberOption(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value)) throw new LoadOptionsError(`--${name} must be a whole number`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      'api-url': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const cases = numberOption(values.cases, 50, 'cases');
  const options = {
    cases,
    concurrency: numberOption(values.concurrency, Math.min(cases, 50), 'concurrency'),
    timeoutSeconds: numberOption(values.timeout, 300, 'timeout'),
  };
  assertWithinLimits(options);
  if (values['api-url']) assertLoopback(values['api-url']);
  if (values['api-url'] && !values['data-dir']) {
    throw new LoadOptionsError('--api-url needs --data-dir, the running stack’s data folder');
  }

  const [selfie, idCard] = await Promise.all([
    loadSelfie('sample3-middle'),
    generateIdDocument({ face: 'sample3-middle', output: 'jpeg' }),
  ]);
  const result = { confidence: 97, referenceImage: selfie, auditImages: [] };
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

  let apiUrl = values['api-url'];
  let sessions: LivenessSessionStore;
  let history: ((caseId: string) => Promise<readonly HistoryEvent[]>) | undefined;
  let stop = async () => {};
  if (apiUrl && values['data-dir']) {
    const config = localAwsConfig({ dataFolder: values['data-dir'] });
    const folders = dataFolders(config);
    const objects = await ObjectStore.open({ folder: folders.s3, buckets: [config.bucketName] });
    sessions = await LivenessSessionStore.open({ folder: folders.rekognition, objects });
  } else {
    const dataFolder = await mkdtemp(join(tmpdir(), 'kyc-load-'));
    const stack = await startLocalStack({ dataFolder, apiPort: 0, awsPort: 0, dynamoDbPort: 0 });
    apiUrl = stack.apiUrl;
    sessions = stack.aws.sessions;
    history = caseHistory(stack);
    stop = async () => {
      await stack.close();
      await rm(dataFolder, { recursive: true, force: true });
    };
  }
  try {
    const report = await runLoad({
      ...options,
      apiUrl,
      idImage: idCard.image,
      ...(history ? { history } : {}),
      completeLiveness: async (sessionId) => {
        await sessions.completeSession(sessionId, result);
      },
    });
    console.log(values.json ? JSON.stringify(report) : formatLoadReport(report));
    process.exitCode = report.lost > 0 || report.serverErrors > 0 ? 1 : 0;
  } finally {
    await stop();
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof LoadOptionsError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exitCode = 2;
}
