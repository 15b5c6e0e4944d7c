import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listenOnLoopback } from './loopback.js';

/** The build `npm run build:web` writes (web/vite.config.ts). */
export const webDistFolder = fileURLToPath(new URL('../web/dist', import.meta.url));

/** What the web app reads from `/config.json` (web/src/lib/runtime-config.ts). */
export interface WebRuntimeConfig {
  readonly apiUrl: string;
  readonly mode: 'local' | 'aws';
  readonly region: string;
  readonly liveness: {
    readonly endpoint?: string;
    readonly identityPoolId?: string;
    readonly faceModelUrl?: string;
    readonly wasmPath?: string;
  };
  readonly auth:
    | { readonly kind: 'local' }
    | { readonly kind: 'cognito'; readonly userPoolId: string; readonly userPoolClientId: string };
}

export interface WebServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly distFolder?: string;
  /**
   * Serves the sources through Vite's development server instead of a build (`npm run dev`):
   * React's development mode (StrictMode runs effects twice) and hot reload, same origin and
   * /config.json as the build.
   */
  readonly development?: boolean;
  /**
   * The runtime configuration, asked on every request: the stack knows the API's URL only
   * after the web server's port (and so the CORS origin) is settled.
   */
  readonly runtimeConfig: () => WebRuntimeConfig | undefined;
}

export interface WebServer {
  /** e.g. http://localhost:5173: the browser origin the API's and S3's CORS must allow. */
  readonly url: string;
  /** Whether `distFolder` holds a build; without one, every page says how to make it. */
  readonly built: boolean;
  close(): Promise<void>;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The camera is the point of the app; nothing else is.
  'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
};

async function fileAt(folder: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const candidate = normalize(join(folder, decoded));
  if (!candidate.startsWith(folder + sep)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  return info?.isFile() ? candidate : undefined;
}

function send(response: ServerResponse, status: number, type: string, body: string) {
  response.writeHead(status, {
    ...securityHeaders,
    'content-type': type,
    'cache-control': 'no-store',
  });
  response.end(body);
}

const notBuilt = `<!doctype html><title>Web app not built</title>
<p>The web app is not built. Run <code>npm run build:web</code> (or <code>npm start</code>,
which builds it when missing), then reload.</p>`;

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** How the app itself is served: a build, or the sources through Vite. */
interface AppHandler {
  readonly serve: RequestHandler;
  /** Whether there is an app to serve (a build exists; the sources always do). */
  readonly built: boolean;
  close(): Promise<void>;
}

/** The production build: hashed assets cached for good, other paths answered with index.html. */
async function buildHandler(distFolder: string): Promise<AppHandler> {
  const folder = normalize(distFolder);
  const index = join(folder, 'index.html');
  const built = (await stat(index).catch(() => undefined))?.isFile() === true;
  const serve: RequestHandler = (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!built) {
      send(response, 503, 'text/html; charset=utf-8', notBuilt);
      return;
    }
    void fileAt(folder, url.pathname).then((file) => {
      const asset = file !== undefined;
      if (!asset && extname(url.pathname) !== '') {
        send(response, 404, 'text/plain', 'Not Found');
        return;
      }
      const path = file ?? index;
      response.writeHead(200, {
        ...securityHeaders,
        'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
        'cache-control': url.pathname.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else
        createReadStream(path)
          .on('error', () => response.destroy())
          .pipe(response);
    });
  };
  return { built, serve, close: async () => {} };
}

/** Vite's development server as middleware, its hot-reload socket on the same server. */
async function developmentHandler(server: Server): Promise<AppHandler> {
  // Only a development machine has it (a devDependency); a build needs none of it.
  const { createServer: createViteServer } = await import('vite');
  const vite = await createViteServer({
    configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)),
    appType: 'spa',
    logLevel: 'warn',
    server: { middlewareMode: true, hmr: { server } },
  });
  const serve: RequestHandler = (request, response) => {
    vite.middlewares(request, response, () => send(response, 404, 'text/plain', 'Not Found'));
  };
  return { serve, built: true, close: () => vite.close() };
}

/**
 * Serves the web app and its runtime configuration (never cached) on localhost: the
 * production build, or the sources through Vite in development.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  // Set below, before the server listens; Vite's hot reload needs the server first.
  let app!: AppHandler;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain', 'Method Not Allowed');
      return;
    }
    if (url.pathname === '/config.json') {
      const config = options.runtimeConfig();
      if (!config) send(response, 503, 'text/plain', 'The stack is still starting');
      else send(response, 200, 'application/json', JSON.stringify(config));
      return;
    }
    app.serve(request, response);
  });
  app = options.development
    ? await developmentHandler(server)
    : await buildHandler(options.distFolder ?? webDistFolder);

  const listening = await listenOnLoopback(server, options.port);
  return {
    // The URL says localhost, which browsers treat as a secure context (camera access).
    url: `http://localhost:${listening.port}`,
    built: app.built,
    async close() {
      await app.close();
      await listening.close();
    },
  };
}
