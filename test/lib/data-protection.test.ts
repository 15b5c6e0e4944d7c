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
  const images = Object.entries(resources(template, 'AWS::S3::Bucket')).filter(
    ([, bucket]) => 'LoggingConfiguration' in (bucket.Properties as Record<string, unknown>),
  );
  expect(images).toHaveLength(1);
  imagesBucketId = (images[0] as [string, unknown])[0];
});

const guarded = /^(rekognition|textract|s3):/;
const touchesGuarded = (statement: Statement) =>
  asArray(statement.Action ?? []).some((action) => guarded.test(action) || action === '*');

describe('IAM: no wildcard on Rekognition, Textract or the data bucket', () => {
  it('no identity policy allows a wildcard action or a NotAction', () => {
    const statements = allAllowStatements(template);
    expect(statements.filter(touchesGuarded).length).toBeGreaterThan(5);
    for (const statement of statements) {
      expect(statement, JSON.stringify(statement)).not.toHaveProperty('NotAction');
      for (const action of asArray(statement.Action)) {
        expect(action, JSON.stringify(statement)).not.toMatch(/\*|\?/);
      }
    }
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
    const s3Statements = allAllowStatements(template).filter((statement) =>
      asArray(statement.Action).some((action) => action.startsWith('s3:')),
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
        expect(resourcesGranted).toEqual([casesArn]);
      }
    }
  });

  it('lets only the operator API delete objects, under cases/ only', () => {
    const deleting = allAllowStatements(template).filter((statement) =>
      asArray(statement.Action).includes('s3:DeleteObject'),
    );
    expect(deleting).toHaveLength(1);
    const operatorStatements = statementsOfRole(template, roleOfFunction(template, 'operator-api'));
    expect(operatorStatements).toContainEqual(deleting[0]);
    for (const name of ['applicant-api', 'check-liveness', 'compare-faces']) {
      const own = statementsOfRole(template, roleOfFunction(template, name));
      expect(own.flatMap((s) => asArray(s.Action))).not.toContain('s3:DeleteObject');
    }
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
    const apis = Object.values(resources(template, 'AWS::ApiGatewayV2::Api'));
    expect(apis).toHaveLength(1);
    expect(
      (apis[0]?.Properties as { CorsConfiguration: { AllowOrigins: string[] } }).CorsConfiguration
        .AllowOrigins,
    ).toEqual([settings.webOrigin]);

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
