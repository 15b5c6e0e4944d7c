import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  LogLevel as BundlingLogLevel,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { cfnReference } from './cfn-reference.js';
import { lambdaBundling } from './lambda-bundling.js';
import { caseImagesPrefix, idUploadKeys, tableIndexes } from './onboarding-data.js';
import {
  type EnvironmentName,
  type FunctionName,
  type FunctionSpec,
  functionSpecs,
  kmsActionsOf,
  operatorGroupName,
  serviceName,
  timeoutSeconds,
} from './onboarding-function-specs.js';
import type { LogLevel } from './onboarding-settings.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface OnboardingFunctionsProps {
  /** Key encrypting the bucket and the table. */
  readonly key: Key;
  /** Bucket holding the case images under `cases/`. */
  readonly bucket: Bucket;
  /** Table of cases and review tokens. */
  readonly table: Table;
  /** Bus the verdicts are published on. */
  readonly eventBus: EventBus;
  /**
   * Name the onboarding state machine will have. The API functions get its ARN built from
   * this name, because the state machine itself depends on the task functions' ARNs.
   */
  readonly stateMachineName: string;
  readonly logLevel: LogLevel;
  readonly ageGateMinimumAge: number;
  readonly ageGateBufferYears: number;
  /** The liveness rate limits (see OnboardingSettings). */
  readonly livenessLimits: {
    readonly failureLimit: number;
    readonly windowSeconds: number;
    readonly coolDownSeconds: number;
  };
  /** How long function logs are kept. */
  readonly logRetention?: RetentionDays;
}

/** One NodejsFunction per handler in `functions/handlers/`, each with its own role and log group. */
export class OnboardingFunctions extends Construct {
  readonly functions: Readonly<Record<FunctionName, NodejsFunction>>;
  /** ARN of the onboarding state machine, as the API functions were told. */
  readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: OnboardingFunctionsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const executionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const environmentValues: Record<EnvironmentName, string> = {
      TABLE_NAME: props.table.tableName,
      BUCKET_NAME: props.bucket.bucketName,
      EVENT_BUS_NAME: props.eventBus.eventBusName,
      STATE_MACHINE_ARN: this.stateMachineArn,
      AGE_GATE_MINIMUM_AGE: String(props.ageGateMinimumAge),
      AGE_GATE_BUFFER_YEARS: String(props.ageGateBufferYears),
      OPERATOR_GROUP: operatorGroupName,
      LIVENESS_KMS_KEY_ID: props.key.keyArn,
      LIVENESS_FAILURE_LIMIT: String(props.livenessLimits.failureLimit),
      LIVENESS_FAILURE_WINDOW_SECONDS: String(props.livenessLimits.windowSeconds),
      LIVENESS_COOL_DOWN_SECONDS: String(props.livenessLimits.coolDownSeconds),
    };

    const targets: GrantTargets = {
      ...props,
      executionsArn,
      stateMachineArn: this.stateMachineArn,
    };
    const built = {} as Record<FunctionName, NodejsFunction>;
    for (const spec of functionSpecs) {
      const constructId = pascalCase(spec.name);
      const role = new Role(this, `${constructId}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `KYC onboarding ${spec.name} function`,
      });
      const logGroup = new LogGroup(this, `${constructId}Logs`, {
        retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      });
      // Own role and log group instead of AWSLambdaBasicExecutionRole, which may write to any log group.
      logGroup.grantWrite(role);

      for (const statement of statementsFor(spec, targets)) {
        role.addToPrincipalPolicy(statement);
      }

      const fn = new NodejsFunction(this, constructId, {
        entry: `${repoRoot}functions/handlers/${spec.name}.ts`,
        handler: 'handler',
        projectRoot: repoRoot,
        depsLockFilePath: `${repoRoot}package-lock.json`,
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(timeoutSeconds[spec.kind]),
        tracing: Tracing.ACTIVE,
        role,
        logGroup,
        description: `KYC onboarding: ${spec.name}`,
        environment: {
          POWERTOOLS_SERVICE_NAME: serviceName,
          POWERTOOLS_LOG_LEVEL: props.logLevel,
          // Stack traces in the logs point at the TypeScript sources.
          NODE_OPTIONS: '--enable-source-maps',
          ...Object.fromEntries(spec.environment.map((name) => [name, environmentValues[name]])),
        },
        bundling: {
          format: OutputFormat.ESM,
          target: lambdaBundling.target,
          mainFields: [...lambdaBundling.mainFields],
          minify: lambdaBundling.minify,
          sourceMap: lambdaBundling.sourcemap,
          banner: lambdaBundling.banner.js,
          logLevel: BundlingLogLevel.WARNING,
        },
      });
      acknowledgeWildcards(role, spec, props.bucket, props.stateMachineName);
      built[spec.name] = fn;
    }
    this.functions = built;
  }
}

interface GrantTargets extends OnboardingFunctionsProps {
  readonly stateMachineArn: string;
  readonly executionsArn: string;
}

/** The policy statements of one function, straight from its spec: no broader grant helpers. */
function statementsFor(spec: FunctionSpec, targets: GrantTargets): PolicyStatement[] {
  const { access } = spec;
  const statements: PolicyStatement[] = [];
  const add = (actions: readonly string[] | undefined, resources: string[]) => {
    if (actions && actions.length > 0) {
      statements.push(new PolicyStatement({ actions: [...actions], resources }));
    }
  };
  add(access.unscoped, ['*']);
  add(access.caseObjects, [targets.bucket.arnForObjects(`${caseImagesPrefix}*`)]);
  add(access.uploadObjects, [targets.bucket.arnForObjects(idUploadKeys)]);
  if (access.listCaseObjects) add(['s3:ListBucket'], [targets.bucket.bucketArn]);
  const tableActions = access.table ?? [];
  add(tableActions, [targets.table.tableArn]);
  if (access.tableIndexes && tableActions.includes('dynamodb:Query')) {
    add(
      ['dynamodb:Query'],
      Object.values(tableIndexes).map(
        (index) => `${targets.table.tableArn}/index/${index.indexName}`,
      ),
    );
  }
  if (access.publishVerdicts) add(['events:PutEvents'], [targets.eventBus.eventBusArn]);
  add(access.stateMachine, [targets.stateMachineArn]);
  add(access.executions, [targets.executionsArn]);
  add(kmsActionsOf(access), [targets.key.keyArn]);
  return statements;
}

/** Every wildcard resource left in a function's policy, with the reason it cannot be narrower. */
function acknowledgeWildcards(
  role: Role,
  spec: FunctionSpec,
  bucket: Bucket,
  stateMachineName: string,
): void {
  const unscoped = [
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    ...(spec.access.unscoped ?? []),
  ];
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `Only ${unscoped.join(', ')} use Resource "*": the Service Authorization Reference lists no resource type for these actions (task tokens and X-Ray segments are not resources).`,
  });
  if (spec.access.caseObjects?.length) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${cfnReference(bucket, 'Arn')}/${caseImagesPrefix}*]`,
      reason: `Object keys carry the case id, known only at run time; access is limited to the ${caseImagesPrefix} prefix of the images bucket.`,
    });
  }
  if (spec.access.uploadObjects?.length) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${cfnReference(bucket, 'Arn')}/${idUploadKeys}]`,
      reason: `Upload keys carry the case id and attempt, known only at run time; access is limited to ${idUploadKeys}.`,
    });
  }
  if (spec.access.executions?.length) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
      reason:
        'Executions are started per case at run time; access is limited to executions of the onboarding state machine.',
    });
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}
