import { Duration } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import {
  caseImagesPrefix,
  idEvidenceKeys,
  idUploadKeys,
  imageRetentionRule,
} from './image-retention.js';

/** Prefix of every case's images in the bucket: the lifecycle rule and the IAM grants use it. */
export { caseImagesPrefix, idUploadKeys };

/** Names of the cases table's secondary indexes, as the functions query them. */
export const tableIndexes = {
  reviewQueue: { indexName: 'review-queue', partitionKey: 'reviewQueue', sortKey: 'queuedAt' },
  byMonth: { indexName: 'by-month', partitionKey: 'listPartition', sortKey: 'createdAt' },
} as const;

export interface OnboardingDataProps {
  /** Browser origin allowed to PUT (presigned uploads) and GET images. */
  readonly webOrigin: string;
  /** Days after which a case's images are deleted. */
  readonly imageRetentionDays: number;
  /** Protects the cases table against deletion. */
  readonly tableDeletionProtection: boolean;
  /** Name of the EventBridge bus verdicts are published on. */
  readonly eventBusName: string;
}

/**
 * Where a case lives: its images (S3), its record and review tokens (DynamoDB), its verdict
 * event (EventBridge), all encrypted with one customer-managed key.
 */
export class OnboardingData extends Construct {
  readonly key: Key;
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly table: Table;
  readonly eventBus: EventBus;

  constructor(scope: Construct, id: string, props: OnboardingDataProps) {
    super(scope, id);
    // Log delivery through a bucket policy, not the legacy ACL, so ACLs stay disabled on both
    // buckets. Set here rather than in cdk.json so that tests build the same resources.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.key = new Key(this, 'DataKey', {
      description: 'KYC onboarding: case images, case records and liveness audit images',
      enableKeyRotation: true,
    });

    // SSE-KMS is not supported for server access log destinations, hence S3-managed keys here.
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });

    this.bucket = new Bucket(this, 'Images', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Unversioned on purpose: a deleted biometric image must be gone, not kept as a
      // noncurrent version; objects are written once per key (attempt numbers in the key).
      versioned: false,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'images/',
      lifecycleRules: [
        {
          // Every image lives under the prefix: ID photos, and the liveness reference and
          // audit images Rekognition and check-liveness write under cases/<id>/liveness/.
          id: imageRetentionRule.id,
          prefix: imageRetentionRule.prefix,
          expiration: Duration.days(props.imageRetentionDays),
          noncurrentVersionExpiration: Duration.days(imageRetentionRule.noncurrentVersionDays),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [
        {
          // Presigned PUT of the ID photo and GET of evidence happen in the browser.
          allowedOrigins: [props.webOrigin],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
    });

    // Create-only: a presigned URL cannot replace an uploaded photo, nor anyone a pinned copy
    // or an erasure's seal (the URLs and the API send If-None-Match: *).
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'IdImagesAreCreateOnly',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [
          this.bucket.arnForObjects(idUploadKeys),
          this.bucket.arnForObjects(idEvidenceKeys),
        ],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );

    this.table = new Table(this, 'Cases', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.tableDeletionProtection,
      timeToLiveAttribute: 'expiresAt',
    });
    for (const index of Object.values(tableIndexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.eventBus = new EventBus(this, 'Verdicts', { eventBusName: props.eventBusName });
  }

  /** Only the role that pins ID photos at submit may write the evidence copies. */
  restrictEvidenceWriters(pinner: IRole): void {
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EvidenceOnlyFromTheApplicantApi',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(idEvidenceKeys)],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': pinner.roleArn } },
      }),
    );
  }
}
