/**
 * `npm start`: the whole stack offline in one process. Prints where everything is and shuts
 * down cleanly on Ctrl-C; everything it keeps lives in the data folder (LOCAL_DATA_DIR).
 */
import {
  type FaultInjectorOptions,
  FaultSpecError,
  formatFaultRules,
  parseFaultRules,
} from './faults/index.js';
import { startLocalStack } from './stack.js';

/** LOCAL_FAULTS (e.g. `rekognition:throttle=0.3,textract:unavailable=1`) and LOCAL_FAULTS_SEED. */
function faultsFromEnvironment(): FaultInjectorOptions | undefined {
  const text = process.env.LOCAL_FAULTS ?? '';
  const seedText = process.env.LOCAL_FAULTS_SEED;
  try {
    const rules = parseFaultRules(text);
    if (seedText !== undefined && !/^[0-9]+$/.test(seedText)) {
      throw new FaultSpecError(`LOCAL_FAULTS_SEED must be a whole number, got "${seedText}"`);
    }
    if (rules.length === 0) return undefined;
    return { rules, ...(seedText === undefined ? {} : { seed: Number(seedText) }) };
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    console.error(`LOCAL_FAULTS: ${error.message}`);
    process.exit(2);
  }
}

const startedAt = Date.now();
const faults = faultsFromEnvironment();
const stack = await startLocalStack({
  ...(process.env.LOCAL_DATA_DIR ? { dataFolder: process.env.LOCAL_DATA_DIR } : {}),
  ...(process.env.WEB_ORIGIN ? { webOrigin: process.env.WEB_ORIGIN } : {}),
  ...(faults ? { faults } : {}),
  // `npm run dev`: the web app from its sources, with React's development checks and hot reload.
  ...(process.argv.includes('--dev') ? { webDevelopment: true } : {}),
});

const resumed = stack.resumed.length
  ? `\n  resumed after restart: ${stack.resumed.map((r) => `${r.executionArn.split(':').pop()} ${r.outcome}`).join(', ')}`
  : '';
console.log(`
KYC onboarding, offline (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)
  web app (applicant, /ops console)  ${stack.webBuilt ? stack.webUrl : `${stack.webUrl}  (not built: run npm run build:web)`}
  API (applicant + operator routes)  ${stack.apiUrl}
  operator sign-in                   POST ${stack.apiUrl}/local/operator/sign-in
      username ${stack.operator.username}
      password ${stack.operator.generatedPassword ?? '(from LOCAL_OPERATOR_PASSWORD)'}
  local AWS endpoints                ${stack.awsUrl}  (S3, Rekognition, Textract, EventBridge, Step Functions)
  DynamoDB (dynalite)                ${stack.aws.dynamoDbUrl}${resumed}${faults ? `\n  FAULTS INJECTED                    ${formatFaultRules(stack.faults.active)}` : ''}
Ctrl-C stops it; the data folder keeps cases, executions and images for the next start.
`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  await stack.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
