import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import type { Logging } from './logging';
import { acknowledge } from './nag';
import { Network, PORTS } from './network';

export const DATABASE_NAME = 'oms';
export const ADMIN_USER = 'oms_admin';
export const APP_USER = 'oms_app';

export interface DataProps {
  readonly config: StageConfig;
  readonly network: Network;
  readonly logging: Logging;
}

/**
 * RDS PostgreSQL as the seed describes it: Multi-AZ db.r5.large, 100 GB growing to 500 GB,
 * 7-day backups, a weekly maintenance window, a custom parameter group that forces SSL, KMS
 * encryption, IAM database authentication, credentials in Secrets Manager (rotated), deletion
 * protection and a read replica.
 */
export class Data extends Construct {
  readonly key: kms.Key;
  readonly instance: rds.DatabaseInstance;
  readonly replica?: rds.DatabaseInstanceReadReplica;
  readonly parameterGroup: rds.ParameterGroup;
  /** Master user; used by operators and the schema bootstrap only. */
  readonly adminSecret: secretsmanager.ISecret;
  /** Application user (multi-user rotation: oms_app / oms_app_clone). */
  readonly appSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const { config, network, logging } = props;
    const db = config.database;
    const stage = config.stage;

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/oms-${stage}-data`,
      description: `oms ${stage}: RDS storage, Performance Insights, ElastiCache, database and cache secrets`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.of(db.engineVersion, db.engineVersion),
    });

    this.parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `oms ${stage}: SSL required, tuned for the oms workload`,
      parameters: {
        'rds.force_ssl': '1',
        ssl_min_protocol_version: 'TLSv1.2',
        password_encryption: 'scram-sha-256',
        shared_preload_libraries: 'pg_stat_statements',
        'pg_stat_statements.track': 'top',
        track_io_timing: '1',
        // Matches the latency alarm: statements slower than 500 ms are logged.
        log_min_duration_statement: '500',
        log_lock_waits: '1',
        idle_in_transaction_session_timeout: '60000',
        random_page_cost: '1.1',
      },
    });

    const subnetGroup = new rds.SubnetGroup(this, 'SubnetGroup', {
      vpc: network.vpc,
      vpcSubnets: network.subnets('data'),
      description: `oms ${stage}: private data subnets`,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const primaryId = `oms-${stage}`;
    const replicaId = `oms-${stage}-replica`;
    // Created here (30 days, archived) so that RDS exports into them instead of creating
    // never-expiring groups of its own.
    const exportsOf = (instanceId: string, prefix: string) =>
      ['postgresql', 'upgrade'].map((t) =>
        logging.logGroup(`${prefix}${t === 'postgresql' ? 'Log' : 'UpgradeLog'}`, `/aws/rds/instance/${instanceId}/${t}`));

    const primaryLogs = exportsOf(primaryId, 'Primary');

    this.instance = new rds.DatabaseInstance(this, 'Primary', {
      instanceIdentifier: primaryId,
      engine,
      instanceType: new ec2.InstanceType(db.instanceClass),
      vpc: network.vpc,
      subnetGroup,
      securityGroups: [network.databaseSecurityGroup],
      port: PORTS.postgres,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret(ADMIN_USER, {
        secretName: `oms/${stage}/database/admin`,
        encryptionKey: this.key,
      }),
      multiAz: db.multiAz,
      allocatedStorage: db.allocatedStorageGiB,
      maxAllocatedStorage: db.maxAllocatedStorageGiB,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      iamAuthentication: true,
      parameterGroup: this.parameterGroup,
      backupRetention: Duration.days(db.backupRetentionDays),
      preferredBackupWindow: db.backupWindow,
      preferredMaintenanceWindow: db.maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: db.deletionProtection,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      monitoringInterval: Duration.seconds(60),
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.key,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    primaryLogs.forEach((g) => this.instance.node.addDependency(g));

    this.adminSecret = this.instance.secret!;
    this.adminSecret.addRotationSchedule('Rotation', {
      automaticallyAfter: Duration.days(db.secretRotationDays),
      rotateImmediatelyOnUpdate: false,
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        functionName: `oms-${stage}-db-admin-rotation`,
        vpc: network.vpc,
        vpcSubnets: network.subnets('app'),
        securityGroups: [network.rotationSecurityGroup],
      }),
    });
    logging.logGroup('AdminRotationLog', `/aws/lambda/oms-${stage}-db-admin-rotation`);

    const appSecret = new rds.DatabaseSecret(this, 'AppSecret', {
      username: APP_USER,
      secretName: `oms/${stage}/database/app`,
      encryptionKey: this.key,
      masterSecret: this.adminSecret,
      dbname: DATABASE_NAME,
    });
    this.appSecret = appSecret.attach(this.instance);
    this.appSecret.addRotationSchedule('Rotation', {
      automaticallyAfter: Duration.days(db.secretRotationDays),
      // The role is created by the bootstrap step of the migrate task (docs/operations.md).
      rotateImmediatelyOnUpdate: false,
      hostedRotation: secretsmanager.HostedRotation.postgreSqlMultiUser({
        masterSecret: this.adminSecret,
        functionName: `oms-${stage}-db-app-rotation`,
        vpc: network.vpc,
        vpcSubnets: network.subnets('app'),
        securityGroups: [network.rotationSecurityGroup],
      }),
    });
    logging.logGroup('AppRotationLog', `/aws/lambda/oms-${stage}-db-app-rotation`);

    if (db.readReplica) {
      const replicaLogs = exportsOf(replicaId, 'Replica');
      this.replica = new rds.DatabaseInstanceReadReplica(this, 'Replica', {
        instanceIdentifier: replicaId,
        sourceDatabaseInstance: this.instance,
        instanceType: new ec2.InstanceType(db.instanceClass),
        vpc: network.vpc,
        subnetGroup,
        securityGroups: [network.databaseSecurityGroup],
        port: PORTS.postgres,
        parameterGroup: this.parameterGroup,
        storageType: rds.StorageType.GP3,
        // Encrypted with the primary's KMS key (a replica inherits its source's encryption).
        maxAllocatedStorage: db.maxAllocatedStorageGiB,
        iamAuthentication: true,
        deletionProtection: db.deletionProtection,
        removalPolicy: RemovalPolicy.DESTROY,
        autoMinorVersionUpgrade: true,
        publiclyAccessible: false,
        caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
        preferredMaintenanceWindow: db.maintenanceWindow,
        monitoringInterval: Duration.seconds(60),
        enablePerformanceInsights: true,
        performanceInsightEncryptionKey: this.key,
        performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
        cloudwatchLogsExports: ['postgresql', 'upgrade'],
      });
      replicaLogs.forEach((g) => this.replica!.node.addDependency(g));
      Validations.of(this.replica).acknowledge(
        { id: 'AwsSolutions-RDS2', reason: 'The replica is encrypted with the primary\'s KMS key: a read replica inherits its source\'s encryption, and CloudFormation rejects StorageEncrypted together with SourceDBInstanceIdentifier (cfn-lint F3020), so the flag cannot be stated here. Asserted in test/seed-figures.test.ts on the source.' },
        { id: 'AwsSolutions-RDS3', reason: 'The read replica scales reads only; the primary is Multi-AZ. If the replica fails, reads fall back to the primary (same PgBouncer pool) and the replica is rebuilt; see docs/operations.md.' },
        { id: 'AwsSolutions-RDS11', reason: 'The default port 5432 is kept: the security group admits only the ECS task and rotation security groups, and the data subnets have no route out, so a non-default port would add nothing.' },
      );
    }

    for (const instance of [this.instance, this.replica]) {
      if (!instance) continue;
      acknowledge(instance.node.findChild('MonitoringRole'), [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      ], 'Enhanced monitoring needs exactly the AWS-managed service-role policy AmazonRDSEnhancedMonitoringRole (write to the RDSOSMetrics log group); AWS maintains it.');
    }

    if (!db.multiAz) {
      acknowledge(this.instance, ['AwsSolutions-RDS3'],
        `${stage} runs a single-AZ primary to halve its cost; staging and prod are Multi-AZ (pinned by test/environments.test.ts).`);
    }
    if (!db.deletionProtection) {
      for (const i of [this.instance, this.replica]) {
        if (i) acknowledge(i, ['AwsSolutions-RDS10'],
          `${stage} holds no real data and is torn down and rebuilt; staging and prod have deletion protection (pinned by test/environments.test.ts).`);
      }
    }

    Validations.of(this.instance).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason: 'The default port 5432 is kept: the security group admits only the ECS task and rotation security groups, and the data subnets have no route out, so a non-default port would add nothing.',
    });

  }

  get primaryEndpoint(): string {
    return this.instance.dbInstanceEndpointAddress;
  }

  get replicaEndpoint(): string | undefined {
    return this.replica?.dbInstanceEndpointAddress;
  }
}
