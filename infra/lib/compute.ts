import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, Duration, IgnoreMode, Size, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import type { Cache } from './cache';
import { APP_USER, DATABASE_NAME, type Data } from './data';
import { SERVICE_IDLE_TIMEOUT_SECONDS } from './edge';
import { attachmentsBucketName, exportsBucketName, type Files } from './files';
import type { Logging } from './logging';
import { acknowledge } from './nag';
import { Network, PORTS } from './network';

/** The repository root: the Docker build context of the service image. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Kept out of the build context (and out of synthesis' asset fingerprint). The repository's
 * .dockerignore says the same for `docker build`; CDK also reads it.
 */
export const IMAGE_EXCLUDES = [
  '.git', '.github', '.cache', '.vscode', '.idea',
  'infra', '**/node_modules', '**/cdk.out',
  'build', 'build-*', 'build_*', 'cmake-build-*', 'out', '_build',
  'data', '**/*.db', '**/*.db-wal', '**/*.db-shm', 'tmp', '**/*.log',
  'bench/results',
];

export const CONTAINER_USER = '10001';
export const METRIC_NAMESPACE = 'OMS';
export const QUEUE_DEPTH_METRIC = 'JobQueueDepth';

const script = (name: string) => fs.readFileSync(path.join(__dirname, 'scripts', name), 'utf8');

export interface ComputeProps {
  readonly config: StageConfig;
  readonly network: Network;
  readonly data: Data;
  readonly cache: Cache;
  readonly files: Files;
  readonly logging: Logging;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly jwtIssuer: string;
  readonly jwtClientId: string;
  readonly jwtServiceScope: string;
  /** The Hosted UI base URL the web page signs in with (API task only: it serves the page). */
  readonly cognitoDomain: string;
}

/**
 * The seed's compute: an ECS cluster on Fargate; the API task (1 vCPU / 2 GB: the API
 * container, an X-Ray daemon sidecar and a PgBouncer sidecar) and the worker task
 * (1 vCPU / 2 GB), their services with rolling deploys and the circuit breaker, and their
 * scaling policies; plus the one-off migrate task.
 */
export class Compute extends Construct {
  readonly cluster: ecs.Cluster;
  readonly apiTask: ecs.FargateTaskDefinition;
  readonly workerTask: ecs.FargateTaskDefinition;
  readonly migrateTask: ecs.FargateTaskDefinition;
  readonly apiService: ecs.FargateService;
  readonly workerService: ecs.FargateService;
  readonly apiScaling: ecs.ScalableTaskCount;
  readonly workerScaling: ecs.ScalableTaskCount;
  readonly queueDepth: cloudwatch.Metric;
  readonly logGroups: Record<'api' | 'worker' | 'pgbouncer' | 'xray' | 'migrate', logs.LogGroup>;

  private readonly props: ComputeProps;
  private readonly omsImage: ecs.ContainerImage;
  private readonly pgbouncerImage: ecs.ContainerImage;

  constructor(scope: Construct, id: string, props: ComputeProps) {
    super(scope, id);
    this.props = props;
    const { config, network, logging } = props;
    const stage = config.stage;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `oms-${stage}`,
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      enableFargateCapacityProviders: true,
    });

    this.logGroups = {
      api: logging.logGroup('ApiLog', `/oms/${stage}/api`),
      worker: logging.logGroup('WorkerLog', `/oms/${stage}/worker`),
      pgbouncer: logging.logGroup('PgBouncerLog', `/oms/${stage}/pgbouncer`),
      xray: logging.logGroup('XRayLog', `/oms/${stage}/xray`),
      migrate: logging.logGroup('MigrateLog', `/oms/${stage}/migrate`),
    };

    const assetOptions = {
      exclude: IMAGE_EXCLUDES,
      ignoreMode: IgnoreMode.DOCKER,
      platform: Platform.LINUX_AMD64,
      file: 'Dockerfile',
    };
    this.omsImage = ecs.ContainerImage.fromAsset(REPO_ROOT, { ...assetOptions, target: 'runtime' });
    this.pgbouncerImage = ecs.ContainerImage.fromAsset(REPO_ROOT, { ...assetOptions, target: 'pgbouncer' });

    // ---------------- API task ----------------
    this.apiTask = this.taskDefinition('ApiTask', `oms-${stage}-api`, config.api.cpu, config.api.memoryMiB);
    this.grantAppAccess('ApiFiles', this.apiTask.taskRole);
    const pgbouncerApi = this.addPgBouncer(this.apiTask, 'transaction');
    const xray = this.apiTask.addContainer('xray', {
      containerName: 'xray-daemon',
      image: ecs.ContainerImage.fromRegistry(config.images.xrayDaemon),
      essential: false,
      cpu: 32,
      memoryReservationMiB: 64,
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
      portMappings: [{ containerPort: 2000, protocol: ecs.Protocol.UDP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroups.xray, streamPrefix: 'xray', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
    const xrayPolicy = new iam.Policy(this, 'XRayDaemon', {
      statements: [new iam.PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
        resources: ['*'],
      })],
    });
    xrayPolicy.attachToRole(this.apiTask.taskRole);
    acknowledge(xrayPolicy, ['AwsSolutions-IAM5[Resource::*]'],
      'X-Ray trace and sampling actions support no resource-level permissions (same as the AWS-managed AWSXRayDaemonWriteAccess policy).');

    const api = this.apiTask.addContainer('api', {
      containerName: 'api',
      image: this.omsImage,
      command: ['serve'],
      essential: true,
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
      stopTimeout: Duration.seconds(30),
      // /metrics is served only on OMS_METRICS_PORT, reachable inside the task's network
      // namespace (a scraping sidecar): it is no port mapping, no ALB target (the ALB targets
      // PORTS.app alone) and no security group ingress.
      environment: {
        ...this.omsEnvironment(),
        ...this.cdnEnvironment(),
        AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
        OMS_METRICS_PORT: String(PORTS.metrics),
        OMS_COGNITO_DOMAIN: this.props.cognitoDomain,
      },
      // Only the API signs attachment downloads for CloudFront: it alone gets the private key.
      secrets: { ...this.omsSecrets(), OMS_ATTACHMENTS_CDN_PRIVATE_KEY: ecs.Secret.fromSecretsManager(props.files.cdnSigningKey) },
      portMappings: [{ containerPort: PORTS.app, protocol: ecs.Protocol.TCP, name: 'http' }],
      healthCheck: {
        command: ['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${PORTS.app}/health`],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      ulimits: [{ name: ecs.UlimitName.NOFILE, softLimit: 65536, hardLimit: 65536 }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroups.api, streamPrefix: 'api', mode: ecs.AwsLogDriverMode.NON_BLOCKING, maxBufferSize: Size.mebibytes(25) }),
    });
    api.addContainerDependencies(
      { container: pgbouncerApi, condition: ecs.ContainerDependencyCondition.HEALTHY },
      { container: xray, condition: ecs.ContainerDependencyCondition.START },
    );
    this.mountTmp(this.apiTask);

    this.apiService = new ecs.FargateService(this, 'ApiService', {
      serviceName: 'api',
      cluster: this.cluster,
      taskDefinition: this.apiTask,
      desiredCount: config.api.minCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: network.subnets('app'),
      securityGroups: [network.serviceSecurityGroup],
      assignPublicIp: false,
      healthCheckGracePeriod: Duration.seconds(60),
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      capacityProviderStrategies: [{ capacityProvider: 'FARGATE', weight: 1 }],
    });
    props.targetGroup.addTarget(this.apiService.loadBalancerTarget({ containerName: 'api', containerPort: PORTS.app }));

    // ---------------- worker task ----------------
    this.workerTask = this.taskDefinition('WorkerTask', `oms-${stage}-worker`, config.worker.cpu, config.worker.memoryMiB);
    this.grantAppAccess('WorkerFiles', this.workerTask.taskRole);
    const pgbouncerWorker = this.addPgBouncer(this.workerTask, 'transaction');
    const worker = this.workerTask.addContainer('worker', {
      containerName: 'worker',
      image: this.omsImage,
      command: ['worker'],
      essential: true,
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
      stopTimeout: Duration.seconds(30),
      // `oms worker` serves /health and /metrics on OMS_WORKER_PORT inside the task only (no port
      // mapping, no load balancer): the container health check keeps ECS's circuit breaker honest.
      environment: { ...this.omsEnvironment(), OMS_WORKER_PORT: String(PORTS.worker) },
      secrets: this.omsSecrets(),
      healthCheck: {
        command: ['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${PORTS.worker}/health`],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      ulimits: [{ name: ecs.UlimitName.NOFILE, softLimit: 65536, hardLimit: 65536 }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroups.worker, streamPrefix: 'worker', mode: ecs.AwsLogDriverMode.NON_BLOCKING, maxBufferSize: Size.mebibytes(25) }),
    });
    worker.addContainerDependencies({ container: pgbouncerWorker, condition: ecs.ContainerDependencyCondition.HEALTHY });
    this.mountTmp(this.workerTask);

    this.workerService = new ecs.FargateService(this, 'WorkerService', {
      serviceName: 'worker',
      cluster: this.cluster,
      taskDefinition: this.workerTask,
      desiredCount: config.worker.minCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: network.subnets('app'),
      securityGroups: [network.serviceSecurityGroup],
      assignPublicIp: false,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      capacityProviderStrategies: [{ capacityProvider: 'FARGATE', weight: 1 }],
    });

    // ---------------- migrate task (one-off, before each deploy) ----------------
    this.migrateTask = this.taskDefinition('MigrateTask', `oms-${stage}-migrate`, 512, 1024);
    const bootstrap = this.migrateTask.addContainer('bootstrap', {
      containerName: 'db-bootstrap',
      image: this.pgbouncerImage,
      entryPoint: ['sh', '-c'],
      command: [script('db-bootstrap.sh')],
      essential: false,
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
      environment: {
        DB_HOST: props.data.primaryEndpoint,
        DB_PORT: String(PORTS.postgres),
        DB_NAME: DATABASE_NAME,
        APP_BASE_USER: APP_USER,
      },
      secrets: {
        ADMIN_USER: ecs.Secret.fromSecretsManager(props.data.adminSecret, 'username'),
        ADMIN_PASSWORD: ecs.Secret.fromSecretsManager(props.data.adminSecret, 'password'),
        APP_USER: ecs.Secret.fromSecretsManager(props.data.appSecret, 'username'),
        APP_PASSWORD: ecs.Secret.fromSecretsManager(props.data.appSecret, 'password'),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroups.migrate, streamPrefix: 'bootstrap' }),
    });
    // Migrations take session-level locks: this PgBouncer pools by session.
    const pgbouncerMigrate = this.addPgBouncer(this.migrateTask, 'session');
    pgbouncerMigrate.addContainerDependencies({ container: bootstrap, condition: ecs.ContainerDependencyCondition.SUCCESS });
    const migrate = this.migrateTask.addContainer('migrate', {
      containerName: 'migrate',
      image: this.omsImage,
      command: ['migrate'],
      essential: true,
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
      environment: { ...this.omsEnvironment(), OMS_DATABASE_PREPARED: 'true' },
      secrets: this.omsSecrets(),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroups.migrate, streamPrefix: 'migrate' }),
    });
    migrate.addContainerDependencies({ container: pgbouncerMigrate, condition: ecs.ContainerDependencyCondition.HEALTHY });
    this.mountTmp(this.migrateTask);

    // ---------------- scaling ----------------
    this.apiScaling = this.apiService.autoScaleTaskCount({ minCapacity: config.api.minCount, maxCapacity: config.api.maxCount });
    const a = config.api;
    const cpu = this.apiService.metricCpuUtilization({ period: Duration.minutes(1), statistic: cloudwatch.Stats.AVERAGE });
    this.stepScaling('ApiCpuOut', this.apiScaling, cpu, `oms-${stage}-api-scale-out-cpu`, 'out', a.scaleOutCpuPercent, a.scaleOutCpuMinutes);
    const requests = props.targetGroup.metrics.requestCountPerTarget({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM });
    this.stepScaling('ApiRequestsOut', this.apiScaling, requests, `oms-${stage}-api-scale-out-requests`, 'out', a.scaleOutRequestsPerTarget, a.scaleOutRequestsMinutes);
    this.stepScaling('ApiCpuIn', this.apiScaling, cpu, `oms-${stage}-api-scale-in-cpu`, 'in', a.scaleInCpuPercent, a.scaleInCpuMinutes);

    this.workerScaling = this.workerService.autoScaleTaskCount({ minCapacity: config.worker.minCount, maxCapacity: config.worker.maxCount });
    const w = config.worker;
    // Emitted by `oms worker` once a minute as an Embedded Metric Format log line.
    this.queueDepth = new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: QUEUE_DEPTH_METRIC,
      dimensionsMap: { Environment: stage },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      unit: cloudwatch.Unit.COUNT,
    });
    this.stepScaling('WorkerQueueOut', this.workerScaling, this.queueDepth, `oms-${stage}-worker-scale-out-queue`, 'out', w.scaleOutQueueDepth, w.scaleOutMinutes);
    this.stepScaling('WorkerQueueIn', this.workerScaling, this.queueDepth, `oms-${stage}-worker-scale-in-queue`, 'in', w.scaleInQueueDepth, w.scaleInMinutes);

    for (const task of [this.apiTask, this.workerTask, this.migrateTask]) {
      acknowledge(task.obtainExecutionRole(), ['AwsSolutions-IAM5[Resource::*]'],
        'The execution role gets ecr:GetAuthorizationToken, which supports no resource-level permission; its image pulls, log writes and secret reads are scoped to their resources.');
      Validations.of(task).acknowledge({
        id: 'AwsSolutions-ECS2',
        reason: 'Only non-secret configuration is passed as plain environment variables (docs/configuration.md); the database password and the Redis AUTH token come from Secrets Manager through the task definition\'s secrets.',
      });
    }
  }

  /**
   * One step-scaling policy driven by its own alarm, so that each of the seed's rules keeps
   * its own threshold and duration (`minutes` one-minute periods, all breaching).
   */
  private stepScaling(
    id: string,
    target: ecs.ScalableTaskCount,
    metric: cloudwatch.IMetric,
    alarmName: string,
    direction: 'out' | 'in',
    threshold: number,
    minutes: number,
  ): cloudwatch.Alarm {
    const action = new appscaling.StepScalingAction(this, `${id}Policy`, {
      // ScalableTaskCount keeps its ScalableTarget as the child "Target".
      scalingTarget: target.node.findChild('Target') as appscaling.ScalableTarget,
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(direction === 'out' ? 1 : 5),
      metricAggregationType: appscaling.MetricAggregationType.AVERAGE,
    });
    if (direction === 'out') {
      action.addAdjustment({ lowerBound: 0, adjustment: 1 });
    } else {
      action.addAdjustment({ upperBound: 0, adjustment: -1 });
    }
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmName,
      alarmDescription: `Scale ${direction}: ${direction === 'out' ? '>' : '<'} ${threshold} for ${minutes} minutes`,
      metric,
      threshold,
      comparisonOperator: direction === 'out'
        ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
        : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: minutes,
      datapointsToAlarm: minutes,
      treatMissingData: direction === 'out' ? cloudwatch.TreatMissingData.NOT_BREACHING : cloudwatch.TreatMissingData.MISSING,
    });
    alarm.addAlarmAction(new cwActions.ApplicationScalingAction(action));
    return alarm;
  }

  private taskDefinition(id: string, family: string, cpu: number, memoryLimitMiB: number): ecs.FargateTaskDefinition {
    const task = new ecs.FargateTaskDefinition(this, id, {
      family,
      cpu,
      memoryLimitMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    // The only writable path: the root filesystems are read-only (Fargate has no tmpfs). The
    // images declare VOLUME /tmp, so the mount gets the image's mode 1777.
    task.addVolume({ name: 'tmp' });
    return task;
  }

  private mountTmp(task: ecs.FargateTaskDefinition): void {
    for (const child of task.node.children) {
      if (child instanceof ecs.ContainerDefinition && child.containerName !== 'xray-daemon') {
        child.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
      }
    }
  }

  private addPgBouncer(task: ecs.FargateTaskDefinition, poolMode: 'transaction' | 'session'): ecs.ContainerDefinition {
    const { config, data } = this.props;
    const logGroup = this.logGroups.pgbouncer;
    return task.addContainer('pgbouncer', {
      containerName: 'pgbouncer',
      image: this.pgbouncerImage,
      entryPoint: ['sh', '-c'],
      command: [script('pgbouncer.sh')],
      essential: true,
      cpu: 128,
      memoryReservationMiB: 128,
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
      environment: {
        DB_HOST: data.primaryEndpoint,
        ...(data.replicaEndpoint ? { DB_REPLICA_HOST: data.replicaEndpoint } : {}),
        DB_PORT: String(PORTS.postgres),
        DB_NAME: DATABASE_NAME,
        CLIENT_USER: 'oms',
        POOL_MODE: poolMode,
        DEFAULT_POOL_SIZE: String(config.pgbouncer.defaultPoolSize),
        RESERVE_POOL_SIZE: String(config.pgbouncer.maxPoolSize - config.pgbouncer.defaultPoolSize),
        MAX_DB_CONNECTIONS: String(config.pgbouncer.maxPoolSize),
        MAX_CLIENT_CONN: '500',
      },
      secrets: {
        DB_USER: ecs.Secret.fromSecretsManager(data.appSecret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(data.appSecret, 'password'),
      },
      healthCheck: {
        command: ['CMD', 'pg_isready', '-q', '-h', '127.0.0.1', '-p', '6432', '-d', DATABASE_NAME],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(10),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: `pgbouncer-${task.family}`, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
  }

  /** The container contract (docs/configuration.md), production column. */
  private omsEnvironment(): Record<string, string> {
    const { config, data, cache } = this.props;
    const pooled = (db: string) => `postgresql://oms@127.0.0.1:6432/${db}?sslmode=disable`;
    return {
      OMS_PROFILE: 'production',
      OMS_ENVIRONMENT: config.stage,
      OMS_HTTP_ADDRESS: '0.0.0.0',
      OMS_HTTP_PORT: String(PORTS.app),
      OMS_DATABASE_URL: pooled(DATABASE_NAME),
      // Without a replica (dev), reads go to the primary.
      OMS_DATABASE_REPLICA_URL: pooled(data.replica ? `${DATABASE_NAME}_replica` : DATABASE_NAME),
      OMS_DATABASE_POOL_SIZE: String(config.pgbouncer.defaultPoolSize),
      OMS_DATABASE_PREPARED: 'false',
      OMS_CACHE_URL: `rediss://${cache.endpoint}:${PORTS.redis}`,
      OMS_ATTACHMENTS_URL: `s3://${attachmentsBucketName(config.stage)}`,
      OMS_EXPORTS_URL: `s3://${exportsBucketName(config.stage)}`,
      OMS_JWT_ISSUER: this.props.jwtIssuer,
      OMS_JWT_CLIENT_ID: this.props.jwtClientId,
      OMS_JWT_SERVICE_SCOPE: this.props.jwtServiceScope,
      OMS_JWKS_URL: `${this.props.jwtIssuer}/.well-known/jwks.json`,
      OMS_LOG_LEVEL: 'info',
      OMS_MAX_BODY_BYTES: '1048576',
      OMS_SHUTDOWN_GRACE_SECONDS: '25',
      // Above the ALB's idle timeout (lib/edge.ts), so the ALB, not the service, closes idle connections.
      OMS_HTTP_IDLE_TIMEOUT_SECONDS: String(SERVICE_IDLE_TIMEOUT_SECONDS),
      AWS_REGION: Stack.of(this).region,
    };
  }

  /**
   * Attachment downloads through CloudFront (docs/configuration.md): the distribution's domain and
   * the id of the public key in its trusted key group; the private half comes from the secret.
   */
  private cdnEnvironment(): Record<string, string> {
    const { files } = this.props;
    return {
      OMS_ATTACHMENTS_CDN_DOMAIN: files.distribution.distributionDomainName,
      OMS_ATTACHMENTS_CDN_KEY_PAIR_ID: files.cdnPublicKey.publicKeyId,
    };
  }

  private omsSecrets(): Record<string, ecs.Secret> {
    const { data, cache } = this.props;
    return {
      OMS_DATABASE_PASSWORD: ecs.Secret.fromSecretsManager(data.appSecret, 'password'),
      OMS_CACHE_AUTH_TOKEN: ecs.Secret.fromSecretsManager(cache.authSecret, 'token'),
    };
  }

  /**
   * Objects in the two buckets (read, write, delete, multipart) and the files key; nothing
   * else. The service names object keys per upload, hence `<bucket>/*`.
   */
  private grantAppAccess(id: string, role: iam.IRole): void {
    const { files } = this.props;
    const policy = new iam.Policy(this, id, {
      statements: [
        new iam.PolicyStatement({
          sid: 'Objects',
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [files.attachments.arnForObjects('*'), files.exports.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'Buckets',
          actions: ['s3:ListBucket'],
          resources: [files.attachments.bucketArn, files.exports.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'FilesKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [files.key.keyArn],
        }),
      ],
    });
    policy.attachToRole(role);
    const stack = Stack.of(this);
    const arn = (b: { node: { defaultChild?: unknown } }) => stack.getLogicalId(b.node.defaultChild as CfnElement);
    acknowledge(policy, [
      `AwsSolutions-IAM5[Resource::<${arn(files.attachments)}.Arn>/*]`,
      `AwsSolutions-IAM5[Resource::<${arn(files.exports)}.Arn>/*]`,
    ], 'The service stores one object per attachment or export under keys it generates (uuid-based), so it needs every object of exactly these two buckets; bucket-level actions are limited to ListBucket.');
  }
}
