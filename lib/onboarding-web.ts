import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { cfnReference } from './cfn-reference.js';

/** What the one web build reads from `/config.json` in AWS mode (web/src/lib/runtime-config.ts). */
export interface AwsWebConfig {
  readonly apiUrl: string;
  readonly region: string;
  readonly identityPoolId: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

export interface OnboardingWebProps {
  /** The production build (`npm run build:web` writes web/dist). */
  readonly buildFolder: string;
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Hosts the web app: the build in a private bucket behind CloudFront (origin access control),
 * every unknown path answered with index.html so that /ops loads the app, and `/config.json`
 * written at deploy time from the stack's own outputs, so the same build runs here and locally.
 */
export class OnboardingWeb extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain>: the browser origin the API's and the images' CORS allow. */
  readonly origin: string;
  readonly #buildFolder: string;

  constructor(scope: Construct, id: string, props: OnboardingWebProps) {
    super(scope, id);
    this.#buildFolder = props.buildFolder;
    // CloudFront's standard logs are delivered with an ACL, so this bucket allows them (the
    // data's access-log bucket has ACLs disabled).
    const logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    acknowledge(
      logs,
      'AwsSolutions-S1',
      'This bucket holds the web hosting access logs; logging its own access would recurse.',
    );
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only the build lives here; a redeploy rewrites it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'web-site/',
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'KYC onboarding web app: security headers',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          // The camera is the point of the app; nothing else is.
          {
            header: 'permissions-policy',
            value: 'camera=(self), microphone=(), geolocation=()',
            override: true,
          },
        ],
      },
    });

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'KYC onboarding web app',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'web-cdn/',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: {
        // Settings change with every deploy: never served from a cache.
        '/config.json': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          responseHeadersPolicy: headers,
        },
      },
      // A private bucket answers 403 for a missing key: client-side routes such as /ops.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Applicants may onboard from any country the bank serves; geo restrictions are a per-bank decision.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'The site is static files; the API behind it has its own stage throttling. Attach a WAF web ACL per bank policy.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The distribution uses the CloudFront default certificate (no custom domain), whose security policy is fixed by AWS; a bank adds its domain and certificate with a TLSv1.2_2021 minimum.',
    );
  }

  /** Uploads the build and writes `/config.json` with the deployed stack's values. */
  publish(config: AwsWebConfig): void {
    const distribution = this.distribution;
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(join(this.#buildFolder, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      // Hashed file names: a new build never reuses one, so they may be cached for good.
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
    });
    const pages = new BucketDeployment(this, 'Pages', {
      sources: [
        // index.html, and the detector's model and WASM under fixed names: revalidated.
        Source.asset(this.#buildFolder, { exclude: ['assets', 'config.json'] }),
        Source.jsonData('config.json', {
          apiUrl: config.apiUrl,
          mode: 'aws',
          region: config.region,
          liveness: {
            identityPoolId: config.identityPoolId,
            // The build ships the detector's model and WASM: no third-party CDN at run time.
            faceModelUrl: `${this.origin}/liveness/face-model/facemesh-detection-short.json`,
            wasmPath: `${this.origin}/liveness/tfjs-wasm/`,
          },
          auth: {
            kind: 'cognito',
            userPoolId: config.userPoolId,
            userPoolClientId: config.userPoolClientId,
          },
        }),
      ],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution,
      distributionPaths: ['/*'],
    });
    // The assets must be there before index.html points at them.
    pages.node.addDependency(assets);
    this.#acknowledgeDeploymentHandler();
  }

  /** CDK's one BucketDeployment handler per stack, a construct of its own at the stack's root. */
  #acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) return;
    const why =
      'CDK-managed BucketDeployment handler: it runs only during deploys, copying the web build from the CDK asset bucket to the site bucket and invalidating the distribution';
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${why}; it logs through AWSLambdaBasicExecutionRole.`,
    );
    const qualifier: unknown =
      stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? 'hnb659fds';
    const wildcards = [
      ...['GetObject*', 'GetBucket*', 'List*', 'DeleteObject*', 'Abort*'].map(
        (action) => `Action::s3:${action}`,
      ),
      `Resource::arn:<AWS::Partition>:s3:::cdk-${String(qualifier)}-assets-<AWS::AccountId>-<AWS::Region>/*`,
      `Resource::${cfnReference(this.bucket, 'Arn')}/*`,
      'Resource::*',
    ];
    for (const wildcard of wildcards) {
      acknowledge(
        handler,
        `AwsSolutions-IAM5[${wildcard}]`,
        `${why}; CDK grants it read on the asset bucket, write on the site bucket and CloudFront invalidations (no resource type), with these wildcards.`,
      );
    }
    acknowledge(handler, 'AwsSolutions-L1', `${why}; CDK pins its runtime.`);
  }
}
