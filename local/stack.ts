import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applicantRouteKeys, operatorRouteKeys } from '../functions/api/route-keys.js';
import { onboardingDefinitionPath, onboardingTaskFunctions } from '../statemachines/onboarding.js';
import { createApiGateway, createOperatorAuth, type HttpApiHandler } from './api-gateway/index.js';
import { type LocalAws, type LocalAwsOptions, localAwsConfig, startLocalAws } from './aws/index.js';
import { FaceEngine } from './face-engine/index.js';
import {
  type InterruptedExecution,
  type LambdaHandler,
  LocalStepFunctions,
  loadDefinition,
  sfnService,
} from './stepfunctions/index.js';
import { IdDocumentReader } from './textract/id-document-reader.js';
import { startWebServer, type WebRuntimeConfig } from './web-server.js';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
export const stateMachineName = 'kyc-onboarding';

export interface LocalStackOptions {
  /** Everything that must survive a restart lives here; default `.data` at the repository root. */
  readonly dataFolder?: string;
  /** 0 picks free ports (tests); the defaults suit `npm start`. */
  readonly apiPort?: number;
  readonly awsPort?: number;
  readonly dynamoDbPort?: number;
  /**
   * Port of the web app (web/dist and its /config.json): 5173 by default, a free port when
   * apiPort is 0 (tests).
   */
  readonly webPort?: number;
  /** The web build to serve: web/dist by default; tests serve a build of their own. */
  readonly webDistFolder?: string;
  /** The web app's origin, the only one CORS allows; by default the one the stack serves. */
  readonly webOrigin?: string;
  /** Environment for the operator's credentials (LOCAL_OPERATOR_USERNAME/PASSWORD). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the random light challenge of each liveness session (tests pin one). */
  readonly livenessChallenge?: LocalAwsOptions['livenessChallenge'];
}

export interface LocalStack {
  /** Base URL of the HTTP API (applicant and operator routes, local operator sign-in). */
  readonly apiUrl: string;
  /** The web app: applicant journey at `/`, operations console at `/ops`. */
  readonly webUrl: string;
  /** Whether the served folder holds a build (`npm run build:web` for web/dist). */
  readonly webBuilt: boolean;
  /** Endpoint of the local AWS services (S3, Rekognition, Textract, EventBridge, Step Functions). */
  readonly awsUrl: string;
  readonly operator: { readonly username: string; readonly generatedPassword: string | undefined };
  readonly aws: LocalAws;
  readonly faceEngine: FaceEngine;
  readonly stepFunctions: LocalStepFunctions;
  /** What became of the executions an earlier process left running. */
  readonly resumed: readonly InterruptedExecution[];
  close(): Promise<void>;
}

type HandlerModule = { handler: (event: never, context?: never) => Promise<unknown> };

/**
 * The functions' modules read their configuration when first imported, so they are loaded
 * on their first invocation, once the environment points at the local endpoints.
 */
function lazyHandler(name: string): (event: never, context: never) => Promise<unknown> {
  let loaded: Promise<HandlerModule> | undefined;
  return async (event, context) => {
    loaded ??= import(
      join(repositoryRoot, 'functions', 'handlers', `${name}.ts`)
    ) as Promise<HandlerModule>;
    return (await loaded).handler(event, context);
  };
}

/**
 * The whole product on one machine: the same functions and ASL as on AWS, against local
 * endpoints that speak the AWS protocols, backed by the on-device face engine and OCR.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  // First, so that its origin is known before CORS is configured; it serves its settings
  // once the API is up.
  let runtimeConfig: WebRuntimeConfig | undefined;
  const web = await startWebServer({
    port: options.webPort ?? (options.apiPort === 0 ? 0 : 5173),
    ...(options.webDistFolder ? { distFolder: options.webDistFolder } : {}),
    runtimeConfig: () => runtimeConfig,
  });
  const config = localAwsConfig({
    ...(options.dataFolder ? { dataFolder: options.dataFolder } : {}),
    ...(options.awsPort === undefined ? {} : { awsPort: options.awsPort }),
    ...(options.dynamoDbPort === undefined ? {} : { dynamoDbPort: options.dynamoDbPort }),
    webOrigin: options.webOrigin ?? web.url,
  });
  const functionArn = (name: string) =>
    `arn:aws:lambda:${config.region}:${config.account}:function:kyc-${name}`;
  const lambdaHandlers: Record<string, LambdaHandler> = {};
  for (const name of Object.values(onboardingTaskFunctions)) {
    lambdaHandlers[functionArn(name)] = lazyHandler(name) as LambdaHandler;
  }
  const stepFunctions = new LocalStepFunctions({
    lambdaHandlers,
    region: config.region,
    accountId: config.account,
    dataDir: join(config.dataFolder, 'stepfunctions'),
  });
  const [faces, reader] = await Promise.all([FaceEngine.start(), IdDocumentReader.start()]);
  const aws = await startLocalAws({
    config,
    faces,
    reader,
    services: [sfnService(stepFunctions)],
    ...(options.livenessChallenge ? { livenessChallenge: options.livenessChallenge } : {}),
  });
  const stateMachineArn = `arn:aws:states:${config.region}:${config.account}:stateMachine:${stateMachineName}`;
  Object.assign(process.env, aws.environment, {
    STATE_MACHINE_ARN: stateMachineArn,
    POWERTOOLS_SERVICE_NAME: 'kyc-onboarding',
  });
  const substitutions = Object.fromEntries(
    Object.entries(onboardingTaskFunctions).map(([placeholder, name]) => [
      placeholder,
      functionArn(name),
    ]),
  );
  await stepFunctions.createStateMachine({
    name: stateMachineName,
    definition: await loadDefinition(onboardingDefinitionPath, substitutions),
  });
  const resumed = await stepFunctions.resumeInterruptedExecutions();

  const auth = await createOperatorAuth({
    dataDir: join(config.dataFolder, 'operator'),
    env: options.env ?? process.env,
  });
  const gateway = await createApiGateway({
    routes: {
      applicant: { routeKeys: applicantRouteKeys },
      operator: { routeKeys: operatorRouteKeys, authorizer: 'jwt' },
    },
    handlers: {
      applicant: lazyHandler('applicant-api') as HttpApiHandler,
      operator: lazyHandler('operator-api') as HttpApiHandler,
    },
    webOrigin: config.webOrigin,
    auth,
    port: options.apiPort ?? 3001,
  });
  runtimeConfig = {
    apiUrl: gateway.url,
    mode: 'local',
    region: config.region,
    // The Face Liveness stream (local/liveness) is served on the local AWS endpoint.
    liveness: {
      endpoint: aws.url,
      wasmPath: `${web.url}/liveness/tfjs-wasm/`,
      faceModelUrl: `${web.url}/liveness/face-model/facemesh-detection-short.json`,
    },
    auth: { kind: 'local' },
  };

  return {
    apiUrl: gateway.url,
    webUrl: web.url,
    webBuilt: web.built,
    awsUrl: aws.url,
    operator: { username: auth.username, generatedPassword: auth.generatedPassword },
    aws,
    faceEngine: faces,
    stepFunctions,
    resumed,
    async close() {
      await web.close();
      await gateway.close();
      stepFunctions.close();
      await aws.close();
      await Promise.all([faces.close(), reader.close()]);
    },
  };
}
