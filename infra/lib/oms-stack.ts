import { CfnCondition, CfnOutput, CfnParameter, DefaultStackSynthesizer, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { accessLogsBucketProps } from './buckets';
import { Cache } from './cache';
import { Compute } from './compute';
import type { StageConfig } from './config';
import { Data } from './data';
import { Edge } from './edge';
import { Files } from './files';
import { Logging } from './logging';
import { Monitoring } from './monitoring';
import { Network } from './network';
import { SignIn } from './sign-in';
import { repositoryName } from './registry-stack';
import { applyTags } from './tags';

export interface OmsStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The whole service in its main region: network, data, cache, files, compute, edge and
 * observability. Deploy-time inputs are CloudFormation parameters (see infra/README.md).
 */
export class OmsStack extends Stack {
  readonly config: StageConfig;
  readonly logging: Logging;
  readonly network: Network;
  readonly data: Data;
  readonly cache: Cache;
  readonly files: Files;
  readonly edge: Edge;
  readonly compute: Compute;
  readonly monitoring: Monitoring;
  readonly signIn: SignIn;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: OmsStackProps) {
    super(scope, id, {
      ...props,
      // The image asset goes to the stage's own ECR repository (scan on push), see RegistryStack.
      synthesizer: props.synthesizer ?? new DefaultStackSynthesizer({ imageAssetsRepositoryName: repositoryName(props.config.stage) }),
    });
    const config = (this.config = props.config);
    const stage = config.stage;

    // ---------------- parameters ----------------
    const certificateArn = new CfnParameter(this, 'CertificateArn', {
      type: 'String',
      description: 'ACM certificate (in this region) for the ALB HTTPS listener',
      allowedPattern: '^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$',
    });
    const userPoolId = new CfnParameter(this, 'CognitoUserPoolId', {
      type: 'String',
      description: 'The existing Cognito user pool whose JWTs the API accepts (e.g. us-east-1_AbCdEf123)',
      allowedPattern: '^[a-z0-9-]+_[0-9a-zA-Z]+$',
    });
    const serviceScope = new CfnParameter(this, 'CognitoServiceScope', {
      type: 'String',
      description: 'Custom scope (resource-server/name) that makes a client-credentials token the SERVICE role',
      default: 'oms/service',
      allowedPattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$',
    });
    const cdnPublicKey = new CfnParameter(this, 'AttachmentsCdnPublicKey', {
      type: 'String',
      description: 'PEM RSA public key whose private half (secret oms/<env>/cdn/signing-key) signs attachment download URLs',
      noEcho: false,
    });
    const rateLimit = new CfnParameter(this, 'RateLimitPerIp', {
      type: 'Number',
      description: 'WAF rate-based rule: maximum requests per client IP in any 5-minute window',
      default: config.edge.defaultRateLimit,
      minValue: 10,
      maxValue: 2000000000,
    });
    const geoBlocked = new CfnParameter(this, 'GeoBlockedCountries', {
      type: 'CommaDelimitedList',
      description: 'ISO 3166-1 alpha-2 country codes blocked by the WAF and by CloudFront (at least one)',
      default: config.edge.defaultGeoBlockedCountries.join(','),
    });
    const corsOrigins = new CfnParameter(this, 'CorsAllowedOrigins', {
      type: 'CommaDelimitedList',
      description: 'Origins allowed to upload attachments with pre-signed URLs (CORS)',
      default: 'https://*',
    });
    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      description: 'Optional e-mail address subscribed to the alarm topic',
      default: '',
    });

    // ---------------- constructs ----------------
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', accessLogsBucketProps(config));

    this.logging = new Logging(this, 'Logging', { config, accessLogsBucket: this.accessLogs });
    this.network = new Network(this, 'Network', {
      config,
      flowLogGroup: this.logging.logGroup('FlowLog', `/oms/${stage}/vpc-flow-logs`),
    });
    this.data = new Data(this, 'Data', { config, network: this.network, logging: this.logging });
    this.cache = new Cache(this, 'Cache', { config, network: this.network, logging: this.logging, key: this.data.key });
    this.files = new Files(this, 'Files', {
      config,
      accessLogsBucket: this.accessLogs,
      corsAllowedOrigins: corsOrigins.valueAsList,
      cdnPublicKeyPem: cdnPublicKey.valueAsString,
      geoBlockedCountries: geoBlocked.valueAsList,
    });
    this.edge = new Edge(this, 'Edge', {
      config,
      network: this.network,
      logging: this.logging,
      accessLogsBucket: this.accessLogs,
      certificateArn: certificateArn.valueAsString,
      rateLimitPerIp: rateLimit.valueAsNumber,
      geoBlockedCountries: geoBlocked.valueAsList,
    });
    this.signIn = new SignIn(this, 'SignIn', { stage, userPoolId: userPoolId.valueAsString });
    const issuer = Fn.join('', ['https://cognito-idp.', this.region, '.amazonaws.com/', userPoolId.valueAsString]);
    this.compute = new Compute(this, 'Compute', {
      config,
      network: this.network,
      data: this.data,
      cache: this.cache,
      files: this.files,
      logging: this.logging,
      targetGroup: this.edge.targetGroup,
      jwtIssuer: issuer,
      jwtClientId: this.signIn.appClient.ref,
      cognitoDomain: this.signIn.cognitoDomain,
      jwtServiceScope: serviceScope.valueAsString,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      logging: this.logging,
      compute: this.compute,
      data: this.data,
      cache: this.cache,
      edge: this.edge,
    });

    const hasEmail = new CfnCondition(this, 'HasAlarmEmail', { expression: Fn.conditionNot(Fn.conditionEquals(alarmEmail.valueAsString, '')) });
    const subscription = new sns.CfnSubscription(this, 'AlarmEmailSubscription', {
      topicArn: this.monitoring.topic.topicArn,
      protocol: 'email',
      endpoint: alarmEmail.valueAsString,
    });
    subscription.cfnOptions.condition = hasEmail;

    // ---------------- tags ----------------
    applyTags(this, config);
    // The stores that hold personal data (users, customer contacts, attachments, exports, and
    // request logs with user ids); their keys, secrets and settings are "Internal".
    const pii = [
      this.data.instance.node.defaultChild, this.data.replica?.node.defaultChild, this.cache.replicationGroup,
      this.files.attachments, this.files.exports, this.compute.logGroups.api, this.compute.logGroups.worker,
    ];
    for (const store of pii) if (store) applyTags(store, config, 'PII');

    // ---------------- outputs ----------------
    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('ApiUrl', Fn.join('', ['https://', this.edge.alb.loadBalancerDnsName]), 'Point the API domain (CNAME / alias) at this load balancer');
    out('AttachmentsCdnDomain', this.files.distribution.distributionDomainName, 'CloudFront domain serving signed attachment URLs');
    out('AttachmentsCdnKeyId', this.files.cdnPublicKey.publicKeyId, 'Key pair id for signing CloudFront URLs');
    out('AttachmentsCdnSigningKeySecret', this.files.cdnSigningKey.secretName, 'Put the PEM private key here');
    out('AppClientId', this.signIn.appClient.ref, 'Cognito app client of the web page and the API (OMS_JWT_CLIENT_ID)');
    out('ClusterName', this.compute.cluster.clusterName, 'ECS cluster');
    out('MigrateTaskDefinition', this.compute.migrateTask.taskDefinitionArn, 'Run before each deploy (docs/operations.md)');
    out('AppSubnets', Fn.join(',', this.network.vpc.selectSubnets(this.network.subnets('app')).subnetIds), 'Subnets for one-off tasks');
    out('ServiceSecurityGroup', this.network.serviceSecurityGroup.securityGroupId, 'Security group for one-off tasks');
    out('DatabaseEndpoint', this.data.primaryEndpoint, 'PostgreSQL primary');
    if (this.data.replicaEndpoint) out('DatabaseReplicaEndpoint', this.data.replicaEndpoint, 'PostgreSQL read replica');
    out('CacheEndpoint', this.cache.endpoint, 'Redis configuration endpoint');
    out('AlarmTopicArn', this.monitoring.topic.topicArn, 'Alarm notifications');
    out('LogArchiveBucket', this.logging.archiveBucket.bucketName, 'Log archive (7 years)');
  }

  /** Three AZs without a context lookup: `Fn::GetAZs` picks (docs: toolchain.md). */
  override get availabilityZones(): string[] {
    return Array.from({ length: this.config?.network.azCount ?? 3 }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
}
