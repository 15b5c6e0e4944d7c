import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWebServer,
  type WebRuntimeConfig,
  type WebServer,
} from '../../../local/web-server.js';

const config: WebRuntimeConfig = {
  apiUrl: 'http://127.0.0.1:3001',
  mode: 'local',
  region: 'us-east-1',
  liveness: {},
  auth: { kind: 'local' },
};

let folder: string;
let server: WebServer;
let current: WebRuntimeConfig | undefined;

/** A raw GET, so that paths like /../ reach the server unnormalised. */
function get(
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port: url.port, path, method: 'GET' },
      (incoming) => {
        let body = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          body += chunk;
        });
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kyc-web-server-'));
  await mkdir(join(folder, 'dist', 'assets'), { recursive: true });
  await writeFile(join(folder, 'dist', 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(folder, 'dist', 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(folder, 'secret.txt'), 'outside the build');
  server = await startWebServer({
    port: 0,
    distFolder: join(folder, 'dist'),
    runtimeConfig: () => current,
  });
});

afterAll(async () => {
  await server?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('local web server', () => {
  it('answers /config.json once the stack has set it, never cached', async () => {
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect((await get('/config.json')).status).toBe(503);
    current = config;
    const answer = await get('/config.json');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual(config);
  });

  it('serves hashed assets for good and the app for client routes', async () => {
    const asset = await get('/assets/index-abc.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    const ops = await get('/ops');
    expect(ops.status).toBe(200);
    expect(ops.body).toContain('<title>app</title>');
    expect(ops.headers['cache-control']).toBe('no-cache');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the build', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const answer = await get(path);
      expect(answer.body).not.toContain('outside the build');
    }
  });

  it('without a build, says how to make one', async () => {
    const empty = await startWebServer({
      port: 0,
      distFolder: join(folder, 'none'),
      runtimeConfig: () => config,
    });
    try {
      expect(empty.built).toBe(false);
      const answer = await fetch(empty.url);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toContain('npm run build:web');
    } finally {
      await empty.close();
    }
  });
});
