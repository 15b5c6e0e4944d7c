import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { AuthorizerClaims } from './http-api-event.js';

export interface OperatorAuthOptions {
  /** Where the signing key, and a generated password, are kept across restarts. */
  dataDir: string;
  /** `LOCAL_OPERATOR_USERNAME` and `LOCAL_OPERATOR_PASSWORD`; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  issuer?: string;
  /** The `aud` the authorizer accepts: Cognito puts the app client id there. */
  audience?: string;
  /** The Cognito group operator-api requires. */
  group?: string;
  tokenLifetimeSeconds?: number;
}

/**
 * The local stand-in for the Cognito user pool and the HTTP API's JWT authorizer: one
 * operator, ID tokens signed with an ES256 key of the data folder.
 */
export interface OperatorAuth {
  readonly username: string;
  /** The password when it was generated (not set by env), for the start script to print. */
  readonly generatedPassword: string | undefined;
  /** The claims as API Gateway hands them to the function, or undefined for a bad token. */
  verify(authorization: string | undefined): Promise<AuthorizerClaims | undefined>;
  /** An ID token for the right username and password, compared in constant time. */
  signIn(
    username: string,
    password: string,
  ): Promise<{ idToken: string; expiresIn: number } | undefined>;
}

const KEY_FILE = 'operator-signing-key.json';
const CREDENTIALS_FILE = 'operator-credentials.json';
const ALGORITHM = 'ES256';

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Written whole or not at all, readable by the owner only: it holds secrets. */
async function writeSecret(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(value), { mode: 0o600 });
  await rename(temporary, path);
}

async function signingKey(dataDir: string) {
  const path = join(dataDir, KEY_FILE);
  let jwk = await readJson<JWK>(path);
  if (!jwk) {
    const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    jwk = await exportJWK(privateKey);
    await writeSecret(path, jwk);
  }
  const privateKey = await importJWK(jwk, ALGORITHM);
  const { d: _private, ...publicJwk } = jwk;
  return { privateKey, publicKey: await importJWK(publicJwk, ALGORITHM) };
}

async function credentials(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ username: string; password: string; generated: boolean }> {
  const username = env.LOCAL_OPERATOR_USERNAME || 'operator';
  if (env.LOCAL_OPERATOR_PASSWORD) {
    return { username, password: env.LOCAL_OPERATOR_PASSWORD, generated: false };
  }
  const path = join(dataDir, CREDENTIALS_FILE);
  let stored = await readJson<{ password: string }>(path);
  if (!stored) {
    stored = { password: randomBytes(18).toString('base64url') };
    await writeSecret(path, stored);
  }
  return { username, password: stored.password, generated: true };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Equal-length digests, so the comparison takes as long whatever was typed. */
function matches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** A stable Cognito-like `sub` for a username. */
function subjectOf(username: string): string {
  const hex = digest(`local-operator:${username}`).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Whether every list claim renders unambiguously as `[a b]`: its items are strings without
 * white space, as Cognito's group names are. A token this issuer did not shape so is refused.
 */
function rendersExactly(payload: JWTPayload): boolean {
  return Object.values(payload).every(
    (value) =>
      !Array.isArray(value) ||
      value.every((item) => typeof item === 'string' && item !== '' && !/\s/.test(item)),
  );
}

/** The HTTP API JWT authorizer passes claims on as strings, lists as `[a b]`. */
export function renderClaims(payload: JWTPayload): AuthorizerClaims {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

export async function createOperatorAuth(options: OperatorAuthOptions): Promise<OperatorAuth> {
  const issuer = options.issuer ?? 'https://local.kyc-onboarding/operators';
  const audience = options.audience ?? 'local-web-console';
  const group = options.group ?? 'operators';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  if (!(lifetime >= 0)) throw new RangeError('tokenLifetimeSeconds must not be negative');
  await mkdir(options.dataDir, { recursive: true });
  const { privateKey, publicKey } = await signingKey(options.dataDir);
  const operator = await credentials(options.dataDir, options.env ?? process.env);

  return {
    username: operator.username,
    generatedPassword: operator.generated ? operator.password : undefined,

    async verify(authorization) {
      const token = authorization?.replace(/^Bearer\s+/i, '').trim();
      if (!token) return undefined;
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          issuer,
          audience,
          algorithms: [ALGORITHM],
        });
        return rendersExactly(payload) ? renderClaims(payload) : undefined;
      } catch {
        return undefined;
      }
    },

    async signIn(username, password) {
      // Both compared, so a wrong username takes as long as a wrong password.
      const usernameMatches = matches(username, operator.username);
      const passwordMatches = matches(password, operator.password);
      if (!(usernameMatches && passwordMatches)) return undefined;
      const now = Math.floor(Date.now() / 1000);
      const idToken = await new SignJWT({
        'cognito:username': operator.username,
        'cognito:groups': [group],
        token_use: 'id',
        auth_time: now,
      })
        .setProtectedHeader({ alg: ALGORITHM, kid: 'local-operator' })
        .setSubject(subjectOf(operator.username))
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .setJti(randomUUID())
        .sign(privateKey);
      return { idToken, expiresIn: lifetime };
    },
  };
}
