import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applicantRouteKeys, operatorRouteKeys } from '../functions/api/route-keys.js';
import { onboardingDefinitionPath, onboardingTaskFunctions } from '../statemachines/onboarding.js';
import { createApiGateway, createOperatorAuth, type HttpApiHandler } from './api-gateway/index.js';
import { type LocalAws, type LocalAwsOptions, localAwsConfig, startLocalAws } from './aws/index.js';
import { FaceEngine } from './face-engine/index.js';
import { FaultInjector, type FaultInjectorOptions, withFunctionFaults } from './faults/index.js';
import type { AdmissionLimits } from './load/admission-control.js';
import {
  type ImageSweeper,
  type RetentionSettings,
  retentionSettings,
  startImageSweeper,
} from './retention/index.js';
import { isJsonObject, walkStates } from './stepfunctions/definition-walk.js';
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
  /** Serves web/ through Vite's development server instead of a build (`npm run dev`). */
  readonly webDevelopment?: boolean;
  /** The web app's origin, the only one CORS allows; by default the one the stack serves. */
  readonly webOrigin?: string;
  /** Environment for the operator's credentials (LOCAL_OPERATOR_USERNAME/PASSWORD). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the random light challenge of each liveness session (tests pin one). */
  readonly livenessChallenge?: LocalAwsOptions['livenessChallenge'];
  /** Replaces some of the Face Liveness stream's limits (tests shorten the waits). */
  readonly livenessLimits?: LocalAwsOptions['livenessLimits'];
  /**
   * Retention of case images (local/retention): by default the deployed imageRetentionDays,
   * or LOCAL_IMAGE_RETENTION_SECONDS / LOCAL_IMAGE_SWEEP_INTERVAL_SECONDS from `env`.
   */
  readonly imageRetention?: Partial<RetentionSettings>;
  /**
   * Fault injection (local/faults), off by default: rules as `LOCAL_FAULTS` spells them, a seed
   * for repeatable draws, timeout lengths. `stack.faults.set(...)` changes the rules later.
   */
  readonly faults?: FaultInjectorOptions;
  /**
   * Multiplies the workflow's Retry intervals and max delays (tests pass e.g. 0.01 so backoff
   * takes milliseconds); Task timeouts keep their written length unless overridden below.
   */
  readonly retryTimeScale?: number;
  /** Milliseconds after which the named Task states time out (States.Timeout). */
  readonly taskTimeoutOverridesMs?: Readonly<Record<string, number>>;
  /** In-flight and queue bounds of the API and of the local AWS endpoint. */
  readonly admission?: { readonly api?: AdmissionLimits; readonly aws?: AdmissionLimits };
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
  /** Deletes case images older than the retention period, as the bucket's lifecycle rule. */
  readonly retention: ImageSweeper;
  /** Switches faults of the service calls and workflow functions on and off at run time. */
  readonly faults: FaultInjector;
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
 * Task timeouts as written, for a runtime whose timeScale shortens the retries: every Task
 * with a literal TimeoutSeconds (callback tasks read theirs from the input, never scaled).
 */
function writtenTaskTimeoutsMs(definition: string): Record<string, number> {
  const timeouts: Record<string, number> = {};
  const parsed: unknown = JSON.parse(definition);
  if (!isJsonObject(parsed)) return timeouts;
  walkStates(parsed, ({ name, state }) => {
    if (state.Type === 'Task' && typeof state.TimeoutSeconds === 'number') {
      timeouts[name] = state.TimeoutSeconds * 1000;
    }
  });
  return timeouts;
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
    ...(options.webDevelopment ? { development: true } : {}),
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
  const faults = new FaultInjector(options.faults);
  const lambdaHandlers: Record<string, LambdaHandler> = {};
  for (const name of Object.values(onboardingTaskFunctions)) {
    lambdaHandlers[functionArn(name)] = withFunctionFaults(
      name,
      lazyHandler(name),
      faults,
    ) as LambdaHandler;
  }
  const substitutions = Object.fromEntries(
    Object.entries(onboardingTaskFunctions).map(([placeholder, name]) => [
      placeholder,
      functionArn(name),
    ]),
  );
  const definition = await loadDefinition(onboardingDefinitionPath, substitutions);
  const stepFunctions = new LocalStepFunctions({
    lambdaHandlers,
    region: config.region,
    accountId: config.account,
    dataDir: join(config.dataFolder, 'stepfunctions'),
    ...(options.retryTimeScale === undefined ? {} : { timeScale: options.retryTimeScale }),
    taskTimeoutOverridesMs: {
      ...(options.retryTimeScale === undefined ? {} : writtenTaskTimeoutsMs(definition)),
      ...options.taskTimeoutOverridesMs,
    },
  });
  const [faces, reader] = await Promise.all([FaceEngine.start(), IdDocumentReader.start()]);
  const aws = await startLocalAws({
    config,
    faces,
    reader,
    services: [sfnService(stepFunctions)],
    ...(options.livenessChallenge ? { livenessChallenge: options.livenessChallenge } : {}),
    ...(options.livenessLimits ? { livenessLimits: options.livenessLimits } : {}),
    faults,
    ...(options.admission?.aws ? { admission: options.admission.aws } : {}),
  });
  const stateMachineArn = `arn:aws:states:${config.region}:${config.account}:stateMachine:${stateMachineName}`;
  Object.assign(process.env, aws.environment, {
    STATE_MACHINE_ARN: stateMachineArn,
    POWERTOOLS_SERVICE_NAME: 'kyc-onboarding',
  });
  await stepFunctions.createStateMachine({ name: stateMachineName, definition });
  const resumed = await stepFunctions.resumeInterruptedExecutions();
  const retention = startImageSweeper({
    store: aws.objects,
    bucket: config.bucketName,
    ...retentionSettings(options.env ?? process.env, options.imageRetention),
  });

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
    ...(options.admission?.api ? { admission: options.admission.api } : {}),
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
    retention,
    faults,
    async close() {
      await web.close();
      await gateway.close();
      stepFunctions.close();
      await retention.close();
      await aws.close();
      await Promise.all([faces.close(), reader.close()]);
    },
  };
}
