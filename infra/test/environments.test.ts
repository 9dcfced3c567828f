/**
 * dev, staging and prod come from one code path and differ only where config.ts says so.
 * The templates are normalized (the stage's name becomes STAGE) and compared resource by
 * resource, property by property; every difference must be listed below with its reason,
 * and every listed difference must occur.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { synth, type Json } from './helpers';
import type { StageName } from '../lib/config';

/**
 * Replace the stage's name where it names things (not inside words such as "/dev/null"),
 * including generated identifiers that embed the stack name and a hash of a path
 * ("omsprodNetwork...1A2B3C4D" becomes "omsSTAGENetwork...").
 */
function normalize(value: Json, stage: string): Json {
  if (typeof value === 'string') {
    if (value === stage) return 'STAGE';
    return value
      // Generated identifiers: the stack name, then path hashes (8 upper-case or 32 lower-case hex).
      .replace(new RegExp(`[A-Za-z0-9]*oms${stage}(?=[A-Z])[A-Za-z0-9]*`, 'g'), (token) =>
        token.replace(`oms${stage}`, 'omsSTAGE').replace(/(?:[0-9A-F]{8}|[0-9a-f]{32})+$/, ''))
      .replace(new RegExp(`(oms[-/ ]|opportunity-(?:attachments|exports)-|Environment=|"Environment",")${stage}(?=$|[^a-z])`, 'g'), '$1STAGE')
      // Image asset hashes follow the sources (which change while others work), not the stage.
      .replace(/\b[0-9a-f]{64}\b/g, 'ASSETHASH')
      // Construct addresses (hashes of construct paths, e.g. CloudFront caller references).
      .replace(/\bc8[0-9a-f]{40}\b/g, 'ADDR');
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, stage));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [normalize(k, stage), normalize(v, stage)]));
  return value;
}

/** Differences as "Section.LogicalId.Properties.Top" paths (or "... only in X"). */
function differences(a: Json, b: Json, aName: string, bName: string): string[] {
  const out: string[] = [];
  for (const section of ['Parameters', 'Conditions', 'Resources', 'Outputs']) {
    const sa = a[section] ?? {};
    const sb = b[section] ?? {};
    for (const id of new Set([...Object.keys(sa), ...Object.keys(sb)])) {
      if (!(id in sa)) { out.push(`${section}.${id} only in ${bName}`); continue; }
      if (!(id in sb)) { out.push(`${section}.${id} only in ${aName}`); continue; }
      const ra = sa[id];
      const rb = sb[id];
      if (section === 'Resources') {
        for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
          if (key === 'Metadata') continue; // construct paths
          if (key === 'Properties') {
            const pa = ra.Properties ?? {};
            const pb = rb.Properties ?? {};
            for (const prop of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
              if (JSON.stringify(pa[prop]) !== JSON.stringify(pb[prop])) out.push(`${section}.${id}.Properties.${prop}`);
            }
          } else if (JSON.stringify(ra[key]) !== JSON.stringify(rb[key])) {
            out.push(`${section}.${id}.${key}`);
          }
        }
      } else if (JSON.stringify(ra) !== JSON.stringify(rb)) {
        out.push(`${section}.${id}`);
      }
    }
  }
  return out.sort();
}

/**
 * Key resources by construct path instead of logical id (logical ids embed hashes of paths
 * that contain the stack name), and rewrite every reference to them the same way.
 */
function byPath(template: Json): Json {
  const rename = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources as Record<string, Json>)) {
    const p = r.Metadata?.['aws:cdk:path'];
    rename.set(id, p ? `@${p.replace(/^[^/]+\//, '')}` : id);
  }
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return rename.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [rename.get(k) ?? k, walk(x)]));
    return v;
  };
  return walk(template);
}

function compare(stage: StageName, against: StageName) {
  const x = synth(stage).json;
  const y = synth(against).json;
  const d = (a: Json, b: Json) => differences(normalize(byPath(a), stage), normalize(byPath(b), against), stage, against);
  return { main: d(x.main, y.main), replica: d(x.replica, y.replica), registry: d(x.registry, y.registry) };
}

/** What dev changes on purpose (lib/config.ts), each with its reason. */
const DEV_VS_PROD: { pattern: RegExp; reason: string }[] = [
  { pattern: /^Resources\.@Network\/Vpc\/publicSubnet[23]\/(NATGateway|EIP) only in prod$/, reason: 'one NAT gateway in dev instead of one per AZ' },
  { pattern: /^Resources\.@Network\/Vpc\/appSubnet[23]\/DefaultRoute\.Properties\.NatGatewayId$/, reason: 'dev app subnets share the single NAT gateway' },
  { pattern: /^Resources\.@Compute\/(Api|Worker)Service\/TaskCount\/Target\/Resource\.Properties\.(Min|Max)Capacity$/, reason: 'dev scales API 1-3 and worker 1-2 tasks' },
  { pattern: /^Resources\.@Compute\/(Api|Worker)Service\/Service\.Properties\.DesiredCount$/, reason: 'desired count starts at the minimum' },
  { pattern: /^Resources\.@Data\/(Primary|Replica)\/Resource\.Properties\.DBInstanceClass$/, reason: 'db.t4g.medium in dev' },
  { pattern: /^Resources\.@Data\/Primary\/Resource\.Properties\.(MultiAZ|AllocatedStorage|MaxAllocatedStorage)$/, reason: 'single-AZ, 20 GB growing to 100 GB in dev' },
  { pattern: /^Resources\.@Data\/Replica\/Resource\.Properties\.MaxAllocatedStorage$/, reason: 'the replica grows like its primary' },
  { pattern: /^Resources\.@Data\/(Primary|Replica)\/Resource\.Properties\.DeletionProtection$/, reason: 'dev databases can be deleted' },
  { pattern: /^Resources\.@Monitoring\/(Db|DbReplica)(Memory|Storage)\/Resource\.Properties\.Metrics$/, reason: 'memory and storage alarms are computed from the smaller instance and volume' },
  { pattern: /^Resources\.@Cache\/ReplicationGroup\.Properties\.(CacheNodeType|NumNodeGroups)$/, reason: 'cache.t4g.small, one shard (still with its replica, Multi-AZ) in dev' },
  { pattern: /^Resources\.@Monitoring\/Cache(Cpu|Memory)\/Resource\.Properties\.Metrics$/, reason: 'cache alarms cover the nodes that exist (2 in dev, 4 in prod)' },
  { pattern: /^Resources\.@Monitoring\/(Health|Performance)Dashboard\/Resource\.Properties\.DashboardBody$/, reason: 'dashboards graph the cache nodes that exist' },
  { pattern: /^Resources\.@Files\/Attachments\/Resource\.Properties\.ReplicationConfiguration$/, reason: 'no Replication Time Control (15-minute SLA) in dev' },
  { pattern: /^Resources\.@Edge\/Alb\/Resource\.Properties\.LoadBalancerAttributes$/, reason: 'the dev load balancer has no deletion protection' },
];

test('staging is prod with another name', () => {
  assert.deepEqual(compare('staging', 'prod'), { main: [], replica: [], registry: [] });
});

test('dev differs from prod only where intended', () => {
  const diff = compare('dev', 'prod');
  assert.deepEqual(diff.replica, [], 'replica stack');
  assert.deepEqual(diff.registry, [], 'registry stack');
  const unexpected = diff.main.filter((d) => !DEV_VS_PROD.some((e) => e.pattern.test(d)));
  assert.deepEqual(unexpected, [], 'unintended differences between dev and prod');
  const missing = DEV_VS_PROD.filter((e) => !diff.main.some((d) => e.pattern.test(d))).map((e) => e.reason);
  assert.deepEqual(missing, [], 'intended differences that no longer occur');
});

test('dev keeps the topology: 3 AZs, nine subnets, Multi-AZ cache, the sidecars, WAF, replication', () => {
  const dev = synth('dev').json.main;
  const count = (type: string) => Object.values(dev.Resources as Record<string, Json>).filter((r) => r.Type === type).length;
  assert.equal(count('AWS::EC2::Subnet'), 9);
  assert.equal(count('AWS::WAFv2::WebACL'), 1);
  assert.equal(count('AWS::RDS::DBInstance'), 2);
  const cache = Object.values(dev.Resources as Record<string, Json>).find((r) => r.Type === 'AWS::ElastiCache::ReplicationGroup');
  assert.equal(cache.Properties.MultiAZEnabled, true);
  assert.equal(cache.Properties.ReplicasPerNodeGroup, 1);
});
