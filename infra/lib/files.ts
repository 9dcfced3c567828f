import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import { dataLifecycle, secureBucketDefaults } from './buckets';
import { acknowledge } from './nag';

export function attachmentsBucketName(stage: string): string {
  return `opportunity-attachments-${stage}`;
}
export function exportsBucketName(stage: string): string {
  return `opportunity-exports-${stage}`;
}
export function replicaBucketName(stage: string): string {
  return `opportunity-attachments-${stage}-replica`;
}
export function replicaKeyAlias(stage: string): string {
  return `alias/oms-${stage}-attachments-replica`;
}

export interface FilesProps {
  readonly config: StageConfig;
  readonly accessLogsBucket: s3.IBucket;
  /** Origins allowed to upload with pre-signed URLs (CORS). */
  readonly corsAllowedOrigins: string[];
  /** PEM public key whose private half signs CloudFront URLs for attachments. */
  readonly cdnPublicKeyPem: string;
  /** Countries CloudFront refuses (the same list as the WAF geo rule). */
  readonly geoBlockedCountries: string[];
}

/**
 * The seed's file storage: the attachments and exports buckets (versioned, KMS, private,
 * TLS only, IA at 30 days, Glacier at 90, expiry at 7 years), CORS for pre-signed uploads,
 * cross-region replication of attachments, and a CloudFront distribution for attachments
 * behind origin access control that serves only signed URLs.
 */
export class Files extends Construct {
  readonly key: kms.Key;
  readonly attachments: s3.Bucket;
  readonly exports: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly replicationRole: iam.Role;
  readonly cdnPublicKey: cloudfront.PublicKey;
  readonly cdnSigningKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: FilesProps) {
    super(scope, id);
    const { config } = props;
    const stage = config.stage;
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/oms-${stage}-files`,
      description: `oms ${stage}: attachments and exports buckets`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const cors: s3.CorsRule[] = [
      {
        id: 'presigned-uploads',
        allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
        allowedOrigins: props.corsAllowedOrigins,
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag', 'x-amz-version-id'],
        maxAge: 3000,
      },
    ];

    const bucket = (cid: string, name: string) =>
      new s3.Bucket(this, cid, {
        ...secureBucketDefaults(),
        bucketName: name,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        lifecycleRules: dataLifecycle(config),
        cors,
        serverAccessLogsBucket: props.accessLogsBucket,
        serverAccessLogsPrefix: `${name}/`,
      });

    this.attachments = bucket('Attachments', attachmentsBucketName(stage));
    this.exports = bucket('Exports', exportsBucketName(stage));

    // ---- cross-region replication of attachments (the replica stack owns the target) ----
    const replicaBucketArn = `arn:${stack.partition}:s3:::${replicaBucketName(stage)}`;
    const replicaKeyAliasArn = `arn:${stack.partition}:kms:${config.replicaRegion}:${stack.account}:${replicaKeyAlias(stage)}`;
    this.replicationRole = new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: `oms ${stage}: replicate attachments to ${config.replicaRegion}`,
    });
    const policy = new iam.Policy(this, 'ReplicationPolicy', {
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [this.attachments.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
          resources: [this.attachments.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          resources: [`${replicaBucketArn}/*`],
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.key.keyArn],
          conditions: { StringLike: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
        // The replica key lives in the replica stack (another region): it is found by alias.
        new iam.PolicyStatement({
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [`arn:${stack.partition}:kms:${config.replicaRegion}:${stack.account}:key/*`],
          conditions: {
            'StringLike': { 'kms:ViaService': `s3.${config.replicaRegion}.amazonaws.com` },
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': replicaKeyAlias(stage) },
          },
        }),
      ],
    });
    policy.attachToRole(this.replicationRole);
    acknowledge(policy, [
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.attachments.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      `AwsSolutions-IAM5[Resource::${replicaBucketArn}/*]`,
      `AwsSolutions-IAM5[Resource::arn:${stack.partition}:kms:${config.replicaRegion}:<AWS::AccountId>:key/*]`,
    ], 'Replication reads every object version of the attachments bucket and writes each into the replica bucket (the whole bucket is replicated); the replica key lives in another region and stack, so its id is unknown here and the statement is narrowed to it by the kms:ResourceAliases and kms:ViaService conditions.');

    const cfnAttachments = this.attachments.node.defaultChild as s3.CfnBucket;
    cfnAttachments.replicationConfiguration = {
      role: this.replicationRole.roleArn,
      rules: [
        {
          id: 'disaster-recovery',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: replicaBucketArn,
            encryptionConfiguration: { replicaKmsKeyId: replicaKeyAliasArn },
            ...(config.files.replicationTimeControl
              ? {
                  replicationTime: { status: 'Enabled', time: { minutes: 15 } },
                  metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
                }
              : {}),
          },
        },
      ],
    };

    // ---- CloudFront for attachments: OAC to S3, signed URLs only ----
    // The private half of AttachmentsCdnPublicKey: generated offline, stored here by the
    // operator (docs/operations.md, "First deployment"); the placeholder is random.
    this.cdnSigningKey = new secretsmanager.Secret(this, 'CdnSigningKey', {
      secretName: `oms/${stage}/cdn/signing-key`,
      description: `oms ${stage}: PEM RSA private key that signs CloudFront URLs for attachments`,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.cdnSigningKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'An RSA key pair made offline cannot be rotated by a Lambda: it is rotated by the runbook (docs/operations.md, "Rotate the CloudFront signing key"): add the new public key to the key group, switch the service, then remove the old key.',
    });
    this.cdnPublicKey = new cloudfront.PublicKey(this, 'CdnPublicKey', {
      encodedKey: props.cdnPublicKeyPem,
      comment: `oms ${stage}: verifies attachment download URLs signed by the API`,
    });
    const keyGroup = new cloudfront.KeyGroup(this, 'CdnKeyGroup', {
      items: [this.cdnPublicKey],
      comment: `oms ${stage} attachment signers`,
    });

    // Downloads are signed by the API with the file's name and type as S3 response overrides
    // (response-content-disposition, response-content-type): they are forwarded to the origin and
    // part of the cache key. Otherwise CachingOptimized's TTLs and compression.
    const cachePolicy = new cloudfront.CachePolicy(this, 'CdnCachePolicy', {
      cachePolicyName: `oms-${stage}-attachments`,
      comment: `oms ${stage}: signed attachment downloads with S3 response overrides`,
      defaultTtl: Duration.days(1),
      minTtl: Duration.seconds(1),
      maxTtl: Duration.days(365),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList('response-content-disposition', 'response-content-type'),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: `oms ${stage} attachments`,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.attachments),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        trustedKeyGroups: [keyGroup],
        compress: true,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
      enableIpv6: true,
    });
    const cfnDistribution = this.distribution.node.defaultChild as cloudfront.CfnDistribution;
    cfnDistribution.addPropertyOverride('DistributionConfig.Restrictions', {
      GeoRestriction: { RestrictionType: 'blacklist', Locations: props.geoBlockedCountries },
    });
    Validations.of(this).acknowledge({
      id: 'Annotation::@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
      reason: 'The files key lets CloudFront decrypt only for distributions of this account (aws:SourceArn distribution/*) through S3; naming the one distribution would make the key, bucket and distribution circular on first deploy.',
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Geo restriction is set by a property override from the GeoBlockedCountries parameter (the same list as the WAF geo rule); cdk-nag reads the L2 props and cannot see it. Asserted in test/seed-figures.test.ts.' },
      { id: 'AwsSolutions-CFR2', reason: 'The distribution serves only URLs signed by the API (trusted key group) from a private bucket; a CLOUDFRONT-scope web ACL would have to live in us-east-1 and adds nothing that signature checking does not already enforce. The API itself is behind the regional WAF.' },
      { id: 'AwsSolutions-CFR4', reason: 'The distribution uses the default *.cloudfront.net certificate, with which CloudFront cannot pin a minimum protocol; viewers are HTTPS only. Attaching a custom domain and ACM certificate (us-east-1) enables TLSv1.2_2021.' },
    );

  }
}
