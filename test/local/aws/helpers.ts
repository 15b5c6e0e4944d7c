import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localAwsConfig } from '../../../local/aws/config.js';

/** A fresh data folder per test file, removed by the returned function. */
export async function tempDataFolder(): Promise<{ folder: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'local-aws-'));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

export const testConfig = (dataFolder: string) =>
  localAwsConfig({ dataFolder, awsPort: 0, dynamoDbPort: 0 });

/** What SDK clients pointed at a local endpoint are created with. */
export function clientOptions(endpoint: string) {
  const config = testConfig('');
  return {
    endpoint,
    region: config.region,
    credentials: { ...config.credentials },
    maxAttempts: 1,
  };
}
