import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ApiGateway,
  createApiGateway,
  createOperatorAuth,
} from '../../../local/api-gateway/index.js';

// The real handlers, so that events and claims are checked by the code that reads them. The
// requests below are refused before any AWS call, so the endpoints behind them are never used.
const env = { LOCAL_OPERATOR_USERNAME: 'ops', LOCAL_OPERATOR_PASSWORD: 'correct horse battery' };
let dataDir: string;
let gateway: ApiGateway;

async function tokenFor(group: string): Promise<string> {
  const auth = await createOperatorAuth({ dataDir, env, group });
  const signedIn = await auth.signIn(env.LOCAL_OPERATOR_USERNAME, env.LOCAL_OPERATOR_PASSWORD);
  return `Bearer ${signedIn?.idToken}`;
}

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    TABLE_NAME: 'cases',
    BUCKET_NAME: 'images',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:onboarding',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const { applicantRoutes } = await import('../../../functions/api/applicant-routes.js');
  const { operatorRoutes } = await import('../../../functions/api/operator-routes.js');
  const applicantApi = await import('../../../functions/handlers/applicant-api.js');
  const operatorApi = await import('../../../functions/handlers/operator-api.js');
  dataDir = await mkdtemp(join(tmpdir(), 'local-api-gateway-operator-'));
  gateway = await createApiGateway({
    routes: {
      applicant: { routeKeys: Object.keys(applicantRoutes) },
      operator: { routeKeys: Object.keys(operatorRoutes), authorizer: 'jwt' },
    },
    handlers: { applicant: applicantApi.handler, operator: operatorApi.handler },
    webOrigin: 'http://localhost:5173',
    auth: await createOperatorAuth({ dataDir, env }),
  });
});

afterAll(async () => {
  await gateway.close();
  await rm(dataDir, { recursive: true, force: true });
});

const listExecutions = (authorization?: string) =>
  fetch(`${gateway.url}/ops/executions?limit=1000`, {
    headers: authorization ? { authorization } : {},
  });

it('lets operator-api read the operator from the claims of a signed-in operator', async () => {
  const response = await listExecutions(await tokenFor('operators'));

  // Past the operator check, the query's limit is what it refuses.
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
});

it('lets operator-api refuse a signed-in user outside the operators group', async () => {
  const response = await listExecutions(await tokenFor('auditors'));

  expect(response.status).toBe(403);
  expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
});

it('keeps unauthenticated requests away from operator-api', async () => {
  const response = await listExecutions();

  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ code: 'UNAUTHORIZED', message: 'Unauthorized' });
});

it('hands applicant-api the path parameter and the case secret header', async () => {
  const caseId = '5f0c7c4e-8a54-4b8e-9a43-3f6f0b1f4d2a';
  const invalid = await fetch(`${gateway.url}/cases/not-a-case-id`);
  const withoutSecret = await fetch(`${gateway.url}/cases/${caseId}`);

  expect(invalid.status).toBe(400);
  expect(await invalid.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  expect(withoutSecret.status).toBe(401);
  expect(await withoutSecret.json()).toMatchObject({
    code: 'UNAUTHORIZED',
    message: 'The x-case-secret header is required',
  });
});
