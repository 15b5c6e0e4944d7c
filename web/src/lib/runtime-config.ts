/**
 * What the backend tells the one build about where it runs. Served as `/config.json` next to
 * the app (by the local web server, or by the hosting on AWS), so nothing environment-specific
 * is compiled in.
 */
export type AuthConfig =
  | { readonly kind: 'local' }
  | { readonly kind: 'cognito'; readonly userPoolId: string; readonly userPoolClientId: string };

export interface LivenessConfig {
  /** Streaming endpoint override (local mode); AWS's regional endpoint otherwise. */
  readonly endpoint?: string;
  /** Cognito identity pool whose guest role may start liveness sessions (AWS mode). */
  readonly identityPoolId?: string;
  /** BlazeFace short-range model (model.json URL); the component's CDN default otherwise. */
  readonly faceModelUrl?: string;
  /** Folder URL, ending in `/`, of the tfjs WASM binaries the liveness package needs. */
  readonly wasmPath?: string;
}

export interface RuntimeConfig {
  readonly apiUrl: string;
  readonly mode: 'local' | 'aws';
  readonly region: string;
  readonly liveness: LivenessConfig;
  readonly auth: AuthConfig;
}

export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(source: Record<string, unknown>, key: string, where: string): string {
  const value = source[key];
  if (typeof value !== 'string' || value === '') {
    throw new RuntimeConfigError(`config.json: ${where}${key} must be a non-empty string`);
  }
  return value;
}

function optionalText(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Checks the shape by hand: a schema library would cost the applicant's first load more. */
export function parseRuntimeConfig(raw: unknown): RuntimeConfig {
  if (!isRecord(raw)) throw new RuntimeConfigError('config.json must be an object');
  const mode = raw.mode;
  if (mode !== 'local' && mode !== 'aws') {
    throw new RuntimeConfigError("config.json: mode must be 'local' or 'aws'");
  }
  const liveness = isRecord(raw.liveness) ? raw.liveness : {};
  const auth = isRecord(raw.auth) ? raw.auth : {};
  let authConfig: AuthConfig;
  if (auth.kind === 'local') authConfig = { kind: 'local' };
  else if (auth.kind === 'cognito') {
    authConfig = {
      kind: 'cognito',
      userPoolId: text(auth, 'userPoolId', 'auth.'),
      userPoolClientId: text(auth, 'userPoolClientId', 'auth.'),
    };
  } else throw new RuntimeConfigError("config.json: auth.kind must be 'local' or 'cognito'");
  const livenessConfig: Record<string, string> = {};
  for (const key of ['endpoint', 'identityPoolId', 'faceModelUrl', 'wasmPath'] as const) {
    const value = optionalText(liveness, key);
    if (value) livenessConfig[key] = value;
  }
  return {
    apiUrl: text(raw, 'apiUrl', '').replace(/\/+$/, ''),
    mode,
    region: text(raw, 'region', ''),
    liveness: livenessConfig,
    auth: authConfig,
  };
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new RuntimeConfigError(`config.json: HTTP ${response.status}`);
  return parseRuntimeConfig(await response.json());
}
