import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../lib/onboarding-settings.js';
import { OnboardingStack } from '../../lib/onboarding-stack.js';
import { resources } from './template-queries.js';
import { webBuildFixture } from './web-build-fixture.js';

type Json = Record<string, unknown>;

const settings = { ...defaultSettings, webOrigin: 'https://onboarding.example.com' };

function synth(webBuildFolder?: string): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(
    new OnboardingStack(app, 'KycWeb', { settings, ...(webBuildFolder ? { webBuildFolder } : {}) }),
  );
}

function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(resources(template, type));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('web hosting', () => {
  let template: Template;
  let distribution: string;
  let distributionOrigin: Json;

  beforeAll(() => {
    template = synth(webBuildFixture());
    distribution = onlyLogicalId(template, 'AWS::CloudFront::Distribution');
    distributionOrigin = {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }]],
    };
  });

  it('serves the build from a private bucket through CloudFront, /ops and other routes via index.html', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
        CustomErrorResponses: [403, 404].map((ErrorCode) => ({
          ErrorCode,
          ResponseCode: 200,
          ResponsePagePath: '/index.html',
          ErrorCachingMinTTL: 0,
        })),
        Logging: Match.objectLike({ Prefix: 'web-cdn/' }),
        // config.json changes with every deploy: CloudFront's CachingDisabled policy.
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/config.json',
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          }),
        ],
      }),
    });
    // Only CloudFront (this distribution) reads the site; nothing is public.
    const policies = Object.values(resources(template, 'AWS::S3::BucketPolicy'));
    const readers = policies.flatMap((policy) =>
      (((policy.Properties as Json).PolicyDocument as Json).Statement as Json[]).filter(
        (statement) => statement.Effect === 'Allow' && statement.Action === 's3:GetObject',
      ),
    );
    expect(readers).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': expect.objectContaining({
              'Fn::Join': ['', expect.arrayContaining([{ Ref: distribution }])],
            }),
          },
        },
      }),
    ]);
    template.resourcePropertiesCountIs(
      'AWS::S3::Bucket',
      {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
      Object.keys(resources(template, 'AWS::S3::Bucket')).length,
    );
  });

  it('writes /config.json at deploy time from the stack: API, identity pool, user pool and client', () => {
    const deployments = Object.values(resources(template, 'Custom::CDKBucketDeployment')).map(
      (resource) => resource.Properties as Json,
    );
    const pages = deployments.find((deployment) => deployment.DistributionPaths !== undefined);
    expect(pages?.DistributionPaths).toEqual(['/*']);
    expect(pages?.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    const markers = Object.values(
      Object.assign({}, ...((pages?.SourceMarkers ?? []) as Json[])) as Json,
    );
    const referenced = (type: string) =>
      Object.keys(resources(template, type)).map((id) => ({ Ref: id }));
    expect(markers).toEqual(
      expect.arrayContaining([
        ...referenced('AWS::ApiGatewayV2::Api'),
        ...referenced('AWS::Cognito::IdentityPool'),
        ...referenced('AWS::Cognito::UserPool'),
        ...referenced('AWS::Cognito::UserPoolClient'),
      ]),
    );
    // The hashed assets may be cached for good.
    expect(deployments.map((deployment) => deployment.SystemMetadata)).toContainEqual({
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });

  it('allows CORS for the distribution’s origin only, on the API and the images bucket', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [distributionOrigin] }),
    });
    const corsOrigins = Object.values(resources(template, 'AWS::S3::Bucket')).flatMap(
      (bucket) =>
        (((bucket.Properties as Json).CorsConfiguration as Json | undefined)?.CorsRules as
          | Json[]
          | undefined) ?? [],
    );
    expect(corsOrigins.length).toBeGreaterThan(0);
    for (const rule of corsOrigins) expect(rule.AllowedOrigins).toEqual([distributionOrigin]);
    template.hasOutput('WebUrl', { Value: distributionOrigin });
  });

  it('without a build to host: no distribution, CORS for the configured web origin', () => {
    const selfHosted = synth();
    selfHosted.resourceCountIs('AWS::CloudFront::Distribution', 0);
    selfHosted.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [settings.webOrigin] }),
    });
    selfHosted.hasOutput('WebUrl', { Value: settings.webOrigin });
  });
});
