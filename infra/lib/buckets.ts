import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { StageConfig } from './config';

/** Settings every oms bucket shares: private, TLS only, versioned, retained. */
export function secureBucketDefaults(): Partial<s3.BucketProps> {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/**
 * The seed's lifecycle: Infrequent Access after 30 days, Glacier after 90, expiry after
 * 7 years; old versions follow the same path and expire 90 days after being replaced.
 */
export function dataLifecycle(config: StageConfig): s3.LifecycleRule[] {
  const f = config.files;
  return [
    {
      id: 'seed-lifecycle',
      enabled: true,
      transitions: [
        { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(f.infrequentAccessAfterDays) },
        { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(f.glacierAfterDays) },
      ],
      expiration: Duration.days(f.expireAfterDays),
      noncurrentVersionTransitions: [
        { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(f.infrequentAccessAfterDays) },
      ],
      noncurrentVersionExpiration: Duration.days(f.noncurrentExpireAfterDays),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
  ];
}

/** Logs: straight to Infrequent Access, Glacier at 90 days, kept 7 years. */
export function archiveLifecycle(config: StageConfig): s3.LifecycleRule[] {
  return [
    {
      id: 'log-retention',
      enabled: true,
      transitions: [
        { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(config.files.infrequentAccessAfterDays) },
        { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(config.files.glacierAfterDays) },
      ],
      expiration: Duration.days(config.observability.logArchiveDays),
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
  ];
}

/**
 * The access-log bucket: S3 server access logs, ALB access logs and CloudFront standard logs.
 * SSE-S3 because ALB access logs support no other encryption; ACLs enabled (ObjectWriter)
 * because CloudFront standard logging writes with ACLs. Kept 7 years like the other logs.
 */
export function accessLogsBucketProps(config: StageConfig): s3.BucketProps {
  return {
    ...secureBucketDefaults(),
    encryption: s3.BucketEncryption.S3_MANAGED,
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    lifecycleRules: archiveLifecycle(config),
  };
}
