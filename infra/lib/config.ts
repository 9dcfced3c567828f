/**
 * Per-environment figures. `prod` carries the seed's figures
 * (../shared/seed/infrastructure-architecture.md); `staging` mirrors prod so that load tests
 * and failover drills there mean something; `dev` is smaller where that only costs fidelity,
 * never topology. The environment-difference test (test/environments.test.ts) pins every
 * intended difference, so a change here that touches something else fails the tests.
 */

export type StageName = 'dev' | 'staging' | 'prod';
export const STAGES: readonly StageName[] = ['dev', 'staging', 'prod'];

export interface ServiceFigures {
  /** Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB. */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minCount: number;
  readonly maxCount: number;
}

export interface StageConfig {
  readonly stage: StageName;
  /** Main and disaster-recovery regions (context `region`, `replicaRegion`). */
  readonly region: string;
  readonly replicaRegion: string;

  readonly network: {
    readonly vpcCidr: string;
    readonly azCount: number;
    readonly publicSubnetCidrs: readonly string[];
    readonly appSubnetCidrs: readonly string[];
    readonly dataSubnetCidrs: readonly string[];
    readonly natGateways: number;
  };

  readonly api: ServiceFigures & {
    readonly scaleOutCpuPercent: number;
    readonly scaleOutCpuMinutes: number;
    readonly scaleOutRequestsPerTarget: number;
    readonly scaleOutRequestsMinutes: number;
    readonly scaleInCpuPercent: number;
    readonly scaleInCpuMinutes: number;
  };
  readonly worker: ServiceFigures & {
    readonly scaleOutQueueDepth: number;
    readonly scaleOutMinutes: number;
    readonly scaleInQueueDepth: number;
    readonly scaleInMinutes: number;
  };
  readonly pgbouncer: {
    readonly defaultPoolSize: number;
    readonly maxPoolSize: number;
  };

  readonly database: {
    readonly engineVersion: string;
    readonly instanceClass: string;
    /** Memory of `instanceClass` in GiB, for the memory alarm (FreeableMemory). */
    readonly instanceMemoryGiB: number;
    readonly multiAz: boolean;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly backupRetentionDays: number;
    readonly backupWindow: string;
    readonly maintenanceWindow: string;
    readonly deletionProtection: boolean;
    readonly readReplica: boolean;
    readonly secretRotationDays: number;
  };

  readonly cache: {
    readonly engineVersion: string;
    readonly parameterFamily: string;
    readonly nodeType: string;
    readonly shards: number;
    readonly replicasPerShard: number;
    readonly maxmemoryPolicy: string;
    readonly snapshotRetentionDays: number;
    readonly maintenanceWindow: string;
    readonly snapshotWindow: string;
  };

  readonly files: {
    readonly infrequentAccessAfterDays: number;
    readonly glacierAfterDays: number;
    readonly expireAfterDays: number;
    readonly noncurrentExpireAfterDays: number;
    /** S3 Replication Time Control (15-minute SLA) on the attachments replication rule. */
    readonly replicationTimeControl: boolean;
  };

  readonly observability: {
    readonly logRetentionDays: number;
    readonly logArchiveDays: number;
    readonly alarmPeriodSeconds: number;
    readonly cpuAlarmPercent: number;
    readonly cpuAlarmMinutes: number;
    readonly memoryAlarmPercent: number;
    readonly memoryAlarmMinutes: number;
    readonly errorRateAlarmPercent: number;
    readonly errorRateAlarmMinutes: number;
    readonly latencyAlarmMs: number;
    readonly latencyAlarmMinutes: number;
    readonly freeStorageAlarmPercent: number;
    readonly freeStorageAlarmMinutes: number;
  };

  readonly edge: {
    /** Default of the `RateLimitPerIp` parameter: requests per IP per 5 minutes. */
    readonly defaultRateLimit: number;
    /** Default of the `GeoBlockedCountries` parameter (ISO 3166-1 alpha-2). */
    readonly defaultGeoBlockedCountries: readonly string[];
    readonly albDeletionProtection: boolean;
  };

  readonly images: {
    readonly xrayDaemon: string;
  };
}

const SEVEN_YEARS_DAYS = 2557; // 7 * 365 + 2 leap days

/** The seed's figures. */
const prod: StageConfig = {
  stage: 'prod',
  region: 'us-east-1',
  replicaRegion: 'us-west-2',
  network: {
    vpcCidr: '10.0.0.0/16',
    azCount: 3,
    publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'],
    appSubnetCidrs: ['10.0.10.0/24', '10.0.11.0/24', '10.0.12.0/24'],
    dataSubnetCidrs: ['10.0.20.0/24', '10.0.21.0/24', '10.0.22.0/24'],
    natGateways: 3,
  },
  api: {
    cpu: 1024,
    memoryMiB: 2048,
    minCount: 3,
    maxCount: 10,
    scaleOutCpuPercent: 70,
    scaleOutCpuMinutes: 3,
    scaleOutRequestsPerTarget: 1000,
    scaleOutRequestsMinutes: 3,
    scaleInCpuPercent: 30,
    scaleInCpuMinutes: 10,
  },
  worker: {
    cpu: 1024,
    memoryMiB: 2048,
    minCount: 2,
    maxCount: 5,
    scaleOutQueueDepth: 100,
    scaleOutMinutes: 3,
    scaleInQueueDepth: 10,
    scaleInMinutes: 10,
  },
  pgbouncer: { defaultPoolSize: 20, maxPoolSize: 50 },
  database: {
    engineVersion: '15',
    instanceClass: 'r5.large',
    instanceMemoryGiB: 16,
    multiAz: true,
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 500,
    backupRetentionDays: 7,
    // Off-peak for a business application used in European and American office hours:
    // 03:00-05:00 UTC. Backups first, maintenance on Sunday after them.
    backupWindow: '03:00-03:30',
    maintenanceWindow: 'sun:04:00-sun:05:00',
    deletionProtection: true,
    readReplica: true,
    secretRotationDays: 30,
  },
  cache: {
    engineVersion: '6.2',
    parameterFamily: 'redis6.x',
    nodeType: 'cache.m5.large',
    shards: 2,
    replicasPerShard: 1,
    maxmemoryPolicy: 'volatile-lru',
    snapshotRetentionDays: 1,
    maintenanceWindow: 'sun:05:00-sun:06:00',
    snapshotWindow: '02:00-03:00',
  },
  files: {
    infrequentAccessAfterDays: 30,
    glacierAfterDays: 90,
    expireAfterDays: SEVEN_YEARS_DAYS,
    noncurrentExpireAfterDays: 90,
    replicationTimeControl: true,
  },
  observability: {
    logRetentionDays: 30,
    logArchiveDays: SEVEN_YEARS_DAYS,
    alarmPeriodSeconds: 60,
    cpuAlarmPercent: 80,
    cpuAlarmMinutes: 5,
    memoryAlarmPercent: 80,
    memoryAlarmMinutes: 5,
    errorRateAlarmPercent: 1,
    errorRateAlarmMinutes: 5,
    latencyAlarmMs: 500,
    latencyAlarmMinutes: 5,
    freeStorageAlarmPercent: 20,
    freeStorageAlarmMinutes: 15,
  },
  edge: {
    defaultRateLimit: 2000,
    // Comprehensively sanctioned jurisdictions; the list is a deploy-time parameter.
    defaultGeoBlockedCountries: ['CU', 'IR', 'KP', 'SY'],
    albDeletionProtection: true,
  },
  images: {
    xrayDaemon: 'public.ecr.aws/xray/aws-xray-daemon:3.3.14',
  },
};

/** Staging mirrors prod's figures (it is where failover drills and load tests run). */
const staging: StageConfig = { ...prod, stage: 'staging' };

/**
 * Dev keeps prod's topology (3 AZs, Multi-AZ cache, sidecars, alarms, WAF, replication)
 * and shrinks only what costs money without changing behaviour.
 */
const dev: StageConfig = {
  ...prod,
  stage: 'dev',
  network: { ...prod.network, natGateways: 1 },
  api: { ...prod.api, minCount: 1, maxCount: 3 },
  worker: { ...prod.worker, minCount: 1, maxCount: 2 },
  database: {
    ...prod.database,
    instanceClass: 't4g.medium',
    instanceMemoryGiB: 4,
    multiAz: false,
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 100,
    deletionProtection: false,
  },
  cache: { ...prod.cache, nodeType: 'cache.t4g.small', shards: 1 },
  files: { ...prod.files, replicationTimeControl: false },
  edge: { ...prod.edge, albDeletionProtection: false },
};

const CONFIGS: Record<StageName, StageConfig> = { dev, staging, prod };

export interface StageOverrides {
  readonly region?: string;
  readonly replicaRegion?: string;
}

export function stageConfig(stage: string, overrides: StageOverrides = {}): StageConfig {
  if (!(STAGES as readonly string[]).includes(stage)) {
    throw new Error(`unknown stage '${stage}': use one of ${STAGES.join(', ')} (cdk -c stage=NAME)`);
  }
  const base = CONFIGS[stage as StageName];
  const cfg = {
    ...base,
    region: overrides.region ?? base.region,
    replicaRegion: overrides.replicaRegion ?? base.replicaRegion,
  };
  if (cfg.region === cfg.replicaRegion) {
    throw new Error(`replicaRegion must differ from region (both are ${cfg.region})`);
  }
  return cfg;
}
