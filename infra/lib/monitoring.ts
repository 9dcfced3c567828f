import { Duration, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import type { Cache } from './cache';
import { METRIC_NAMESPACE, type Compute } from './compute';
import type { Data } from './data';
import type { Edge } from './edge';
import type { Logging } from './logging';

export interface MonitoringProps {
  readonly config: StageConfig;
  readonly logging: Logging;
  readonly compute: Compute;
  readonly data: Data;
  readonly cache: Cache;
  readonly edge: Edge;
}

/**
 * Business metrics, counted from the API's JSON access-log lines by metric filters
 * (fields `method`, `route` (the route template), `status`; see docs/operations.md).
 */
export const BUSINESS_METRICS: readonly { name: string; method: string; route: string; status: number; title: string }[] = [
  { name: 'OpportunitiesCreated', method: 'POST', route: '/api/v1/opportunities', status: 201, title: 'Opportunities created' },
  { name: 'OpportunitiesSubmitted', method: 'POST', route: '/api/v1/opportunities/{id}/submit', status: 200, title: 'Opportunities submitted' },
  { name: 'OpportunitiesCancelled', method: 'POST', route: '/api/v1/opportunities/{id}/cancel', status: 200, title: 'Opportunities cancelled' },
  { name: 'OpportunitiesReactivated', method: 'POST', route: '/api/v1/opportunities/{id}/reactivate', status: 200, title: 'Opportunities reactivated' },
  { name: 'AttachmentsAdded', method: 'POST', route: '/api/v1/opportunities/{id}/attachments', status: 201, title: 'Attachments added' },
  { name: 'ExportsRequested', method: 'POST', route: '/api/v1/exports', status: 202, title: 'Exports requested' },
];

/** Saved CloudWatch Logs Insights queries (name -> query); they read the JSON log fields. */
export const SAVED_QUERIES: Record<string, { groups: ('api' | 'worker' | 'pgbouncer')[]; query: string }> = {
  'errors-by-route': {
    groups: ['api'],
    query: 'fields @timestamp, route, status, request_id, trace_id\n| filter status >= 500\n| stats count(*) as errors by route, status\n| sort errors desc',
  },
  'slowest-requests': {
    groups: ['api'],
    query: 'fields @timestamp, method, route, status, duration_ms, request_id\n| filter ispresent(duration_ms)\n| sort duration_ms desc\n| limit 50',
  },
  'latency-percentiles-by-route': {
    groups: ['api'],
    query: 'filter ispresent(duration_ms)\n| stats count(*) as requests, pct(duration_ms, 50) as p50, pct(duration_ms, 95) as p95, pct(duration_ms, 99) as p99 by route\n| sort p99 desc',
  },
  'trace-a-request': {
    groups: ['api', 'worker'],
    query: 'fields @timestamp, @logStream, level, message, route, status\n| filter request_id = "REPLACE-ME" or trace_id = "REPLACE-ME"\n| sort @timestamp asc',
  },
  'application-errors': {
    groups: ['api', 'worker'],
    query: 'fields @timestamp, @logStream, level, message, request_id\n| filter level in ["error", "critical"]\n| sort @timestamp desc\n| limit 200',
  },
  'job-outcomes': {
    groups: ['worker'],
    query: 'filter ispresent(job_type)\n| stats count(*) as jobs by job_type, outcome, bin(1h)',
  },
  'rate-limited-clients': {
    groups: ['api'],
    query: 'filter status = 429\n| stats count(*) as rejected by client_ip\n| sort rejected desc\n| limit 25',
  },
  'pgbouncer-errors': {
    groups: ['pgbouncer'],
    query: 'fields @timestamp, @message\n| filter @message like /ERROR|WARNING|FATAL/\n| sort @timestamp desc\n| limit 100',
  },
};

/**
 * The seed's operations: the five alarm kinds notifying an SNS topic, the three dashboards
 * and the saved Logs Insights queries.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboards: Record<'health' | 'performance' | 'business', cloudwatch.Dashboard>;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config, compute, data, cache, edge, logging } = props;
    const o = config.observability;
    const stage = config.stage;
    const period = Duration.seconds(o.alarmPeriodSeconds);
    const minutes = (m: number) => Math.round((m * 60) / o.alarmPeriodSeconds);

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `oms-${stage}-alarms`,
      displayName: `oms ${stage} alarms`,
      masterKey: logging.key,
      enforceSSL: true,
    });

    const alarm = (
      cid: string, name: string, description: string, metric: cloudwatch.IMetric,
      threshold: number, op: cloudwatch.ComparisonOperator, mins: number,
      missing = cloudwatch.TreatMissingData.MISSING,
    ) => {
      const a = new cloudwatch.Alarm(this, cid, {
        alarmName: `oms-${stage}-${name}`,
        alarmDescription: `${description} (docs/operations.md, "Alarms")`,
        metric,
        threshold,
        comparisonOperator: op,
        evaluationPeriods: minutes(mins),
        datapointsToAlarm: minutes(mins),
        treatMissingData: missing,
      });
      a.addAlarmAction(new cwActions.SnsAction(this.topic));
      a.addOkAction(new cwActions.SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };
    const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
    const avg = { period, statistic: cloudwatch.Stats.AVERAGE };

    // ---- CPU > 80% for 5 minutes ----
    const cpuText = `CPU above ${o.cpuAlarmPercent}% for ${o.cpuAlarmMinutes} minutes`;
    alarm('ApiCpu', 'api-cpu-high', `API service: ${cpuText}`, compute.apiService.metricCpuUtilization(avg), o.cpuAlarmPercent, GT, o.cpuAlarmMinutes);
    alarm('WorkerCpu', 'worker-cpu-high', `Worker service: ${cpuText}`, compute.workerService.metricCpuUtilization(avg), o.cpuAlarmPercent, GT, o.cpuAlarmMinutes);
    alarm('DbCpu', 'db-cpu-high', `PostgreSQL primary: ${cpuText}`, data.instance.metricCPUUtilization(avg), o.cpuAlarmPercent, GT, o.cpuAlarmMinutes);
    if (data.replica) {
      alarm('DbReplicaCpu', 'db-replica-cpu-high', `PostgreSQL replica: ${cpuText}`, data.replica.metricCPUUtilization(avg), o.cpuAlarmPercent, GT, o.cpuAlarmMinutes);
    }
    alarm('CacheCpu', 'cache-cpu-high', `Redis (busiest node): engine ${cpuText}`, this.cacheMax(cache, 'EngineCPUUtilization', period, 'Redis engine CPU %'), o.cpuAlarmPercent, GT, o.cpuAlarmMinutes);

    // ---- memory > 80% for 5 minutes ----
    const memText = `memory above ${o.memoryAlarmPercent}% for ${o.memoryAlarmMinutes} minutes`;
    alarm('ApiMemory', 'api-memory-high', `API service: ${memText}`, compute.apiService.metricMemoryUtilization(avg), o.memoryAlarmPercent, GT, o.memoryAlarmMinutes);
    alarm('WorkerMemory', 'worker-memory-high', `Worker service: ${memText}`, compute.workerService.metricMemoryUtilization(avg), o.memoryAlarmPercent, GT, o.memoryAlarmMinutes);
    alarm('CacheMemory', 'cache-memory-high', `Redis (fullest node): ${memText}`, this.cacheMax(cache, 'DatabaseMemoryUsagePercentage', period, 'Redis memory %'), o.memoryAlarmPercent, GT, o.memoryAlarmMinutes);
    const memBytes = config.database.instanceMemoryGiB * 1024 ** 3;
    const dbMem = (instance: typeof data.instance | NonNullable<typeof data.replica>, label: string) => new cloudwatch.MathExpression({
      expression: `100 - 100 * m / ${memBytes}`,
      usingMetrics: { m: instance.metric('FreeableMemory', avg) },
      label: `${label} memory used %`,
      period,
    });
    alarm('DbMemory', 'db-memory-high', `PostgreSQL primary: ${memText}`, dbMem(data.instance, 'primary'), o.memoryAlarmPercent, GT, o.memoryAlarmMinutes);
    if (data.replica) {
      alarm('DbReplicaMemory', 'db-replica-memory-high', `PostgreSQL replica: ${memText}`, dbMem(data.replica, 'replica'), o.memoryAlarmPercent, GT, o.memoryAlarmMinutes);
    }

    // ---- error rate > 1% for 5 minutes (5xx from the targets and from the ALB itself) ----
    const albMetrics = edge.alb.metrics;
    const errorRate = new cloudwatch.MathExpression({
      expression: '100 * (FILL(t5, 0) + FILL(e5, 0)) / IF(FILL(r, 0) > 0, r, 1)',
      usingMetrics: {
        t5: albMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
        e5: albMetrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
        r: albMetrics.requestCount({ period, statistic: 'Sum' }),
      },
      label: 'HTTP 5xx %',
      period,
    });
    alarm('ErrorRate', 'api-error-rate-high', `API: 5xx responses above ${o.errorRateAlarmPercent}% of requests for ${o.errorRateAlarmMinutes} minutes`, errorRate, o.errorRateAlarmPercent, GT, o.errorRateAlarmMinutes, cloudwatch.TreatMissingData.NOT_BREACHING);

    // ---- latency > 500 ms for 5 minutes (p95 of the target response time) ----
    const latency = albMetrics.targetResponseTime({ period, statistic: cloudwatch.Stats.percentile(95) });
    alarm('Latency', 'api-latency-high', `API: p95 latency above ${o.latencyAlarmMs} ms for ${o.latencyAlarmMinutes} minutes`, latency, o.latencyAlarmMs / 1000, GT, o.latencyAlarmMinutes, cloudwatch.TreatMissingData.NOT_BREACHING);

    // ---- free storage < 20% for 15 minutes ----
    const storageBytes = config.database.allocatedStorageGiB * 1024 ** 3;
    const freePct = (instance: typeof data.instance | NonNullable<typeof data.replica>, label: string) => new cloudwatch.MathExpression({
      expression: `100 * s / ${storageBytes}`,
      usingMetrics: { s: instance.metricFreeStorageSpace({ period, statistic: cloudwatch.Stats.MINIMUM }) },
      label: `${label} free storage % of the allocated ${config.database.allocatedStorageGiB} GiB`,
      period,
    });
    const storageText = `free storage below ${o.freeStorageAlarmPercent}% for ${o.freeStorageAlarmMinutes} minutes`;
    alarm('DbStorage', 'db-storage-low', `PostgreSQL primary: ${storageText}`, freePct(data.instance, 'primary'), o.freeStorageAlarmPercent, LT, o.freeStorageAlarmMinutes);
    if (data.replica) {
      alarm('DbReplicaStorage', 'db-replica-storage-low', `PostgreSQL replica: ${storageText}`, freePct(data.replica, 'replica'), o.freeStorageAlarmPercent, LT, o.freeStorageAlarmMinutes);
    }

    // ---- business metrics from the access log ----
    const apiLog = compute.logGroups.api;
    const business: cloudwatch.Metric[] = BUSINESS_METRICS.map((m) => {
      new logs.MetricFilter(this, `Business${m.name}`, {
        logGroup: apiLog,
        filterName: m.name,
        metricNamespace: METRIC_NAMESPACE,
        metricName: m.name,
        metricValue: '1',
        defaultValue: 0,
        filterPattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.method', '=', m.method),
          logs.FilterPattern.stringValue('$.route', '=', m.route),
          logs.FilterPattern.numberValue('$.status', '=', m.status),
        ),
      });
      return new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: m.name, statistic: 'Sum', period: Duration.hours(1), label: m.title });
    });

    // ---- saved queries ----
    for (const [name, q] of Object.entries(SAVED_QUERIES)) {
      new logs.QueryDefinition(this, `Query-${name}`, {
        queryDefinitionName: `oms-${stage}/${name}`,
        queryString: new logs.QueryString({ ...parseQuery(q.query) }),
        logGroups: q.groups.map((g) => compute.logGroups[g]),
      });
    }

    // ---- dashboards ----
    const w = 8;
    const alarmStatus = new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 });
    const healthy = new cloudwatch.GraphWidget({
      title: 'ALB targets (healthy / unhealthy)', width: w,
      left: [
        edge.targetGroup.metrics.healthyHostCount({ period, statistic: 'Minimum' }),
        edge.targetGroup.metrics.unhealthyHostCount({ period, statistic: 'Maximum' }),
      ],
    });
    const running = new cloudwatch.GraphWidget({
      title: 'Running tasks', width: w,
      left: [
        containerInsights('RunningTaskCount', compute.cluster.clusterName, 'api', period),
        containerInsights('RunningTaskCount', compute.cluster.clusterName, 'worker', period),
      ],
    });
    const errors = new cloudwatch.GraphWidget({ title: 'HTTP 5xx %', width: w, left: [errorRate], leftAnnotations: [{ value: o.errorRateAlarmPercent, label: 'alarm' }] });
    const replicaLag = data.replica
      ? [new cloudwatch.GraphWidget({ title: 'Replica lag (s)', width: w, left: [data.replica.metric('ReplicaLag', { period, statistic: 'Maximum' })] })]
      : [];
    const cacheRepl = new cloudwatch.GraphWidget({ title: 'Redis replication lag (s)', width: w, left: cache.nodeIds.map((n) => cacheMetric('ReplicationLag', n, period, 'Maximum')) });

    this.dashboards = {
      health: new cloudwatch.Dashboard(this, 'HealthDashboard', {
        dashboardName: `oms-${stage}-service-health`,
        widgets: [
          [alarmStatus],
          [healthy, running, errors],
          [
            new cloudwatch.GraphWidget({ title: 'HTTP status classes', width: w, left: [
              albMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_2XX_COUNT, { period, statistic: 'Sum' }),
              albMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, { period, statistic: 'Sum' }),
              albMetrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
              albMetrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
            ] }),
            new cloudwatch.GraphWidget({ title: 'Job queue depth', width: w, left: [compute.queueDepth], leftAnnotations: [
              { value: config.worker.scaleOutQueueDepth, label: 'scale out' }, { value: config.worker.scaleInQueueDepth, label: 'scale in' },
            ] }),
            ...replicaLag,
            cacheRepl,
          ],
          [new cloudwatch.GraphWidget({ title: 'WAF blocked requests', width: 12, left: [
            new cloudwatch.Metric({ namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', dimensionsMap: { WebACL: `oms-${stage}`, Rule: 'ALL', Region: Stack.of(this).region }, statistic: 'Sum', period }),
          ] }),
          new cloudwatch.LogQueryWidget({ title: 'Recent application errors', width: 12, logGroupNames: [compute.logGroups.api.logGroupName, compute.logGroups.worker.logGroupName],
            queryLines: ['fields @timestamp, level, message, request_id', 'filter level in ["error", "critical"]', 'sort @timestamp desc', 'limit 20'] })],
        ],
      }),
      performance: new cloudwatch.Dashboard(this, 'PerformanceDashboard', {
        dashboardName: `oms-${stage}-performance`,
        widgets: [
          [
            new cloudwatch.GraphWidget({ title: 'Latency (s)', width: w, left: ['p50', 'p95', 'p99'].map((p) => albMetrics.targetResponseTime({ period, statistic: p, label: p })),
              leftAnnotations: [{ value: o.latencyAlarmMs / 1000, label: 'alarm (p95)' }] }),
            new cloudwatch.GraphWidget({ title: 'Requests', width: w, left: [albMetrics.requestCount({ period, statistic: 'Sum' })],
              right: [edge.targetGroup.metrics.requestCountPerTarget({ period, statistic: 'Sum' })] }),
            new cloudwatch.GraphWidget({ title: 'ECS CPU / memory %', width: w, left: [
              compute.apiService.metricCpuUtilization(avg), compute.workerService.metricCpuUtilization(avg),
              compute.apiService.metricMemoryUtilization(avg), compute.workerService.metricMemoryUtilization(avg),
            ], leftAnnotations: [{ value: o.cpuAlarmPercent, label: 'alarm' }] }),
          ],
          [
            new cloudwatch.GraphWidget({ title: 'PostgreSQL CPU % / connections', width: w,
              left: [data.instance.metricCPUUtilization(avg), ...(data.replica ? [data.replica.metricCPUUtilization(avg)] : [])],
              right: [data.instance.metricDatabaseConnections(avg), ...(data.replica ? [data.replica.metricDatabaseConnections(avg)] : [])] }),
            new cloudwatch.GraphWidget({ title: 'PostgreSQL IOPS / latency', width: w,
              left: [data.instance.metric('ReadIOPS', avg), data.instance.metric('WriteIOPS', avg)],
              right: [data.instance.metric('ReadLatency', avg), data.instance.metric('WriteLatency', avg)] }),
            new cloudwatch.GraphWidget({ title: 'PostgreSQL freeable memory / free storage', width: w,
              left: [data.instance.metric('FreeableMemory', avg)], right: [data.instance.metricFreeStorageSpace(avg)] }),
          ],
          [
            new cloudwatch.GraphWidget({ title: 'Redis engine CPU %', width: w, left: cache.nodeIds.map((n) => cacheMetric('EngineCPUUtilization', n, period, 'Average')) }),
            new cloudwatch.GraphWidget({ title: 'Redis memory %', width: w, left: cache.nodeIds.map((n) => cacheMetric('DatabaseMemoryUsagePercentage', n, period, 'Average')) }),
            new cloudwatch.GraphWidget({ title: 'Redis hit ratio %', width: w, left: [new cloudwatch.MathExpression({
              expression: '100 * SUM(METRICS("h")) / (SUM(METRICS("h")) + SUM(METRICS("m")))',
              usingMetrics: Object.fromEntries(cache.nodeIds.flatMap((n, i) => [
                [`h${i}`, cacheMetric('CacheHits', n, period, 'Sum')], [`m${i}`, cacheMetric('CacheMisses', n, period, 'Sum')],
              ])),
              label: 'hit ratio', period,
            })] }),
          ],
        ],
      }),
      business: new cloudwatch.Dashboard(this, 'BusinessDashboard', {
        dashboardName: `oms-${stage}-business-metrics`,
        widgets: [
          [
            new cloudwatch.GraphWidget({ title: 'Opportunity lifecycle (per hour)', width: 12, left: business.slice(0, 4) }),
            new cloudwatch.GraphWidget({ title: 'Attachments and exports (per hour)', width: 12, left: business.slice(4) }),
          ],
          [
            new cloudwatch.SingleValueWidget({ title: 'Last 24 hours', width: 24, metrics: business.map((m) => m.with({ period: Duration.days(1) })), setPeriodToTimeRange: true }),
          ],
          [
            new cloudwatch.GraphWidget({ title: 'Job queue depth', width: 12, left: [compute.queueDepth] }),
            new cloudwatch.LogQueryWidget({ title: 'Busiest routes', width: 12, logGroupNames: [apiLog.logGroupName],
              queryLines: ['filter ispresent(route)', 'stats count(*) as requests by method, route', 'sort requests desc', 'limit 15'] }),
          ],
        ],
      }),
    };
  }

  private cacheMax(cache: Cache, metricName: string, period: Duration, label: string): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: `MAX([${cache.nodeIds.map((_, i) => `n${i}`).join(', ')}])`,
      usingMetrics: Object.fromEntries(cache.nodeIds.map((n, i) => [`n${i}`, cacheMetric(metricName, n, period, 'Average')])),
      label,
      period,
    });
  }
}

function cacheMetric(metricName: string, node: string, period: Duration, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName, dimensionsMap: { CacheClusterId: node }, period, statistic, label: `${node} ${metricName}` });
}

function containerInsights(metricName: string, cluster: string, service: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'ECS/ContainerInsights', metricName, dimensionsMap: { ClusterName: cluster, ServiceName: service }, period, statistic: 'Average', label: `${service} ${metricName}` });
}

function parseQuery(query: string): { fields?: string[]; filterStatements?: string[]; statsStatements?: string[]; sort?: string; limit?: number } {
  // logs.QueryString wants the clauses apart; the saved queries are written as plain text.
  const out: { fields?: string[]; filterStatements?: string[]; statsStatements?: string[]; sort?: string; limit?: number } = {};
  for (const raw of query.split('\n')) {
    const line = raw.replace(/^\|\s*/, '').trim();
    const [verb, ...rest] = line.split(' ');
    const body = rest.join(' ');
    if (verb === 'fields') out.fields = body.split(',').map((s) => s.trim());
    else if (verb === 'filter') (out.filterStatements ??= []).push(body);
    else if (verb === 'stats') (out.statsStatements ??= []).push(body);
    else if (verb === 'sort') out.sort = body;
    else if (verb === 'limit') out.limit = Number(body);
    else throw new Error(`saved query: unsupported clause '${line}'`);
  }
  return out;
}
