import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
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

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A request sent exactly as given: fetch would normalise `..` in paths and refuses some
 * headers, which is what these tests need to send.
 */
export function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { hostname, port, method: options.method, path: options.path, headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
