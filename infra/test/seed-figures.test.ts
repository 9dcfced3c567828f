/**
 * Every figure of the seed (../shared/seed/infrastructure-architecture.md), checked in the
 * synthesized prod templates. One row per seed line: `seed` quotes the line, `check` proves it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synth, ofType, one, ref, text, type Json } from './helpers';

const prod = synth('prod');
const T = prod.json.main;
const REPLICA = prod.json.replica;
const REGISTRY = prod.json.registry;

// ---- lookups -------------------------------------------------------------------------
const subnets = (group: string) => ofType(T, 'AWS::EC2::Subnet')
  .filter(([, r]) => r.Properties.Tags.some((t: Json) => t.Key === 'aws-cdk:subnet-name' && t.Value === group));
const routeTableOf = (subnetId: string) => one(T, 'AWS::EC2::SubnetRouteTableAssociation', (p) => text(p.SubnetId) === text(ref(subnetId)))[1].Properties.RouteTableId;
const routesOf = (routeTable: Json) => ofType(T, 'AWS::EC2::Route').filter(([, r]) => text(r.Properties.RouteTableId) === text(routeTable)).map(([, r]) => r.Properties);
const sgId = (description: string) => one(T, 'AWS::EC2::SecurityGroup', (p) => p.GroupDescription.startsWith(description))[0];
const sgRules = (type: 'Ingress' | 'Egress', groupId: string) => {
  const inline = one(T, 'AWS::EC2::SecurityGroup', (_p, id) => id === groupId)[1].Properties[`SecurityGroup${type}`] ?? [];
  const separate = ofType(T, `AWS::EC2::SecurityGroup${type}`)
    .filter(([, r]) => text(r.Properties.GroupId) === text({ 'Fn::GetAtt': [groupId, 'GroupId'] }))
    .map(([, r]) => r.Properties);
  return [...inline, ...separate];
};
const taskDef = (family: string) => one(T, 'AWS::ECS::TaskDefinition', (p) => p.Family === family)[1].Properties;
const container = (family: string, name: string) => taskDef(family).ContainerDefinitions.find((c: Json) => c.Name === name);
const env = (c: Json) => Object.fromEntries((c.Environment ?? []).map((e: Json) => [e.Name, e.Value]));
const service = (name: string) => one(T, 'AWS::ECS::Service', (p) => p.ServiceName === name);
const scalableTarget = (serviceId: string) => one(T, 'AWS::ApplicationAutoScaling::ScalableTarget', (p) => text(p.ResourceId).includes(serviceId))[1].Properties;
const alarmNamed = (name: string) => one(T, 'AWS::CloudWatch::Alarm', (p) => p.AlarmName === name)[1].Properties;
const policyOf = (alarm: Json) => {
  const id = alarm.AlarmActions[0].Ref;
  return T.Resources[id].Properties;
};
const db = (identifier: string) => one(T, 'AWS::RDS::DBInstance', (p) => p.DBInstanceIdentifier === identifier)[1].Properties;
const bucket = (name: string, tpl: Json = T) => one(tpl, 'AWS::S3::Bucket', (p) => p.BucketName === name);
const cache = () => one(T, 'AWS::ElastiCache::ReplicationGroup')[1].Properties;
const alarmsOfKind = (suffix: string) => ofType(T, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties).filter((p) => p.AlarmName.endsWith(suffix));
const notifies = (a: Json) => text(a.AlarmActions) === text([ref(one(T, 'AWS::SNS::Topic')[0])]);
const minutesOf = (a: Json) => {
  const period = a.Period ?? a.Metrics?.find((m: Json) => m.MetricStat)?.MetricStat.Period;
  assert.equal(a.DatapointsToAlarm, a.EvaluationPeriods, `${a.AlarmName}: every datapoint must breach`);
  return (period * a.EvaluationPeriods) / 60;
};

// ---- the table -----------------------------------------------------------------------
interface Row { readonly seed: string; readonly check: () => void }

const rows: Row[] = [
  // Network Architecture
  { seed: '**VPC CIDR**: 10.0.0.0/16', check: () => {
    assert.equal(one(T, 'AWS::EC2::VPC')[1].Properties.CidrBlock, '10.0.0.0/16');
  } },
  { seed: '**Availability Zones**: Deploy across 3 AZs for high availability', check: () => {
    for (const group of ['public', 'app', 'data']) {
      const azs = subnets(group).map(([, r]) => text(r.Properties.AvailabilityZone)).sort();
      assert.deepEqual(azs, [0, 1, 2].map((i) => text({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })).sort(), group);
    }
  } },
  { seed: '**Public Subnets**: 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24', check: () => {
    assert.deepEqual(subnets('public').map(([, r]) => r.Properties.CidrBlock).sort(), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  } },
  { seed: '**Private App Subnets**: 10.0.10.0/24, 10.0.11.0/24, 10.0.12.0/24', check: () => {
    assert.deepEqual(subnets('app').map(([, r]) => r.Properties.CidrBlock).sort(), ['10.0.10.0/24', '10.0.11.0/24', '10.0.12.0/24']);
  } },
  { seed: '**Private Data Subnets**: 10.0.20.0/24, 10.0.21.0/24, 10.0.22.0/24', check: () => {
    assert.deepEqual(subnets('data').map(([, r]) => r.Properties.CidrBlock).sort(), ['10.0.20.0/24', '10.0.21.0/24', '10.0.22.0/24']);
  } },
  { seed: 'One NAT Gateway per AZ for high availability / Placed in public subnets', check: () => {
    const nats = ofType(T, 'AWS::EC2::NatGateway').map(([, r]) => text(r.Properties.SubnetId)).sort();
    assert.deepEqual(nats, subnets('public').map(([id]) => text(ref(id))).sort());
  } },
  { seed: 'Single Internet Gateway for the VPC / Connected to public subnets', check: () => {
    const [igw] = one(T, 'AWS::EC2::InternetGateway');
    one(T, 'AWS::EC2::VPCGatewayAttachment', (p) => text(p.InternetGatewayId) === text(ref(igw)));
    for (const [id] of subnets('public')) {
      assert.deepEqual(routesOf(routeTableOf(id)).map((r) => [r.DestinationCidrBlock, r.GatewayId]), [['0.0.0.0/0', ref(igw)]]);
    }
  } },
  { seed: 'Private app route tables with routes to NAT Gateways', check: () => {
    const natIds = new Set(ofType(T, 'AWS::EC2::NatGateway').map(([id]) => id));
    const used = subnets('app').map(([id]) => {
      const routes = routesOf(routeTableOf(id));
      assert.equal(routes.length, 1);
      assert.equal(routes[0].DestinationCidrBlock, '0.0.0.0/0');
      return routes[0].NatGatewayId.Ref;
    });
    assert.ok(used.every((n) => natIds.has(n)));
    assert.equal(new Set(used).size, 3, 'each AZ uses its own NAT gateway');
  } },
  { seed: 'Private data route tables with no internet access', check: () => {
    for (const [id] of subnets('data')) assert.deepEqual(routesOf(routeTableOf(id)), [], `routes out of ${id}`);
  } },
  { seed: '**ALB Security Group**: Allow HTTP/HTTPS from internet', check: () => {
    const alb = sgId('oms ALB');
    const ingress = sgRules('Ingress', alb).map((r) => [r.CidrIp, r.FromPort, r.ToPort]).sort();
    assert.deepEqual(ingress, [['0.0.0.0/0', 443, 443], ['0.0.0.0/0', 80, 80]]);
    const egress = sgRules('Egress', alb);
    assert.deepEqual(egress.map((r) => [r.FromPort, r.ToPort, r.DestinationSecurityGroupId]), [[8000, 8000, { 'Fn::GetAtt': [sgId('oms ECS'), 'GroupId'] }]]);
  } },
  { seed: '**ECS Security Group**: Allow traffic from ALB security group', check: () => {
    const ingress = sgRules('Ingress', sgId('oms ECS'));
    assert.deepEqual(ingress.map((r) => [r.FromPort, r.ToPort, r.SourceSecurityGroupId, r.CidrIp]), [[8000, 8000, { 'Fn::GetAtt': [sgId('oms ALB'), 'GroupId'] }, undefined]]);
  } },
  { seed: '**RDS Security Group**: Allow MySQL/PostgreSQL from ECS security group', check: () => {
    const ingress = sgRules('Ingress', sgId('oms PostgreSQL'));
    assert.ok(ingress.every((r) => r.FromPort === 5432 && r.ToPort === 5432 && r.SourceSecurityGroupId && !r.CidrIp), text(ingress));
    assert.deepEqual(ingress.map((r) => r.SourceSecurityGroupId['Fn::GetAtt'][0]).sort(), [sgId('oms ECS'), sgId('oms secret rotation')].sort());
    assert.ok(db('oms-prod').VPCSecurityGroups.some((g: Json) => g['Fn::GetAtt']?.[0] === sgId('oms PostgreSQL')));
  } },
  { seed: '**ElastiCache Security Group**: Allow Redis from ECS security group', check: () => {
    const ingress = sgRules('Ingress', sgId('oms Redis'));
    assert.deepEqual(ingress.map((r) => [r.FromPort, r.ToPort, r.SourceSecurityGroupId]), [[6379, 6379, { 'Fn::GetAtt': [sgId('oms ECS'), 'GroupId'] }]]);
    assert.deepEqual(cache().SecurityGroupIds, [{ 'Fn::GetAtt': [sgId('oms Redis'), 'GroupId'] }]);
  } },
  { seed: 'Default NACLs with custom rules for additional security', check: () => {
    const acls = ofType(T, 'AWS::EC2::NetworkAcl');
    assert.equal(acls.length, 3);
    for (const [aclId] of acls) {
      assert.equal(ofType(T, 'AWS::EC2::SubnetNetworkAclAssociation').filter(([, r]) => r.Properties.NetworkAclId.Ref === aclId).length, 3);
      const entries = ofType(T, 'AWS::EC2::NetworkAclEntry').filter(([, r]) => r.Properties.NetworkAclId.Ref === aclId).map(([, r]) => r.Properties);
      assert.ok(entries.length > 0 && entries.every((e) => e.RuleAction === 'allow' && e.Protocol === 6), 'explicit TCP allow rules only');
      assert.ok(entries.some((e) => e.Egress) && entries.some((e) => !e.Egress));
    }
    const dataAcl = one(T, 'AWS::EC2::NetworkAcl', (_p, id) => id.includes('DataAcl'))[0];
    const dataEntries = ofType(T, 'AWS::EC2::NetworkAclEntry').filter(([, r]) => r.Properties.NetworkAclId.Ref === dataAcl).map(([, r]) => r.Properties);
    assert.ok(dataEntries.every((e) => /^10\.0\.(1[0-2]|2[0-2])\.0\/24$/.test(e.CidrBlock)), 'data tier talks to the app and data subnets only');
  } },
  { seed: '[issue 3, network] VPC flow logs', check: () => {
    const [, log] = one(T, 'AWS::EC2::FlowLog');
    assert.equal(log.Properties.TrafficType, 'ALL');
    assert.equal(log.Properties.LogDestinationType, 'cloud-watch-logs');
  } },

  // ECS Fargate Configuration
  { seed: 'Dedicated cluster for the Opportunity Management Service / Fargate launch type for serverless container management', check: () => {
    one(T, 'AWS::ECS::Cluster', (p) => p.ClusterName === 'oms-prod');
    for (const name of ['api', 'worker']) {
      const p = service(name)[1].Properties;
      assert.ok(p.LaunchType === 'FARGATE' || p.CapacityProviderStrategy?.every((c: Json) => c.CapacityProvider === 'FARGATE'), name);
    }
    for (const family of ['oms-prod-api', 'oms-prod-worker']) assert.deepEqual(taskDef(family).RequiresCompatibilities, ['FARGATE']);
  } },
  { seed: '**API Service Task**: Runs the API service container / CPU: 1 vCPU / Memory: 2 GB', check: () => {
    assert.equal(taskDef('oms-prod-api').Cpu, '1024');
    assert.equal(taskDef('oms-prod-api').Memory, '2048');
  } },
  { seed: 'Essential container: API service', check: () => {
    const api = container('oms-prod-api', 'api');
    assert.equal(api.Essential, true);
    assert.deepEqual(api.Command, ['serve']);
    assert.deepEqual(api.PortMappings.map((p: Json) => p.ContainerPort), [8000]);
  } },
  { seed: 'Sidecar container: AWS X-Ray daemon', check: () => {
    const xray = container('oms-prod-api', 'xray-daemon');
    assert.match(xray.Image, /aws-xray-daemon:/);
    assert.equal(xray.Essential, false);
    assert.deepEqual(xray.PortMappings.map((p: Json) => [p.ContainerPort, p.Protocol]), [[2000, 'udp']]);
    assert.equal(env(container('oms-prod-api', 'api')).AWS_XRAY_DAEMON_ADDRESS, '127.0.0.1:2000');
    const policies = ofType(T, 'AWS::IAM::Policy').map(([, r]) => r.Properties).filter((p) => text(p).includes('xray:PutTraceSegments'));
    assert.equal(policies.length, 1);
  } },
  { seed: 'Deployed as a sidecar container / Default pool size: 20 connections per container / Maximum pool size: 50 connections per container', check: () => {
    for (const family of ['oms-prod-api', 'oms-prod-worker']) {
      const pgb = container(family, 'pgbouncer');
      assert.equal(pgb.Essential, true);
      const e = env(pgb);
      assert.equal(e.DEFAULT_POOL_SIZE, '20');
      assert.equal(e.MAX_DB_CONNECTIONS, '50');
      assert.equal(Number(e.DEFAULT_POOL_SIZE) + Number(e.RESERVE_POOL_SIZE), 50);
      assert.equal(e.POOL_MODE, 'transaction');
      const app = container(family, family.endsWith('api') ? 'api' : 'worker');
      assert.deepEqual(app.DependsOn.find((d: Json) => d.ContainerName === 'pgbouncer'), { ContainerName: 'pgbouncer', Condition: 'HEALTHY' });
      assert.match(env(app).OMS_DATABASE_URL, /^postgresql:\/\/oms@127\.0\.0\.1:6432\/oms\?/);
    }
  } },
  { seed: '**Background Worker Task** (for async processing): / CPU: 1 vCPU / Memory: 2 GB / Essential container: Worker service', check: () => {
    assert.equal(taskDef('oms-prod-worker').Cpu, '1024');
    assert.equal(taskDef('oms-prod-worker').Memory, '2048');
    const worker = container('oms-prod-worker', 'worker');
    assert.equal(worker.Essential, true);
    assert.deepEqual(worker.Command, ['worker']);
    assert.equal(worker.Image['Fn::Sub'], container('oms-prod-api', 'api').Image['Fn::Sub'], 'the same image runs serve and worker');
  } },
  { seed: '**API Service**: / Desired count: 3 (minimum) / Maximum count: 10', check: () => {
    const [id, s] = service('api');
    assert.equal(s.Properties.DesiredCount, 3);
    const target = scalableTarget(id);
    assert.equal(target.MinCapacity, 3);
    assert.equal(target.MaxCapacity, 10);
  } },
  { seed: 'Deployment configuration: Rolling update with 100% minimum healthy percent', check: () => {
    for (const name of ['api', 'worker']) {
      const dc = service(name)[1].Properties.DeploymentConfiguration;
      assert.equal(dc.MinimumHealthyPercent, 100, name);
      assert.equal(dc.MaximumPercent, 200, name);
      assert.deepEqual(dc.DeploymentCircuitBreaker, { Enable: true, Rollback: true }, name);
    }
  } },
  { seed: 'Scale out: CPU utilization > 70% for 3 minutes', check: () => {
    const a = alarmNamed('oms-prod-api-scale-out-cpu');
    assert.equal(a.MetricName, 'CPUUtilization');
    assert.equal(a.Namespace, 'AWS/ECS');
    assert.equal(a.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(a.Threshold, 70);
    assert.equal(minutesOf(a), 3);
    const p = policyOf(a);
    assert.equal(p.PolicyType, 'StepScaling');
    assert.ok(p.StepScalingPolicyConfiguration.StepAdjustments.every((s: Json) => s.ScalingAdjustment > 0));
  } },
  { seed: 'Scale out: Request count > 1000 per target for 3 minutes', check: () => {
    const a = alarmNamed('oms-prod-api-scale-out-requests');
    assert.equal(a.MetricName, 'RequestCountPerTarget');
    assert.equal(a.Statistic, 'Sum');
    assert.equal(a.Threshold, 1000);
    assert.equal(a.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(minutesOf(a), 3);
    assert.ok(policyOf(a).StepScalingPolicyConfiguration.StepAdjustments.every((s: Json) => s.ScalingAdjustment > 0));
  } },
  { seed: 'Scale in: CPU utilization < 30% for 10 minutes', check: () => {
    const a = alarmNamed('oms-prod-api-scale-in-cpu');
    assert.equal(a.MetricName, 'CPUUtilization');
    assert.equal(a.ComparisonOperator, 'LessThanThreshold');
    assert.equal(a.Threshold, 30);
    assert.equal(minutesOf(a), 10);
    assert.ok(policyOf(a).StepScalingPolicyConfiguration.StepAdjustments.every((s: Json) => s.ScalingAdjustment < 0));
  } },
  { seed: '**Worker Service**: / Desired count: 2 (minimum) / Maximum count: 5', check: () => {
    const [id, s] = service('worker');
    assert.equal(s.Properties.DesiredCount, 2);
    const target = scalableTarget(id);
    assert.equal(target.MinCapacity, 2);
    assert.equal(target.MaxCapacity, 5);
  } },
  { seed: 'Scale out: Queue depth > 100 messages for 3 minutes', check: () => {
    const a = alarmNamed('oms-prod-worker-scale-out-queue');
    assert.equal(a.Namespace, 'OMS');
    assert.equal(a.MetricName, 'JobQueueDepth');
    assert.deepEqual(a.Dimensions, [{ Name: 'Environment', Value: 'prod' }]);
    assert.equal(a.ComparisonOperator, 'GreaterThanThreshold');
    assert.equal(a.Threshold, 100);
    assert.equal(minutesOf(a), 3);
    const targetId = policyOf(a).ScalingTargetId.Ref;
    assert.ok(text(T.Resources[targetId].Properties.ResourceId).includes(service('worker')[0]));
  } },
  { seed: 'Scale in: Queue depth < 10 messages for 10 minutes', check: () => {
    const a = alarmNamed('oms-prod-worker-scale-in-queue');
    assert.equal(a.MetricName, 'JobQueueDepth');
    assert.equal(a.ComparisonOperator, 'LessThanThreshold');
    assert.equal(a.Threshold, 10);
    assert.equal(minutesOf(a), 10);
    assert.ok(policyOf(a).StepScalingPolicyConfiguration.StepAdjustments.every((s: Json) => s.ScalingAdjustment < 0));
  } },

  // Load balancer and WAF
  { seed: 'Application Load Balancer (ALB)', check: () => {
    const [, alb] = one(T, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    assert.equal(alb.Properties.Scheme, 'internet-facing');
    assert.deepEqual(alb.Properties.Subnets.map((s: Json) => s.Ref).sort(), subnets('public').map(([id]) => id).sort());
    const attrs = Object.fromEntries(alb.Properties.LoadBalancerAttributes.map((a: Json) => [a.Key, a.Value]));
    assert.equal(attrs['routing.http.drop_invalid_header_fields.enabled'], 'true');
    assert.equal(attrs['access_logs.s3.enabled'], 'true');
  } },
  { seed: 'HTTPS listeners with ACM certificates', check: () => {
    const [, l] = one(T, 'AWS::ElasticLoadBalancingV2::Listener', (p) => p.Port === 443);
    assert.equal(l.Properties.Protocol, 'HTTPS');
    assert.deepEqual(l.Properties.Certificates, [{ CertificateArn: ref('CertificateArn') }]);
    assert.equal(T.Parameters.CertificateArn.Type, 'String');
  } },
  { seed: 'Data in transit: HTTPS/TLS 1.2+ for all communications', check: () => {
    const [, l] = one(T, 'AWS::ElasticLoadBalancingV2::Listener', (p) => p.Port === 443);
    assert.equal(l.Properties.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    const [, http] = one(T, 'AWS::ElasticLoadBalancingV2::Listener', (p) => p.Port === 80);
    assert.deepEqual(http.Properties.DefaultActions, [{ Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }]);
  } },
  { seed: 'Health checks on `/health` endpoint', check: () => {
    const [, tg] = one(T, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    assert.equal(tg.Properties.HealthCheckPath, '/health');
    assert.equal(tg.Properties.Port, 8000);
    assert.equal(tg.Properties.TargetType, 'ip');
    const [, s] = service('api');
    assert.deepEqual(s.Properties.LoadBalancers.map((l: Json) => [l.ContainerName, l.ContainerPort]), [['api', 8000]]);
  } },
  { seed: 'OWASP Top 10 protection', check: () => {
    const [aclId, acl] = one(T, 'AWS::WAFv2::WebACL');
    assert.equal(acl.Properties.Scope, 'REGIONAL');
    const groups = acl.Properties.Rules.filter((r: Json) => r.Statement.ManagedRuleGroupStatement).map((r: Json) => r.Statement.ManagedRuleGroupStatement.Name).sort();
    assert.deepEqual(groups, ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet']);
    const [, assoc] = one(T, 'AWS::WAFv2::WebACLAssociation');
    assert.deepEqual(assoc.Properties.WebACLArn, { 'Fn::GetAtt': [aclId, 'Arn'] });
    assert.equal(assoc.Properties.ResourceArn.Ref, one(T, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0]);
  } },
  { seed: 'Rate limiting rules', check: () => {
    const rule = one(T, 'AWS::WAFv2::WebACL')[1].Properties.Rules.find((r: Json) => r.Statement.RateBasedStatement);
    assert.deepEqual(rule.Action, { Block: {} });
    assert.deepEqual(rule.Statement.RateBasedStatement.Limit, ref('RateLimitPerIp'));
    assert.equal(T.Parameters.RateLimitPerIp.Type, 'Number');
  } },
  { seed: 'Geo-blocking for restricted regions', check: () => {
    const rule = one(T, 'AWS::WAFv2::WebACL')[1].Properties.Rules.find((r: Json) => r.Statement.GeoMatchStatement);
    assert.deepEqual(rule.Action, { Block: {} });
    assert.deepEqual(rule.Statement.GeoMatchStatement.CountryCodes, ref('GeoBlockedCountries'));
    assert.equal(T.Parameters.GeoBlockedCountries.Type, 'CommaDelimitedList');
  } },

  // Database
  { seed: '**Database Engine**: PostgreSQL', check: () => {
    assert.equal(db('oms-prod').Engine, 'postgres');
    assert.equal(db('oms-prod').EngineVersion, '15');
  } },
  { seed: '**Deployment**: Multi-AZ for high availability', check: () => assert.equal(db('oms-prod').MultiAZ, true) },
  { seed: '**Instance Type**: db.r5.large', check: () => assert.equal(db('oms-prod').DBInstanceClass, 'db.r5.large') },
  { seed: '**Storage**: 100 GB with auto-scaling enabled / Maximum size: 500 GB', check: () => {
    assert.equal(db('oms-prod').AllocatedStorage, '100');
    assert.equal(db('oms-prod').MaxAllocatedStorage, 500);
  } },
  { seed: '**Backup**: Daily automated backups with 7-day retention', check: () => {
    assert.equal(db('oms-prod').BackupRetentionPeriod, 7);
    assert.match(db('oms-prod').PreferredBackupWindow, /^\d\d:\d\d-\d\d:\d\d$/);
  } },
  { seed: '**Maintenance Window**: Weekly during off-peak hours', check: () => {
    assert.match(db('oms-prod').PreferredMaintenanceWindow, /^(mon|tue|wed|thu|fri|sat|sun):0[0-5]:\d\d-\1:0[0-6]:\d\d$/);
  } },
  { seed: '**Parameter Group**: Custom parameters for performance optimization', check: () => {
    const [pgId, pg] = one(T, 'AWS::RDS::DBParameterGroup');
    assert.equal(pg.Properties.Family, 'postgres15');
    assert.equal(pg.Properties.Parameters['shared_preload_libraries'], 'pg_stat_statements');
    assert.deepEqual(db('oms-prod').DBParameterGroupName, ref(pgId));
    assert.deepEqual(db('oms-prod-replica').DBParameterGroupName, ref(pgId));
  } },
  { seed: 'Encryption at rest using AWS KMS', check: () => {
    assert.equal(db('oms-prod').StorageEncrypted, true);
    assert.equal(db('oms-prod').KmsKeyId['Fn::GetAtt'][1], 'Arn');
  } },
  { seed: 'SSL/TLS for data in transit', check: () => {
    const pg = one(T, 'AWS::RDS::DBParameterGroup')[1].Properties.Parameters;
    assert.equal(pg['rds.force_ssl'], '1');
    assert.equal(pg['ssl_min_protocol_version'], 'TLSv1.2');
  } },
  { seed: 'IAM database authentication', check: () => assert.equal(db('oms-prod').EnableIAMDatabaseAuthentication, true) },
  { seed: 'AWS Secrets Manager for database credentials', check: () => {
    assert.match(text(db('oms-prod').MasterUserPassword), /resolve:secretsmanager/);
    const secrets = ofType(T, 'AWS::SecretsManager::Secret').map(([, r]) => r.Properties);
    for (const name of ['oms/prod/database/admin', 'oms/prod/database/app', 'oms/prod/cache/auth-token']) {
      const s = secrets.find((p) => p.Name === name);
      assert.ok(s, name);
      assert.ok(s.KmsKeyId, `${name} uses a customer-managed key`);
    }
    const rotations = ofType(T, 'AWS::SecretsManager::RotationSchedule').map(([, r]) => r.Properties);
    assert.deepEqual(rotations.map((r) => r.HostedRotationLambda.RotationType).sort(), ['PostgreSQLMultiUser', 'PostgreSQLSingleUser']);
    assert.ok(rotations.every((r) => r.RotationRules.ScheduleExpression === 'rate(30 days)'));
  } },
  { seed: '[issue 3, data] deletion protection', check: () => {
    assert.equal(db('oms-prod').DeletionProtection, true);
    assert.equal(db('oms-prod-replica').DeletionProtection, true);
  } },
  { seed: 'Deploy read replicas for read-heavy operations / Use connection string with read/write splitting', check: () => {
    const replica = db('oms-prod-replica');
    assert.deepEqual(replica.SourceDBInstanceIdentifier['Fn::Join'][1].at(-1), ref(one(T, 'AWS::RDS::DBInstance', (p) => p.DBInstanceIdentifier === 'oms-prod')[0]));
    assert.equal(replica.DBInstanceClass, 'db.r5.large');
    assert.equal(env(container('oms-prod-api', 'api')).OMS_DATABASE_REPLICA_URL, 'postgresql://oms@127.0.0.1:6432/oms_replica?sslmode=disable');
  } },

  // Cache
  { seed: 'Engine: Redis 6.x', check: () => {
    assert.equal(cache().Engine, 'redis');
    assert.match(cache().EngineVersion, /^6\./);
    assert.equal(one(T, 'AWS::ElastiCache::ParameterGroup')[1].Properties.CacheParameterGroupFamily, 'redis6.x');
  } },
  { seed: 'Node Type: cache.m5.large', check: () => assert.equal(cache().CacheNodeType, 'cache.m5.large') },
  { seed: 'Number of Shards: 2 / Replicas per Shard: 1', check: () => {
    assert.equal(cache().NumNodeGroups, 2);
    assert.equal(cache().ReplicasPerNodeGroup, 1);
  } },
  { seed: 'Multi-AZ: Enabled / Auto-failover: Enabled', check: () => {
    assert.equal(cache().MultiAZEnabled, true);
    assert.equal(cache().AutomaticFailoverEnabled, true);
  } },
  { seed: 'Maximum memory policy: volatile-lru', check: () => {
    const [pgId, pg] = one(T, 'AWS::ElastiCache::ParameterGroup');
    assert.equal(pg.Properties.Properties['maxmemory-policy'], 'volatile-lru');
    assert.deepEqual(cache().CacheParameterGroupName, ref(pgId));
  } },
  { seed: 'Data at rest: AWS KMS encryption for RDS, S3, and ElastiCache [and, per issue 3, TLS and an AUTH token]', check: () => {
    assert.equal(cache().AtRestEncryptionEnabled, true);
    assert.equal(cache().KmsKeyId['Fn::GetAtt'][1], 'Arn');
    assert.equal(cache().TransitEncryptionEnabled, true);
    assert.match(text(cache().AuthToken), /resolve:secretsmanager/);
    assert.match(text(env(container('oms-prod-api', 'api')).OMS_CACHE_URL), /rediss:\/\//);
  } },

  // Files
  { seed: '`opportunity-attachments-{environment}`: For storing attachments', check: () => { bucket('opportunity-attachments-prod'); } },
  { seed: '`opportunity-exports-{environment}`: For storing exported data', check: () => { bucket('opportunity-exports-prod'); } },
  { seed: 'Transition to Infrequent Access after 30 days / Transition to Glacier after 90 days / Expire objects after 7 years (GDPR compliance)', check: () => {
    for (const [name, tpl] of [['opportunity-attachments-prod', T], ['opportunity-exports-prod', T], ['opportunity-attachments-prod-replica', REPLICA]] as const) {
      const [rule] = bucket(name, tpl)[1].Properties.LifecycleConfiguration.Rules;
      assert.deepEqual(rule.Transitions.map((t: Json) => [t.StorageClass, t.TransitionInDays]), [['STANDARD_IA', 30], ['GLACIER', 90]], name);
      assert.ok(rule.ExpirationInDays >= 7 * 365 && rule.ExpirationInDays <= 7 * 366, `${name}: ${rule.ExpirationInDays} days`);
    }
  } },
  { seed: 'Server-side encryption with AWS KMS', check: () => {
    for (const name of ['opportunity-attachments-prod', 'opportunity-exports-prod']) {
      const sse = bucket(name)[1].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
      assert.equal(sse.ServerSideEncryptionByDefault.SSEAlgorithm, 'aws:kms', name);
      assert.ok(sse.ServerSideEncryptionByDefault.KMSMasterKeyID, name);
    }
  } },
  { seed: 'Bucket policies to restrict access [public access blocked, TLS only]', check: () => {
    for (const [name, tpl] of [['opportunity-attachments-prod', T], ['opportunity-exports-prod', T], ['opportunity-attachments-prod-replica', REPLICA]] as const) {
      const [id, b] = bucket(name, tpl);
      assert.deepEqual(b.Properties.PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }, name);
      const policy = one(tpl, 'AWS::S3::BucketPolicy', (p) => p.Bucket.Ref === id)[1].Properties.PolicyDocument.Statement;
      assert.ok(policy.some((s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'), `${name}: TLS only`);
      assert.ok(policy.some((s: Json) => s.Effect === 'Deny' && s.Condition?.NumericLessThan?.['s3:TlsVersion'] === 1.2), `${name}: TLS 1.2+`);
    }
  } },
  { seed: 'Versioning enabled for audit purposes', check: () => {
    for (const [name, tpl] of [['opportunity-attachments-prod', T], ['opportunity-exports-prod', T], ['opportunity-attachments-prod-replica', REPLICA]] as const) {
      assert.deepEqual(bucket(name, tpl)[1].Properties.VersioningConfiguration, { Status: 'Enabled' }, name);
    }
  } },
  { seed: 'Pre-signed URLs for secure, time-limited access [CORS for browser uploads]', check: () => {
    const [rule] = bucket('opportunity-attachments-prod')[1].Properties.CorsConfiguration.CorsRules;
    assert.ok(rule.AllowedMethods.includes('PUT') && rule.AllowedMethods.includes('POST'));
    assert.deepEqual(rule.AllowedOrigins, ref('CorsAllowedOrigins'));
    assert.ok(rule.ExposedHeaders.includes('ETag'));
  } },
  { seed: 'CloudFront distribution for fast content delivery', check: () => {
    const [, d] = one(T, 'AWS::CloudFront::Distribution');
    const cfg = d.Properties.DistributionConfig;
    const [oacId] = one(T, 'AWS::CloudFront::OriginAccessControl');
    assert.deepEqual(cfg.Origins[0].OriginAccessControlId, { 'Fn::GetAtt': [oacId, 'Id'] });
    assert.equal(cfg.Origins[0].DomainName['Fn::GetAtt'][0], bucket('opportunity-attachments-prod')[0]);
    assert.equal(cfg.DefaultCacheBehavior.ViewerProtocolPolicy, 'https-only');
    assert.equal(cfg.DefaultCacheBehavior.TrustedKeyGroups.length, 1, 'signed URLs only');
    assert.deepEqual(cfg.Restrictions.GeoRestriction, { RestrictionType: 'blacklist', Locations: ref('GeoBlockedCountries') });
    assert.ok(cfg.Logging.Bucket);
  } },
  { seed: 'S3 cross-region replication for attachments', check: () => {
    const rc = bucket('opportunity-attachments-prod')[1].Properties.ReplicationConfiguration;
    const [rule] = rc.Rules;
    assert.equal(rule.Status, 'Enabled');
    assert.match(text(rule.Destination.Bucket), /opportunity-attachments-prod-replica/);
    assert.deepEqual(rule.DeleteMarkerReplication, { Status: 'Enabled' });
    assert.deepEqual(rule.SourceSelectionCriteria, { SseKmsEncryptedObjects: { Status: 'Enabled' } });
    assert.match(text(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID), /us-west-2.*alias\/oms-prod-attachments-replica/);
    assert.equal(prod.replica.region, 'us-west-2');
    assert.notEqual(prod.replica.region, prod.main.region);
    const [, key] = one(REPLICA, 'AWS::KMS::Alias', (p) => p.AliasName === 'alias/oms-prod-attachments-replica');
    assert.ok(key);
  } },
  { seed: '1 hour for attachments', check: () => {
    const [rule] = bucket('opportunity-attachments-prod')[1].Properties.ReplicationConfiguration.Rules;
    assert.deepEqual(rule.Destination.ReplicationTime, { Status: 'Enabled', Time: { Minutes: 15 } });
  } },
  { seed: '15 minutes for database (using Point-in-Time Recovery)', check: () => {
    // Automated backups (retention > 0) enable point-in-time recovery: RDS ships WAL every 5 minutes.
    assert.ok(db('oms-prod').BackupRetentionPeriod > 0);
  } },

  // Monitoring and Logging
  { seed: 'High CPU utilization (> 80% for 5 minutes)', check: () => {
    const alarms = alarmsOfKind('-cpu-high');
    assert.deepEqual(alarms.map((a) => a.AlarmName).sort(), ['oms-prod-api-cpu-high', 'oms-prod-cache-cpu-high', 'oms-prod-db-cpu-high', 'oms-prod-db-replica-cpu-high', 'oms-prod-worker-cpu-high']);
    for (const a of alarms) {
      assert.equal(a.Threshold, 80, a.AlarmName);
      assert.equal(a.ComparisonOperator, 'GreaterThanThreshold', a.AlarmName);
      assert.equal(minutesOf(a), 5, a.AlarmName);
      assert.ok(notifies(a), a.AlarmName);
    }
  } },
  { seed: 'High memory utilization (> 80% for 5 minutes)', check: () => {
    const alarms = alarmsOfKind('-memory-high');
    assert.deepEqual(alarms.map((a) => a.AlarmName).sort(), ['oms-prod-api-memory-high', 'oms-prod-cache-memory-high', 'oms-prod-db-memory-high', 'oms-prod-db-replica-memory-high', 'oms-prod-worker-memory-high']);
    for (const a of alarms) {
      assert.equal(a.Threshold, 80, a.AlarmName);
      assert.equal(a.ComparisonOperator, 'GreaterThanThreshold', a.AlarmName);
      assert.equal(minutesOf(a), 5, a.AlarmName);
      assert.ok(notifies(a), a.AlarmName);
    }
    assert.match(alarmNamed('oms-prod-db-memory-high').Metrics[0].Expression, new RegExp(`/ ${16 * 1024 ** 3}$`), 'db.r5.large has 16 GiB');
  } },
  { seed: 'High error rates (> 1% for 5 minutes)', check: () => {
    const a = alarmNamed('oms-prod-api-error-rate-high');
    assert.equal(a.Threshold, 1);
    assert.equal(minutesOf(a), 5);
    assert.ok(notifies(a));
    const names = a.Metrics.filter((m: Json) => m.MetricStat).map((m: Json) => m.MetricStat.Metric.MetricName).sort();
    assert.deepEqual(names, ['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
    assert.match(a.Metrics[0].Expression, /^100 \*/);
  } },
  { seed: 'High latency (> 500ms for 5 minutes)', check: () => {
    const a = alarmNamed('oms-prod-api-latency-high');
    assert.equal(a.MetricName, 'TargetResponseTime');
    assert.equal(a.Threshold, 0.5, 'seconds');
    assert.equal(minutesOf(a), 5);
    assert.ok(notifies(a));
  } },
  { seed: 'Low free storage space (< 20% for 15 minutes)', check: () => {
    for (const name of ['oms-prod-db-storage-low', 'oms-prod-db-replica-storage-low']) {
      const a = alarmNamed(name);
      assert.equal(a.Threshold, 20);
      assert.equal(a.ComparisonOperator, 'LessThanThreshold');
      assert.equal(minutesOf(a), 15);
      assert.ok(notifies(a));
      assert.match(a.Metrics[0].Expression, new RegExp(`^100 \\* s / ${100 * 1024 ** 3}$`));
    }
  } },
  { seed: '[issue 3, operations] alarms notify an SNS topic', check: () => {
    const [topicId, topic] = one(T, 'AWS::SNS::Topic');
    assert.ok(topic.Properties.KmsMasterKeyId);
    const all = ofType(T, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    const notifying = all.filter((a) => text(a.AlarmActions).includes(topicId));
    assert.equal(notifying.length, all.filter((a) => !a.AlarmName.includes('-scale-')).length, 'every alarm but the scaling ones');
    assert.equal(notifying.length, 14);
    const [, sub] = one(T, 'AWS::SNS::Subscription');
    assert.equal(sub.Condition, 'HasAlarmEmail');
  } },
  { seed: 'Service health dashboard / Performance dashboard / Business metrics dashboard', check: () => {
    const names = ofType(T, 'AWS::CloudWatch::Dashboard').map(([, r]) => r.Properties.DashboardName).sort();
    assert.deepEqual(names, ['oms-prod-business-metrics', 'oms-prod-performance', 'oms-prod-service-health']);
    const body = (n: string) => text(one(T, 'AWS::CloudWatch::Dashboard', (p) => p.DashboardName === n)[1].Properties.DashboardBody);
    assert.match(body('oms-prod-service-health'), /HealthyHostCount/);
    assert.match(body('oms-prod-performance'), /TargetResponseTime/);
    assert.match(body('oms-prod-business-metrics'), /OpportunitiesCreated/);
    assert.equal(ofType(T, 'AWS::Logs::MetricFilter').length, 6);
  } },
  { seed: '30 days in CloudWatch Logs', check: () => {
    const groups = ofType(T, 'AWS::Logs::LogGroup');
    assert.ok(groups.length >= 15);
    for (const [id, g] of groups) {
      assert.equal(g.Properties.RetentionInDays, 30, id);
      assert.ok(g.Properties.KmsKeyId, `${id} encrypted`);
    }
  } },
  { seed: '7 years in S3 (for compliance)', check: () => {
    const [streamId] = one(T, 'AWS::KinesisFirehose::DeliveryStream');
    const subscribed = new Set(ofType(T, 'AWS::Logs::SubscriptionFilter')
      .filter(([, r]) => r.Properties.DestinationArn['Fn::GetAtt'][0] === streamId)
      .map(([, r]) => r.Properties.LogGroupName.Ref));
    for (const [id, g] of ofType(T, 'AWS::Logs::LogGroup')) {
      if (g.Properties.LogGroupName === '/oms/prod/log-archive-delivery') continue; // the archive's own errors
      assert.ok(subscribed.has(id), `${g.Properties.LogGroupName} is archived`);
    }
    const stream = one(T, 'AWS::KinesisFirehose::DeliveryStream')[1].Properties;
    const archiveBucket = stream.ExtendedS3DestinationConfiguration.BucketARN['Fn::GetAtt'][0];
    const [rule] = T.Resources[archiveBucket].Properties.LifecycleConfiguration.Rules;
    assert.equal(rule.ExpirationInDays, 2557);
  } },
  { seed: 'CloudWatch Logs Insights for ad-hoc analysis', check: () => {
    const names = ofType(T, 'AWS::Logs::QueryDefinition').map(([, r]) => r.Properties.Name);
    assert.ok(names.length >= 6);
    assert.ok(names.every((n) => n.startsWith('oms-prod/')));
  } },
  { seed: 'Container vulnerability scanning [ECR repository with scan on push]', check: () => {
    const [, repo] = one(REGISTRY, 'AWS::ECR::Repository');
    assert.equal(repo.Properties.RepositoryName, 'oms-prod');
    assert.deepEqual(repo.Properties.ImageScanningConfiguration, { ScanOnPush: true });
    assert.equal(repo.Properties.ImageTagMutability, 'IMMUTABLE');
    assert.match(container('oms-prod-api', 'api').Image['Fn::Sub'], /\/oms-prod:/, 'the image asset is published into this repository');
  } },
];

for (const row of rows) {
  test(`seed: ${row.seed}`, row.check);
}

test('every row quotes the seed', (t) => {
  const seedPath = [3, 4].map((up) => path.resolve(__dirname, ...Array(up).fill('..'), 'shared/seed/infrastructure-architecture.md'))
    .find((p) => fs.existsSync(p));
  if (!seedPath) {
    t.skip('the seed (shared/seed, beside the repository) is not here');
    return;
  }
  const seed = fs.readFileSync(seedPath, 'utf8');
  for (const row of rows) {
    if (row.seed.startsWith('[issue 3')) continue; // a requirement of the issue, not a line of the seed
    for (const part of row.seed.replace(/\s*\[[^\]]*\]/g, '').split(' / ')) {
      assert.ok(seed.includes(part), `"${part}" is not in the seed`);
    }
  }
});
