/*
 * The Lambda functions of the onboarding pipeline as plain data: what each one is given
 * (environment) and may do (IAM). The CDK construct builds from this list, and a bench or a
 * local runner can iterate the same entries without loading the CDK.
 */

export const functionNames = [
  'check-liveness',
  'analyze-document',
  'compare-faces',
  'estimate-age',
  'decide',
  'await-applicant',
  'queue-review',
  'record-verdict',
  'applicant-api',
  'operator-api',
] as const;
export type FunctionName = (typeof functionNames)[number];

/** Environment variables a function may receive; their values are resolved at deploy time. */
export type EnvironmentName =
  | 'TABLE_NAME'
  | 'BUCKET_NAME'
  | 'EVENT_BUS_NAME'
  | 'STATE_MACHINE_ARN'
  | 'AGE_GATE_MINIMUM_AGE'
  | 'AGE_GATE_BUFFER_YEARS'
  | 'OPERATOR_GROUP'
  | 'LIVENESS_KMS_KEY_ID'
  | 'LIVENESS_FAILURE_LIMIT'
  | 'LIVENESS_FAILURE_WINDOW_SECONDS'
  | 'LIVENESS_COOL_DOWN_SECONDS';

export type CaseObjectAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject';
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:Query';
export type StateMachineAction = 'states:StartExecution';
export type ExecutionAction = 'states:DescribeExecution' | 'states:GetExecutionHistory';
/** Actions the service authorization reference lists without any resource type. */
export type UnscopedAction =
  | 'rekognition:CreateFaceLivenessSession'
  | 'rekognition:GetFaceLivenessSessionResults'
  | 'rekognition:CompareFaces'
  | 'rekognition:DetectFaces'
  | 'textract:AnalyzeID'
  | 'states:SendTaskSuccess';

/** What a function may do; every resource-scoped grant names the resource it applies to. */
export interface FunctionAccess {
  /** Calls that cannot be scoped to a resource (granted on `*`). */
  readonly unscoped?: readonly UnscopedAction[];
  /** Object actions on the images bucket, limited to the `cases/` prefix. */
  readonly caseObjects?: readonly CaseObjectAction[];
  /** Object actions on the applicants' ID upload keys only (`cases/<id>/id/<attempt>`). */
  readonly uploadObjects?: readonly CaseObjectAction[];
  /** Item actions on the cases table. */
  readonly table?: readonly TableAction[];
  /**
   * `s3:ListBucket` on the images bucket: without it S3 answers 403 instead of 404 for a
   * missing object, and a missing upload would look like an access error.
   */
  readonly listCaseObjects?: boolean;
  /** Whether `dynamodb:Query` also applies to the table's secondary indexes. */
  readonly tableIndexes?: boolean;
  /** `events:PutEvents` on the verdict bus. */
  readonly publishVerdicts?: boolean;
  /** Actions on the onboarding state machine. */
  readonly stateMachine?: readonly StateMachineAction[];
  /** Actions on the executions of the onboarding state machine. */
  readonly executions?: readonly ExecutionAction[];
}

export interface FunctionSpec {
  readonly name: FunctionName;
  /** API handlers answer a browser (short timeout); workflow tasks are called by Step Functions. */
  readonly kind: 'api' | 'workflow-task';
  readonly memorySize: number;
  readonly environment: readonly EnvironmentName[];
  readonly access: FunctionAccess;
}

const ageGate = ['AGE_GATE_MINIMUM_AGE', 'AGE_GATE_BUFFER_YEARS'] as const;
/** The liveness rate limits: functions that count failures, refuse attempts or show them. */
const livenessLimits = [
  'LIVENESS_FAILURE_LIMIT',
  'LIVENESS_FAILURE_WINDOW_SECONDS',
  'LIVENESS_COOL_DOWN_SECONDS',
] as const;

export const functionSpecs: readonly FunctionSpec[] = [
  {
    name: 'check-liveness',
    kind: 'workflow-task',
    // Holds the reference image returned by GetFaceLivenessSessionResults while storing it.
    memorySize: 512,
    environment: ['TABLE_NAME', 'BUCKET_NAME', ...ageGate, ...livenessLimits],
    access: {
      unscoped: ['rekognition:GetFaceLivenessSessionResults'],
      caseObjects: ['s3:PutObject'],
      // GetItem and PutItem: a failed attempt is counted on the liveness limit items.
      table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    },
  },
  {
    name: 'analyze-document',
    kind: 'workflow-task',
    memorySize: 256,
    environment: ['TABLE_NAME', 'BUCKET_NAME'],
    access: {
      unscoped: ['textract:AnalyzeID'],
      caseObjects: ['s3:GetObject'],
      listCaseObjects: true,
      table: ['dynamodb:UpdateItem'],
    },
  },
  {
    name: 'compare-faces',
    kind: 'workflow-task',
    memorySize: 256,
    environment: ['BUCKET_NAME', ...ageGate],
    access: {
      unscoped: ['rekognition:CompareFaces'],
      caseObjects: ['s3:GetObject'],
      listCaseObjects: true,
    },
  },
  {
    name: 'estimate-age',
    kind: 'workflow-task',
    memorySize: 256,
    environment: ['TABLE_NAME', 'BUCKET_NAME'],
    access: {
      unscoped: ['rekognition:DetectFaces'],
      caseObjects: ['s3:GetObject'],
      table: ['dynamodb:UpdateItem'],
    },
  },
  {
    name: 'decide',
    kind: 'workflow-task',
    memorySize: 256,
    environment: ['TABLE_NAME', ...ageGate],
    access: { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
  },
  {
    name: 'await-applicant',
    kind: 'workflow-task',
    memorySize: 256,
    environment: ['TABLE_NAME'],
    access: { table: ['dynamodb:UpdateItem'] },
  },
  {
    name: 'queue-review',
    kind: 'workflow-task',
    memorySize: 256,
    environment: ['TABLE_NAME'],
    access: { table: ['dynamodb:UpdateItem'] },
  },
  {
    name: 'record-verdict',
    kind: 'workflow-task',
    memorySize: 256,
    environment: ['TABLE_NAME', 'EVENT_BUS_NAME'],
    // GetItem: a retried step reads back the verdict an earlier attempt stored.
    access: { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], publishVerdicts: true },
  },
  {
    name: 'applicant-api',
    kind: 'api',
    // More memory buys more CPU: the applicant waits on every cold start.
    memorySize: 512,
    environment: [
      'TABLE_NAME',
      'BUCKET_NAME',
      'STATE_MACHINE_ARN',
      ...ageGate,
      'LIVENESS_KMS_KEY_ID',
      ...livenessLimits,
    ],
    access: {
      // GetFaceLivenessSessionResults: the outcome of sessions never submitted, counted
      // against the liveness limits before a new session is created.
      unscoped: [
        'rekognition:CreateFaceLivenessSession',
        'rekognition:GetFaceLivenessSessionResults',
        'states:SendTaskSuccess',
      ],
      // PutObject: the pinned copy of an ID photo at submit (cases/<id>/evidence/).
      caseObjects: ['s3:PutObject', 's3:GetObject'],
      // A new upload URL for an attempt clears its earlier photo: the URL only creates.
      uploadObjects: ['s3:DeleteObject'],
      listCaseObjects: true,
      table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      stateMachine: ['states:StartExecution'],
    },
  },
  {
    name: 'operator-api',
    kind: 'api',
    memorySize: 512,
    environment: [
      'TABLE_NAME',
      'BUCKET_NAME',
      'STATE_MACHINE_ARN',
      'OPERATOR_GROUP',
      ...livenessLimits,
    ],
    access: {
      unscoped: ['states:SendTaskSuccess'],
      // DeleteObject: the erasure of a case's images (POST /ops/cases/{caseId}/erasure).
      caseObjects: ['s3:GetObject', 's3:DeleteObject'],
      // PutObject: the empty seal an erasure leaves on each upload key (If-None-Match: *).
      uploadObjects: ['s3:PutObject'],
      listCaseObjects: true,
      table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      tableIndexes: true,
      executions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
    },
  },
];

/** Timeouts in seconds: an API answers a waiting browser, a task runs inside the workflow's own retries. */
export const timeoutSeconds: Readonly<Record<FunctionSpec['kind'], number>> = {
  api: 10,
  'workflow-task': 30,
};

/** The Powertools service name shared by every function (`POWERTOOLS_SERVICE_NAME`). */
export const serviceName = 'kyc-onboarding';

/** The Cognito group whose members may use the operator routes. */
export const operatorGroupName = 'operators';

/**
 * KMS actions a function needs on the data key, derived from its access: reading an
 * SSE-KMS object or an item decrypts; writing an object generates a data key; writing an
 * item encrypts.
 */
export function kmsActionsOf(access: FunctionAccess): string[] {
  const actions = new Set<string>();
  const objects = [...(access.caseObjects ?? []), ...(access.uploadObjects ?? [])];
  const items = access.table ?? [];
  if (objects.includes('s3:GetObject')) actions.add('kms:Decrypt');
  if (objects.includes('s3:PutObject')) actions.add('kms:GenerateDataKey');
  if (items.length > 0) actions.add('kms:Decrypt');
  if (items.some((action) => action === 'dynamodb:PutItem' || action === 'dynamodb:UpdateItem')) {
    actions.add('kms:Encrypt');
  }
  return [...actions].sort();
}
