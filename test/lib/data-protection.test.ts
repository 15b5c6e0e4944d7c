import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageRetentionRule } from '../../lib/image-retention.js';
import { defaultSettings, type OnboardingSettings } from '../../lib/onboarding-settings.js';
import { OnboardingStack } from '../../lib/onboarding-stack.js';
import {
  allAllowStatements,
  asArray,
  resources,
  roleOfFunction,
  type Statement,
  statementsOfRole,
} from './template-queries.js';

const settings: OnboardingSettings = {
  ...defaultSettings,
  webOrigin: 'https://kyc.bank.example',
};

let template: Template;
let imagesBucketId: string;
beforeAll(() => {
  // Bundling skipped: these tests read policies and CORS, never the function code.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new OnboardingStack(app, 'KycDataProtection', { settings }));
  // The images bucket is the one carrying the case images' retention rule.
  const images = Object.entries(resources(template, 'AWS::S3::Bucket')).filter(([, bucket]) =>
    JSON.stringify(bucket.Properties).includes(`"Id":"${imageRetentionRule.id}"`),
  );
  expect(images).toHaveLength(1);
  imagesBucketId = (images[0] as [string, unknown])[0];
});

const objectsArn = (pattern: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [imagesBucketId, 'Arn'] }, `/${pattern}`]],
});
const casesArn = () => objectsArn(`${imageRetentionRule.prefix}*`);
/** The applicants' ID upload keys, the only target of a presigned URL. */
const uploadsArn = () => objectsArn(`${imageRetentionRule.prefix}*/id/*`);

const isWildcard = (action: string) => /[*?]/.test(action);
/** Whether a statement's resources include the images bucket (or its objects) or everything. */
const reachesImages = (statement: Statement) =>
  asArray(statement.Resource as unknown).some(
    (resource) => resource === '*' || JSON.stringify(resource).includes(`"${imagesBucketId}"`),
  );

/** The statements that grant a wildcard on Rekognition, Textract or the images bucket. */
function wildcardGrants(statements: readonly Statement[]): Statement[] {
  return statements.filter(
    (statement) =>
      // An Allow with NotAction grants everything else: a wildcard in disguise.
      'NotAction' in statement ||
      asArray(statement.Action).some(
        (action) =>
          isWildcard(action) &&
          (/^(rekognition|textract):/.test(action) || action === '*' || reachesImages(statement)),
      ),
  );
}

describe('IAM: no wildcard on Rekognition, Textract or the data bucket', () => {
  it('no identity policy has a wildcard action on Rekognition or Textract, or any on the images bucket', () => {
    const statements = allAllowStatements(template);
    expect(statements.filter(reachesImages).length).toBeGreaterThan(5);
    expect(wildcardGrants(statements)).toEqual([]);
  });

  it('the check finds each kind of wildcard grant', () => {
    const images = { 'Fn::GetAtt': [imagesBucketId, 'Arn'] };
    const offending: Statement[] = [
      { Effect: 'Allow', Action: '*', Resource: 'arn:aws:sqs:eu-west-1:1:queue' },
      { Effect: 'Allow', Action: 'rekognition:*', Resource: '*' },
      { Effect: 'Allow', Action: ['textract:Analyze*'], Resource: '*' },
      { Effect: 'Allow', Action: 's3:Get*', Resource: { 'Fn::Join': ['', [images, '/cases/*']] } },
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } as unknown as Statement,
    ];
    expect(wildcardGrants(offending)).toEqual(offending);
    expect(
      wildcardGrants([
        { Effect: 'Allow', Action: 's3:GetObject*', Resource: 'arn:aws:s3:::web/*' },
      ]),
    ).toEqual([]);
  });

  it('allows exactly the Rekognition and Textract calls the design names', () => {
    const actions = new Set(
      allAllowStatements(template)
        .flatMap((statement) => asArray(statement.Action))
        .filter((action) => /^(rekognition|textract):/.test(action)),
    );
    expect([...actions].sort()).toEqual([
      'rekognition:CompareFaces',
      'rekognition:CreateFaceLivenessSession',
      'rekognition:DetectFaces',
      'rekognition:GetFaceLivenessSessionResults',
      'rekognition:StartFaceLivenessSession',
      'textract:AnalyzeID',
    ]);
  });

  it('scopes every S3 grant to the images bucket: objects under cases/, the bucket itself only to list', () => {
    const bucketArn = { 'Fn::GetAtt': [imagesBucketId, 'Arn'] };
    const casesArn = { 'Fn::Join': ['', [bucketArn, `/${imageRetentionRule.prefix}*`]] };
    const s3Statements = allAllowStatements(template).filter(
      (statement) =>
        asArray(statement.Action).some((action) => action.startsWith('s3:')) &&
        reachesImages(statement),
    );
    expect(s3Statements.length).toBeGreaterThan(0);
    for (const statement of s3Statements) {
      const actions = asArray(statement.Action);
      // One kind of grant per statement: no object action rides along on the bucket ARN.
      expect(actions.every((action) => action.startsWith('s3:'))).toBe(true);
      const resourcesGranted = asArray(statement.Resource as unknown);
      if (actions.includes('s3:ListBucket')) {
        expect(actions).toEqual(['s3:ListBucket']);
        expect(resourcesGranted).toEqual([bucketArn]);
      } else {
        expect([[casesArn], [uploadsArn()]]).toContainEqual(resourcesGranted);
      }
    }
  });

  it('lets the operator API delete under cases/ (erasure) and the applicant API only upload keys (a retake)', () => {
    const deleting = allAllowStatements(template).filter((statement) =>
      asArray(statement.Action).includes('s3:DeleteObject'),
    );
    expect(deleting).toHaveLength(2);
    const operatorStatements = statementsOfRole(template, roleOfFunction(template, 'operator-api'));
    expect(operatorStatements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:DeleteObject'],
        Resource: casesArn(),
      }),
    );
    const applicantStatements = statementsOfRole(
      template,
      roleOfFunction(template, 'applicant-api'),
    );
    expect(applicantStatements).toContainEqual(
      expect.objectContaining({ Action: 's3:DeleteObject', Resource: uploadsArn() }),
    );
    for (const name of ['check-liveness', 'compare-faces', 'analyze-document', 'estimate-age']) {
      const own = statementsOfRole(template, roleOfFunction(template, name));
      expect(own.flatMap((s) => asArray(s.Action))).not.toContain('s3:DeleteObject');
    }
  });

  it('the bucket policy makes ID uploads and pinned evidence create-only, and evidence the applicant API’s alone', () => {
    const statements = Object.values(resources(template, 'AWS::S3::BucketPolicy'))
      .filter((policy) => JSON.stringify(policy).includes(`"${imagesBucketId}"`))
      .flatMap(
        (policy) =>
          (policy.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } })
            .PolicyDocument.Statement,
      );
    const objects = (pattern: string) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [imagesBucketId, 'Arn'] }, `/${pattern}`]],
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: [objects('cases/*/id/*'), objects('cases/*/evidence/*')],
        Condition: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    const applicantRole = roleOfFunction(template, 'applicant-api');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: objects('cases/*/evidence/*'),
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [applicantRole, 'Arn'] } },
        },
      }),
    );
  });

  it('grants nothing on the data bucket or the key through resource policies except TLS denials and log delivery', () => {
    for (const policy of Object.values(resources(template, 'AWS::S3::BucketPolicy'))) {
      const statements = (
        policy.Properties as {
          PolicyDocument: { Statement: (Statement & { Principal?: unknown })[] };
        }
      ).PolicyDocument.Statement;
      for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
        expect(statement.Principal).toEqual({ Service: 'logging.s3.amazonaws.com' });
        expect(asArray(statement.Action)).toEqual(['s3:PutObject']);
      }
    }
  });
});

describe('CORS: the configured web origin only', () => {
  it('the HTTP API and every bucket CORS rule allow settings.webOrigin and nothing else', () => {
    const apis = Object.values(resources(template, 'AWS::ApiGatewayV2::Api')).map(
      (api) => api.Properties as { CorsConfiguration: { AllowOrigins: string[] } },
    );
    expect(apis.map((api) => api.CorsConfiguration.AllowOrigins)).toEqual([[settings.webOrigin]]);

    const bucketOrigins = Object.values(resources(template, 'AWS::S3::Bucket')).flatMap((bucket) =>
      (
        (bucket.Properties as { CorsConfiguration?: { CorsRules: { AllowedOrigins: string[] }[] } })
          .CorsConfiguration?.CorsRules ?? []
      ).map((rule) => rule.AllowedOrigins),
    );
    expect(bucketOrigins).toEqual([[settings.webOrigin]]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"Allow(ed)?Origins":\[[^\]]*"\*"/);
  });
});
