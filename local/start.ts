/**
 * `npm start`: the whole stack offline in one process. Prints where everything is and shuts
 * down cleanly on Ctrl-C; everything it keeps lives in the data folder (LOCAL_DATA_DIR).
 */
import { startLocalStack } from './stack.js';

const startedAt = Date.now();
const stack = await startLocalStack({
  ...(process.env.LOCAL_DATA_DIR ? { dataFolder: process.env.LOCAL_DATA_DIR } : {}),
  ...(process.env.WEB_ORIGIN ? { webOrigin: process.env.WEB_ORIGIN } : {}),
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
  DynamoDB (dynalite)                ${stack.aws.dynamoDbUrl}${resumed}
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
