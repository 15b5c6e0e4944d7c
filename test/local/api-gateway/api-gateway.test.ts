import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiGateway,
  type ApiGatewayOptions,
  createApiGateway,
  createOperatorAuth,
  type HttpApiEvent,
  type OperatorAuth,
} from '../../../local/api-gateway/index.js';

const webOrigin = 'http://localhost:5173';
const env = { LOCAL_OPERATOR_USERNAME: 'ops', LOCAL_OPERATOR_PASSWORD: 'correct horse battery' };

let dataDir: string;
let auth: OperatorAuth;
let gateway: ApiGateway;
const events: HttpApiEvent[] = [];
const failures: unknown[] = [];
const gateways: ApiGateway[] = [];

const applicantRoutes = ['POST /cases', 'GET /cases/{caseId}', 'POST /cases/{caseId}/submit'];
const operatorRoutes = ['GET /ops/executions', 'GET /ops/executions/{caseId}'];

/** Echoes what it received, or answers as the test's route asks. */
async function stubHandler(event: HttpApiEvent): Promise<unknown> {
  events.push(event);
  switch (event.pathParameters?.caseId) {
    case 'throws':
      throw new TypeError('secret personal data');
    case 'malformed':
      return { statusCode: 'teapot' };
    case 'bad-header':
      return { statusCode: 200, headers: { 'x-injected': 'a\r\nset-cookie: stolen=1' } };
    case 'plain':
      return { plain: true };
    case 'binary':
      return {
        statusCode: 201,
        headers: { 'Content-Type': 'image/png', 'access-control-allow-origin': '*' },
        cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
        body: Buffer.from([0, 1, 2, 255]).toString('base64'),
        isBase64Encoded: true,
      };
    default:
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ routeKey: event.routeKey }),
      };
  }
}

async function startGateway(overrides: Partial<ApiGatewayOptions> = {}): Promise<ApiGateway> {
  const started = await createApiGateway({
    routes: {
      applicant: { routeKeys: applicantRoutes },
      operator: { routeKeys: operatorRoutes, authorizer: 'jwt' },
    },
    handlers: { applicant: stubHandler, operator: stubHandler },
    webOrigin,
    auth,
    reportError: (failure) => failures.push(failure),
    ...overrides,
  });
  gateways.push(started);
  return started;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-api-gateway-'));
  auth = await createOperatorAuth({ dataDir, env });
  gateway = await startGateway();
});

afterAll(async () => {
  await Promise.all(gateways.map((started) => started.close()));
  await rm(dataDir, { recursive: true, force: true });
});

const call = (path: string, init?: RequestInit, on = gateway) => fetch(`${on.url}${path}`, init);

async function signIn(on = gateway, password = env.LOCAL_OPERATOR_PASSWORD): Promise<Response> {
  return call(
    '/local/operator/sign-in',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ops', password }),
    },
    on,
  );
}

describe('routing', () => {
  it('hands the handler an HTTP API 2.0 event with path parameters, query and headers', async () => {
    events.length = 0;
    const response = await call('/cases/case%201?x=1&x=2&y=3', {
      headers: { 'X-Case-Secret': 's3cret', Cookie: 'session=a; theme=dark' },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ routeKey: 'GET /cases/{caseId}' });
    const [event] = events;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /cases/{caseId}',
      rawPath: '/cases/case%201',
      rawQueryString: 'x=1&x=2&y=3',
      cookies: ['session=a', 'theme=dark'],
      queryStringParameters: { x: '1,2', y: '3' },
      pathParameters: { caseId: 'case 1' },
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/cases/case%201', sourceIp: '127.0.0.1' },
        routeKey: 'GET /cases/{caseId}',
        stage: '$default',
        requestId: response.headers.get('apigw-requestid'),
      },
    });
    expect(event?.headers['x-case-secret']).toBe('s3cret');
    expect(event?.headers.cookie).toBeUndefined();
    expect(event?.requestContext.timeEpoch).toBeGreaterThan(0);
    expect(event?.requestContext.authorizer).toBeUndefined();
    expect(event?.body).toBeUndefined();
  });

  it('passes text bodies as text and other bodies base64-encoded', async () => {
    events.length = 0;
    await call('/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"profile":"strict"}',
    });
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    await call('/cases/c1/submit', {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: image,
    });

    expect(events[0]).toMatchObject({ body: '{"profile":"strict"}', isBase64Encoded: false });
    expect(events[1]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(events[1]?.body ?? '', 'base64')).toEqual(image);
  });

  it.each([
    ['an unknown path', '/nothing', 'GET'],
    ['a known path with another method', '/cases', 'GET'],
    ['a path beyond a parameter', '/cases/a/b', 'GET'],
  ])('answers 404 Not Found for %s', async (_case, path, method) => {
    const response = await call(path, { method });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'Not Found' });
  });

  it('answers 413 for a body over 10 MB and keeps serving', async () => {
    const response = await call('/cases', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request Entity Too Large',
    });
    expect((await call('/cases/c1')).status).toBe(200);
  });

  it("maps the handler's status, headers, cookies and base64 body", async () => {
    const response = await call('/cases/binary');
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    // API Gateway drops an integration's own CORS headers.
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a result without statusCode as a 200 JSON body', async () => {
    const response = await call('/cases/plain');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ plain: true });
  });

  it.each([
    ['throws', 'TypeError'],
    ['malformed', 'MalformedResultError'],
    ['bad-header', 'MalformedResultError'],
  ])(
    'answers 500 for /cases/%s (%s), logs the error name only and keeps serving',
    async (caseId, errorName) => {
      failures.length = 0;
      const response = await call(`/cases/${caseId}`);

      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        code: 'INTERNAL_ERROR',
        message: 'Internal Server Error',
      });
      expect(failures).toEqual([{ routeKey: 'GET /cases/{caseId}', errorName }]);
      expect((await call('/cases/c1')).status).toBe(200);
    },
  );
});

describe('CORS', () => {
  it('answers preflights for the web origin with the configured headers', async () => {
    const response = await call('/cases/c1/submit', {
      method: 'OPTIONS',
      headers: {
        origin: webOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-case-secret,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': webOrigin,
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'authorization,content-type,x-case-secret',
      'access-control-max-age': '3600',
    });
  });

  it('gives other origins no CORS headers', async () => {
    const preflight = await call('/cases', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    const request = await call('/cases/c1', { headers: { origin: 'https://evil.example' } });

    expect(preflight.status).toBe(204);
    for (const response of [preflight, request]) {
      expect(
        [...response.headers.keys()].filter((name) => name.startsWith('access-control-')),
      ).toEqual([]);
    }
  });

  it('adds the allowed origin to responses, errors included', async () => {
    const ok = await call('/cases/c1', { headers: { origin: webOrigin } });
    const unauthorized = await call('/ops/executions', { headers: { origin: webOrigin } });

    expect(ok.headers.get('access-control-allow-origin')).toBe(webOrigin);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(webOrigin);
    // The page may read how long a 429 or 503 asks it to wait.
    expect(ok.headers.get('access-control-expose-headers')).toBe('retry-after');
  });
});

describe('operator JWT authorizer', () => {
  it('passes the claims on as API Gateway renders them', async () => {
    const signedIn = await signIn();
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const { idToken, expiresIn } = (await signedIn.json()) as {
      idToken: string;
      expiresIn: number;
    };
    expect(expiresIn).toBe(3600);
    events.length = 0;

    const response = await call('/ops/executions/c1', {
      headers: { authorization: `Bearer ${idToken}` },
    });

    expect(response.status).toBe(200);
    expect(events[0]?.requestContext.authorizer).toEqual({
      jwt: {
        claims: {
          sub: expect.stringMatching(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
          ),
          'cognito:username': 'ops',
          'cognito:groups': '[operators]',
          token_use: 'id',
          iss: 'https://local.kyc-onboarding/operators',
          aud: 'local-web-console',
          auth_time: expect.stringMatching(/^\d+$/),
          iat: expect.stringMatching(/^\d+$/),
          exp: expect.stringMatching(/^\d+$/),
          jti: expect.any(String),
        },
        scopes: null,
      },
    });
  });

  it('passes a group name with a comma on as one name; refuses names a list rendering would split', async () => {
    const tokenFor = async (group: string) => {
      const issuer = await createOperatorAuth({ dataDir, env, group });
      return `Bearer ${(await issuer.signIn('ops', env.LOCAL_OPERATOR_PASSWORD))?.idToken}`;
    };
    events.length = 0;
    const comma = await call('/ops/executions', {
      headers: { authorization: await tokenFor('readonly,operators') },
    });
    expect(comma.status).toBe(200);
    expect(events[0]?.requestContext.authorizer?.jwt.claims['cognito:groups']).toBe(
      '[readonly,operators]',
    );
    // Cognito group names have no white space; "[x operators]" would read as two groups.
    for (const group of ['x operators', 'operators ', '']) {
      events.length = 0;
      const spaced = await call('/ops/executions', {
        headers: { authorization: await tokenFor(group) },
      });
      expect(spaced.status).toBe(401);
      expect(events).toEqual([]);
    }
  });

  it.each([
    ['no token', async () => undefined],
    ['a token that is not a JWT', async () => 'Bearer not-a-jwt'],
    [
      'a token signed with another key',
      async () => {
        const otherDir = await mkdtemp(join(tmpdir(), 'local-api-gateway-forger-'));
        try {
          const forger = await createOperatorAuth({ dataDir: otherDir, env });
          return `Bearer ${(await forger.signIn('ops', env.LOCAL_OPERATOR_PASSWORD))?.idToken}`;
        } finally {
          await rm(otherDir, { recursive: true, force: true });
        }
      },
    ],
    [
      'an expired token',
      async () => {
        const expiring = await createOperatorAuth({ dataDir, env, tokenLifetimeSeconds: 0 });
        return `Bearer ${(await expiring.signIn('ops', env.LOCAL_OPERATOR_PASSWORD))?.idToken}`;
      },
    ],
    [
      'a token for another audience',
      async () => {
        const other = await createOperatorAuth({ dataDir, env, audience: 'another-client' });
        return `Bearer ${(await other.signIn('ops', env.LOCAL_OPERATOR_PASSWORD))?.idToken}`;
      },
    ],
    [
      'a token from another issuer',
      async () => {
        const other = await createOperatorAuth({ dataDir, env, issuer: 'https://elsewhere' });
        return `Bearer ${(await other.signIn('ops', env.LOCAL_OPERATOR_PASSWORD))?.idToken}`;
      },
    ],
  ])('answers 401 Unauthorized for %s, without calling the handler', async (_case, token) => {
    const authorization = await token();
    events.length = 0;
    const response = await call('/ops/executions', {
      headers: authorization ? { authorization } : {},
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 'UNAUTHORIZED', message: 'Unauthorized' });
    expect(events).toEqual([]);
  });
});

describe('local operator sign-in', () => {
  it('refuses a wrong password, then rate-limits failures per client', async () => {
    const limited = await startGateway();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await signIn(limited, 'wrong');
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        code: 'INVALID_CREDENTIALS',
        message: 'Invalid username or password',
      });
    }

    const blocked = await signIn(limited);
    expect(blocked.status).toBe(429);
    const wait = Number(blocked.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(await blocked.json()).toEqual({
      code: 'TOO_MANY_SIGN_IN_ATTEMPTS',
      message: 'Too Many Requests',
      retryAfterSeconds: wait,
    });
    expect((await signIn(limited, 'wrong')).status).toBe(429);
  });

  it('answers 400 for a body that is not { username, password }', async () => {
    const response = await call('/local/operator/sign-in', { method: 'POST', body: '{"user":1}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Expected a JSON body { username, password }',
    });
  });

  it('generates a password once, keeps it and the key across restarts', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'local-api-gateway-generated-'));
    try {
      const first = await createOperatorAuth({ dataDir: folder, env: {} });
      const second = await createOperatorAuth({ dataDir: folder, env: {} });

      expect(first.username).toBe('operator');
      expect(first.generatedPassword).toMatch(/^[\w-]{24}$/);
      expect(second.generatedPassword).toBe(first.generatedPassword);
      const signedIn = await first.signIn('operator', first.generatedPassword ?? '');
      expect(await second.verify(`Bearer ${signedIn?.idToken}`)).toMatchObject({
        'cognito:username': 'operator',
      });
      expect(await first.signIn('operator', 'guess')).toBeUndefined();
      expect(auth.generatedPassword).toBeUndefined();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
