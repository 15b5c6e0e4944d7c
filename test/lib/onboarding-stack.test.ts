import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames } from '../../lib/onboarding-function-specs.js';
import { defaultSettings, type OnboardingSettings } from '../../lib/onboarding-settings.js';
import { OnboardingStack } from '../../lib/onboarding-stack.js';
import { onboardingTaskFunctions as workflowSubstitutions } from '../../statemachines/onboarding.js';
import {
  allAllowStatements,
  allowedActions,
  asArray,
  functionLogicalId,
  functionProperties,
  resources,
  roleOfFunction,
  statementsOfRole,
} from './template-queries.js';

type Json = Record<string, unknown>;

const settings: OnboardingSettings = {
  ...defaultSettings,
  webOrigin: 'https://onboarding.example.com',
  logLevel: 'DEBUG',
  ageGateMinimumAge: 21,
  livenessFailureLimit: 4,
  livenessCoolDownSeconds: 900,
};

// Synthesized once: every NodejsFunction is bundled with esbuild.
let template: Template;
beforeAll(() => {
  const app = new App();
  const stack = new OnboardingStack(app, 'KycTest', { settings });
  template = Template.fromStack(stack);
});

/** Logging and tracing come with every function; the rest is each function's own work. */
const runtimeActions = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];
const tableWrite = ['kms:Decrypt', 'kms:Encrypt'];

const expectedActions: Record<(typeof functionNames)[number], string[]> = {
  'check-liveness': [
    'rekognition:GetFaceLivenessSessionResults',
    's3:PutObject',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:GenerateDataKey',
  ],
  'analyze-document': [
    'textract:AnalyzeID',
    's3:GetObject',
    's3:ListBucket',
    'dynamodb:UpdateItem',
    ...tableWrite,
  ],
  'compare-faces': ['rekognition:CompareFaces', 's3:GetObject', 's3:ListBucket', 'kms:Decrypt'],
  'estimate-age': ['rekognition:DetectFaces', 's3:GetObject', 'dynamodb:UpdateItem', ...tableWrite],
  decide: ['dynamodb:GetItem', 'dynamodb:UpdateItem', ...tableWrite],
  'await-applicant': ['dynamodb:UpdateItem', ...tableWrite],
  'queue-review': ['dynamodb:UpdateItem', ...tableWrite],
  'record-verdict': ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'events:PutEvents', ...tableWrite],
  'applicant-api': [
    'rekognition:CreateFaceLivenessSession',
    'rekognition:GetFaceLivenessSessionResults',
    's3:PutObject',
    's3:GetObject',
    's3:DeleteObject',
    's3:ListBucket',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'states:StartExecution',
    'states:SendTaskSuccess',
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:GenerateDataKey',
  ],
  'operator-api': [
    'dynamodb:GetItem',
    'dynamodb:UpdateItem',
    'dynamodb:Query',
    's3:GetObject',
    's3:DeleteObject',
    's3:PutObject',
    's3:ListBucket',
    'states:DescribeExecution',
    'states:GetExecutionHistory',
    'states:SendTaskSuccess',
    'kms:GenerateDataKey',
    ...tableWrite,
  ],
};

const ageGate = ['AGE_GATE_BUFFER_YEARS', 'AGE_GATE_MINIMUM_AGE'];
const livenessLimits = [
  'LIVENESS_FAILURE_LIMIT',
  'LIVENESS_FAILURE_WINDOW_SECONDS',
  'LIVENESS_COOL_DOWN_SECONDS',
];
const expectedEnvironment: Record<(typeof functionNames)[number], string[]> = {
  'check-liveness': ['TABLE_NAME', 'BUCKET_NAME', ...ageGate, ...livenessLimits],
  'analyze-document': ['TABLE_NAME', 'BUCKET_NAME'],
  'compare-faces': ['BUCKET_NAME', ...ageGate],
  'estimate-age': ['TABLE_NAME', 'BUCKET_NAME'],
  decide: ['TABLE_NAME', ...ageGate],
  'await-applicant': ['TABLE_NAME'],
  'queue-review': ['TABLE_NAME'],
  'record-verdict': ['TABLE_NAME', 'EVENT_BUS_NAME'],
  'applicant-api': [
    'TABLE_NAME',
    'BUCKET_NAME',
    'STATE_MACHINE_ARN',
    ...ageGate,
    'LIVENESS_KMS_KEY_ID',
    ...livenessLimits,
  ],
  'operator-api': [
    'TABLE_NAME',
    'BUCKET_NAME',
    'STATE_MACHINE_ARN',
    'OPERATOR_GROUP',
    ...livenessLimits,
  ],
};

const stateMachineName = 'KycTest-onboarding';

describe('functions', () => {
  it.each(functionNames)('%s grants exactly its own actions', (name) => {
    const statements = statementsOfRole(template, roleOfFunction(template, name));
    expect(allowedActions(statements)).toEqual(
      [...runtimeActions, ...expectedActions[name]].sort(),
    );
  });

  it.each(functionNames)('%s gets exactly its environment', (name) => {
    const variables = (
      functionProperties(template, name).Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_LOG_LEVEL',
        'NODE_OPTIONS',
        ...expectedEnvironment[name],
      ].sort(),
    );
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe('kyc-onboarding');
    expect(variables.POWERTOOLS_LOG_LEVEL).toBe('DEBUG');
    if ('AGE_GATE_MINIMUM_AGE' in variables) expect(variables.AGE_GATE_MINIMUM_AGE).toBe('21');
    if ('LIVENESS_FAILURE_LIMIT' in variables) {
      expect(variables).toMatchObject({
        LIVENESS_FAILURE_LIMIT: '4',
        LIVENESS_FAILURE_WINDOW_SECONDS: '180',
        LIVENESS_COOL_DOWN_SECONDS: '900',
      });
    }
  });

  it('runs every function on nodejs24.x, arm64, traced, with its own log group', () => {
    const functions = Object.values(resources(template, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(functionNames.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  it('gives API handlers 10 s and workflow tasks 30 s', () => {
    expect(functionProperties(template, 'applicant-api').Timeout).toBe(10);
    expect(functionProperties(template, 'operator-api').Timeout).toBe(10);
    expect(functionProperties(template, 'decide').Timeout).toBe(30);
  });

  it('limits object access to the cases/ prefix of the images bucket', () => {
    const s3Statements = allAllowStatements(template).filter((s) =>
      asArray(s.Action).some((action) => action.startsWith('s3:')),
    );
    const objectStatements = s3Statements.filter(
      (s) => !asArray(s.Action).includes('s3:ListBucket'),
    );
    expect(objectStatements.length).toBeGreaterThan(0);
    for (const statement of objectStatements) {
      // The whole prefix, or only its ID upload keys (cases/<id>/id/<attempt>).
      expect(statement.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
            expect.stringMatching(/^\/cases\/\*(\/id\/\*)?$/),
          ],
        ],
      });
    }
  });

  it('lets only the functions that check for uploads list the bucket, and nothing else with it', () => {
    const listStatements = allAllowStatements(template).filter((s) =>
      asArray(s.Action).includes('s3:ListBucket'),
    );
    expect(listStatements).toHaveLength(4);
    for (const statement of listStatements) {
      expect(asArray(statement.Action)).toEqual(['s3:ListBucket']);
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    }
  });

  it('points the API functions at the state machine by its fixed name', () => {
    const arn = (functionProperties(template, 'applicant-api').Environment as { Variables: Json })
      .Variables.STATE_MACHINE_ARN as { 'Fn::Join': [string, unknown[]] };
    expect(arn['Fn::Join'][1].at(-1)).toBe(`:stateMachine:${stateMachineName}`);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: stateMachineName,
    });
  });
});

describe('permissions across the stack', () => {
  it('grants no wildcard action at all (so none on rekognition, textract, s3 or dynamodb)', () => {
    const actions = allAllowStatements(template).flatMap((s) => asArray(s.Action));
    expect(actions.some((action) => action.startsWith('rekognition:'))).toBe(true);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('lets guests of the identity pool only start a Face Liveness session', () => {
    const guestRoles = Object.entries(resources(template, 'AWS::IAM::Role')).filter(([, role]) =>
      JSON.stringify(role).includes('"cognito-identity.amazonaws.com:amr":"unauthenticated"'),
    );
    expect(guestRoles).toHaveLength(1);
    const [guestRoleId] = guestRoles[0] as [string, Json];
    expect(allowedActions(statementsOfRole(template, guestRoleId))).toEqual([
      'rekognition:StartFaceLivenessSession',
    ]);

    template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: true,
    });
    const attachments = Object.values(
      resources(template, 'AWS::Cognito::IdentityPoolRoleAttachment'),
    );
    expect(attachments).toHaveLength(1);
    expect((attachments[0] as { Properties: { Roles: Json } }).Properties.Roles).toEqual({
      unauthenticated: { 'Fn::GetAtt': [guestRoleId, 'Arn'] },
    });
  });
});

describe('data', () => {
  it('encrypts images with the customer-managed key and blocks public access', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: Match.anyValue(),
            },
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: [settings.webOrigin],
            AllowedMethods: ['PUT', 'GET'],
          }),
        ],
      },
    });
  });

  it('deletes case images after the default 30 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'cases/', ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('keeps cases in an on-demand table with KMS, PITR, TTL and both indexes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'review-queue',
          KeySchema: [
            { AttributeName: 'reviewQueue', KeyType: 'HASH' },
            { AttributeName: 'queuedAt', KeyType: 'RANGE' },
          ],
        }),
        Match.objectLike({
          IndexName: 'by-month',
          KeySchema: [
            { AttributeName: 'listPartition', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
        }),
      ]),
    });
  });

  it('publishes verdicts on a named custom bus', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'kyc-onboarding-KycTest' });
  });
});

describe('workflow', () => {
  it('is a Standard state machine logging ALL with execution data, traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
      DefinitionS3Location: Match.anyValue(),
    });
  });

  it('substitutes each placeholder with the ARN of its function', () => {
    const [machine] = Object.values(resources(template, 'AWS::StepFunctions::StateMachine'));
    const substitutions = (machine as { Properties: { DefinitionSubstitutions: Json } }).Properties
      .DefinitionSubstitutions;
    expect(Object.keys(substitutions).sort()).toEqual(Object.keys(workflowSubstitutions).sort());
    for (const [placeholder, name] of Object.entries(workflowSubstitutions)) {
      expect(substitutions[placeholder]).toEqual({
        'Fn::GetAtt': [functionLogicalId(template, name), 'Arn'],
      });
    }
  });

  it('may invoke exactly the eight task functions', () => {
    const [machine] = Object.values(resources(template, 'AWS::StepFunctions::StateMachine'));
    const roleId = (machine as { Properties: { RoleArn: { 'Fn::GetAtt': [string] } } }).Properties
      .RoleArn['Fn::GetAtt'][0];
    const invokes = statementsOfRole(template, roleId).filter((s) =>
      asArray(s.Action).some((action) => action.startsWith('lambda:')),
    );
    expect(invokes.flatMap((s) => asArray(s.Action))).toEqual(['lambda:InvokeFunction']);
    const invoked = invokes.flatMap((s) => asArray(s.Resource));
    const expected = Object.values(workflowSubstitutions).map((name) => ({
      'Fn::GetAtt': [functionLogicalId(template, name), 'Arn'],
    }));
    expect(invoked).toHaveLength(8);
    expect(invoked).toEqual(expect.arrayContaining(expected));
  });
});

describe('api', () => {
  const operatorRouteKeys = [
    'GET /ops/executions',
    'GET /ops/executions/{caseId}',
    'GET /ops/reviews',
    'POST /ops/reviews/{caseId}',
    'POST /ops/cases/{caseId}/erasure',
  ];
  const applicantRouteKeys = [
    'POST /cases',
    'GET /cases/{caseId}',
    'POST /cases/{caseId}/liveness-sessions',
    'POST /cases/{caseId}/id-upload-url',
    'POST /cases/{caseId}/submit',
  ];

  const routes = () =>
    Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map(
      (route) =>
        route.Properties as {
          RouteKey: string;
          AuthorizationType?: string;
          AuthorizerId?: unknown;
        },
    );

  it('has exactly the applicant and operator routes, and $default for the API’s own 404', () => {
    expect(
      routes()
        .map((route) => route.RouteKey)
        .sort(),
    ).toEqual([...applicantRouteKeys, ...operatorRouteKeys, '$default'].sort());
  });

  it('puts a Cognito JWT authorizer on operator routes only', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: Match.anyValue(), Audience: [Match.anyValue()] },
    });
    for (const route of routes()) {
      if (operatorRouteKeys.includes(route.RouteKey)) {
        expect(route.AuthorizationType).toBe('JWT');
        expect(route.AuthorizerId).toBeDefined();
      } else {
        expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('allows CORS from the web origin only, throttles and logs the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: [settings.webOrigin] }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: Match.anyValue(),
        ThrottlingBurstLimit: Match.anyValue(),
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });
});

describe('identity', () => {
  it('has an invite-only operator pool with MFA, a strong password policy and threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'operators' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
  });
});

describe('outputs', () => {
  it('tells the web app and operators where everything is', () => {
    const outputs = Object.keys(template.findOutputs('*')).sort();
    expect(outputs).toEqual(
      [
        'ApiUrl',
        'BucketName',
        'EventBusName',
        'IdentityPoolId',
        'Region',
        'StateMachineArn',
        'TableName',
        'UserPoolClientId',
        'UserPoolId',
        'WebUrl',
      ].sort(),
    );
  });
});
