import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageKeys } from '../../functions/adapters/image-store.js';
import { imageRetentionRule } from '../../lib/image-retention.js';
import { OnboardingData } from '../../lib/onboarding-data.js';

// The data construct alone, with non-default settings: no functions to bundle.
let template: Template;
beforeAll(() => {
  const stack = new Stack(new App(), 'DataTest');
  new OnboardingData(stack, 'Data', {
    webOrigin: 'https://kyc.example.org',
    imageRetentionDays: 7,
    tableDeletionProtection: false,
    eventBusName: 'kyc-onboarding-test',
  });
  template = Template.fromStack(stack);
});

describe('OnboardingData', () => {
  it('expires case images after the configured number of days and aborts stale uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'cases/', ExpirationInDays: 7, Status: 'Enabled' }),
          Match.objectLike({
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          }),
        ]),
      },
    });
  });

  it('takes the rule from the module the local sweeper uses, and the rule covers every image key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: imageRetentionRule.id,
            Prefix: imageRetentionRule.prefix,
            ExpirationInDays: 7,
            NoncurrentVersionExpiration: {
              NoncurrentDays: imageRetentionRule.noncurrentVersionDays,
            },
          }),
        ]),
      },
    });
    const everyKind = [
      imageKeys.idImage('c1', 3),
      imageKeys.referenceImage('c1', 's1'),
      imageKeys.auditImage('c1', 's1', 1),
      ...imageKeys.livenessOutputs('c1', 's1'),
      `${imageKeys.livenessPrefix('c1')}/s1/reference.jpg`,
    ];
    for (const key of everyKind) expect(key.startsWith(imageRetentionRule.prefix)).toBe(true);
  });

  it('keeps the images bucket unversioned: a deleted image leaves no older version behind', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket')).map(
      (bucket) => bucket.Properties as Record<string, unknown>,
    );
    const images = buckets.filter((bucket) => 'LoggingConfiguration' in bucket);
    expect(images).toHaveLength(1);
    expect(images[0]).not.toHaveProperty('VersioningConfiguration');
  });

  it('allows browser PUT and GET on images from the web origin only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: ['https://kyc.example.org'],
            AllowedMethods: ['PUT', 'GET'],
          }),
        ],
      },
    });
    const origins = Object.values(template.findResources('AWS::S3::Bucket')).flatMap((bucket) =>
      (
        (bucket.Properties as { CorsConfiguration?: { CorsRules: { AllowedOrigins: string[] }[] } })
          .CorsConfiguration?.CorsRules ?? []
      ).flatMap((rule) => rule.AllowedOrigins),
    );
    expect(origins).toEqual(['https://kyc.example.org']);
  });

  it('encrypts the images with the rotated customer-managed key and logs accesses to a separate bucket', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket')).map(
      (bucket) => bucket.Properties as Record<string, unknown>,
    );
    expect(buckets).toHaveLength(2);
    const images = buckets.find((bucket) => 'LoggingConfiguration' in bucket);
    const [keyId] = Object.keys(
      template.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } }),
    );
    expect(images?.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        },
      ],
    });
    for (const bucket of buckets) {
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('denies non-TLS requests on both buckets', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('encrypts the table with the same key, with PITR, and honours the deletion protection setting', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: false,
    });
  });
});
