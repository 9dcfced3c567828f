import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import { accessLogsBucketProps, dataLifecycle, secureBucketDefaults } from './buckets';
import { replicaBucketName, replicaKeyAlias } from './files';
import { applyTags } from './tags';

export interface ReplicaStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The disaster-recovery region: the replica of the attachments bucket and its KMS key.
 * Deployed before the main stack (which replicates into it).
 */
export class ReplicaStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ReplicaStackProps) {
    super(scope, id, props);
    const { config } = props;
    const stage = config.stage;

    this.key = new kms.Key(this, 'Key', {
      alias: replicaKeyAlias(stage),
      description: `oms ${stage}: replica of the attachments bucket (disaster recovery)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', accessLogsBucketProps(config));

    this.bucket = new s3.Bucket(this, 'Attachments', {
      ...secureBucketDefaults(),
      bucketName: replicaBucketName(stage),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      lifecycleRules: dataLifecycle(config),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: `${replicaBucketName(stage)}/`,
    });

    applyTags(this, config);
    applyTags(this.bucket, config, 'PII');
  }
}
