import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import type { Logging } from './logging';
import { Network, PORTS } from './network';

export interface CacheProps {
  readonly config: StageConfig;
  readonly network: Network;
  readonly logging: Logging;
  readonly key: kms.IKey;
}

/**
 * ElastiCache Redis as the seed describes it: Redis 6.x on cache.m5.large, 2 shards with one
 * replica each (cluster mode), Multi-AZ with automatic failover, volatile-lru, encryption at
 * rest (KMS) and in transit, and an AUTH token kept in Secrets Manager.
 */
export class Cache extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly authSecret: secretsmanager.Secret;
  readonly parameterGroup: elasticache.CfnParameterGroup;
  readonly replicationGroupId: string;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const { config, network, logging } = props;
    const c = config.cache;
    const stage = config.stage;
    this.replicationGroupId = `oms-${stage}`;

    this.authSecret = new secretsmanager.Secret(this, 'AuthToken', {
      secretName: `oms/${stage}/cache/auth-token`,
      description: `oms ${stage}: Redis AUTH token (field "token")`,
      encryptionKey: props.key,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'token',
        // AUTH tokens are 16-128 printable characters without @, " or /; letters and digits only.
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.authSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'ElastiCache has no hosted rotation: the token is rotated by the runbook procedure (docs/operations.md, "Rotate the Redis AUTH token") with ModifyReplicationGroup AuthTokenUpdateStrategy ROTATE then SET, so old and new tokens are both valid during the rolling restart of the tasks.',
    });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      cacheSubnetGroupName: `oms-${stage}-cache`,
      description: `oms ${stage}: private data subnets`,
      subnetIds: network.vpc.selectSubnets(network.subnets('data')).subnetIds,
    });

    this.parameterGroup = new elasticache.CfnParameterGroup(this, 'Parameters', {
      cacheParameterGroupFamily: c.parameterFamily,
      description: `oms ${stage}: cluster mode, ${c.maxmemoryPolicy}`,
      properties: {
        'cluster-enabled': 'yes',
        'maxmemory-policy': c.maxmemoryPolicy,
      },
    });

    const slowLog = logging.logGroup('CacheSlowLog', `/oms/${stage}/redis/slow-log`);
    const engineLog = logging.logGroup('CacheEngineLog', `/oms/${stage}/redis/engine-log`);

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId: this.replicationGroupId,
      replicationGroupDescription: `oms ${stage} cache`,
      engine: 'redis',
      engineVersion: c.engineVersion,
      cacheNodeType: c.nodeType,
      numNodeGroups: c.shards,
      replicasPerNodeGroup: c.replicasPerShard,
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      atRestEncryptionEnabled: true,
      kmsKeyId: props.key.keyArn,
      transitEncryptionEnabled: true,
      authToken: this.authSecret.secretValueFromJson('token').unsafeUnwrap(),
      cacheParameterGroupName: this.parameterGroup.ref,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [network.cacheSecurityGroup.securityGroupId],
      port: PORTS.redis,
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: c.snapshotRetentionDays,
      snapshotWindow: c.snapshotWindow,
      preferredMaintenanceWindow: c.maintenanceWindow,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: slowLog.logGroupName } },
        },
        {
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'engine-log',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: engineLog.logGroupName } },
        },
      ],
    });
    this.replicationGroup.addResourceDependency(subnetGroup);
    this.replicationGroup.node.addDependency(slowLog, engineLog);
    this.replicationGroup.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);

    Validations.of(this.replicationGroup).acknowledge({
      id: 'AwsSolutions-AEC5',
      reason: 'The default port 6379 is kept: the security group admits only the ECS task security group, the data subnets have no route out, and TLS plus AUTH are required, so a non-default port would add nothing.',
    });
  }

  /** Cluster-mode configuration endpoint. */
  get endpoint(): string {
    return this.replicationGroup.attrConfigurationEndPointAddress;
  }

  /** Member node ids (`<group>-<shard>-<node>`), for per-node CloudWatch metrics. */
  get nodeIds(): string[] {
    const c = this.replicationGroup;
    const shards = c.numNodeGroups ?? 1;
    const perShard = 1 + (c.replicasPerNodeGroup ?? 0);
    const ids: string[] = [];
    for (let s = 1; s <= shards; s++) {
      for (let n = 1; n <= perShard; n++) {
        ids.push(`${this.replicationGroupId}-${String(s).padStart(4, '0')}-${String(n).padStart(3, '0')}`);
      }
    }
    return ids;
  }
}
