/**
 * Tags on every resource that CloudFormation can tag: Environment, Service and
 * DataClassification ("PII" where personal data is stored, "Internal" elsewhere).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { STAGES } from '../lib/config';
import { synth, tagsOf, type Json } from './helpers';

/** Resource types that have no Tags property in CloudFormation. */
const UNTAGGABLE = new Set([
  'AWS::CDK::Metadata',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::CloudFront::CachePolicy', 'AWS::CloudFront::KeyGroup', 'AWS::CloudFront::OriginAccessControl', 'AWS::CloudFront::PublicKey',
  'AWS::Cognito::UserPoolClient',
  'AWS::EC2::NetworkAclEntry', 'AWS::EC2::Route', 'AWS::EC2::SecurityGroupEgress', 'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SubnetNetworkAclAssociation', 'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::VPCGatewayAttachment',
  'AWS::ECS::ClusterCapacityProviderAssociations',
  'AWS::IAM::Policy',
  'AWS::KMS::Alias',
  'AWS::Logs::LogStream', 'AWS::Logs::MetricFilter', 'AWS::Logs::QueryDefinition', 'AWS::Logs::SubscriptionFilter',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Subscription', 'AWS::SNS::TopicPolicy',
  'AWS::SecretsManager::ResourcePolicy', 'AWS::SecretsManager::RotationSchedule', 'AWS::SecretsManager::SecretTargetAttachment',
  'AWS::WAFv2::LoggingConfiguration', 'AWS::WAFv2::WebACLAssociation',
  'Custom::VpcRestrictDefaultSG',
]);

/** Where personal data lives. */
const isPii = (type: string, p: Json, stage: string): boolean =>
  type === 'AWS::RDS::DBInstance'
  || type === 'AWS::ElastiCache::ReplicationGroup'
  || (type === 'AWS::S3::Bucket' && /^opportunity-(attachments|exports)-/.test(p.BucketName ?? ''))
  || (type === 'AWS::Logs::LogGroup' && [`/oms/${stage}/api`, `/oms/${stage}/worker`].includes(p.LogGroupName));

for (const stage of STAGES) {
  test(`tags: every taggable resource of ${stage} is tagged`, () => {
    const s = synth(stage);
    const problems: string[] = [];
    let tagged = 0;
    for (const [name, template] of Object.entries(s.json)) {
      for (const [id, r] of Object.entries(template.Resources as Record<string, Json>)) {
        if (UNTAGGABLE.has(r.Type)) continue;
        const tags = tagsOf(r);
        const want: Record<string, string> = {
          Environment: stage,
          Service: 'oms',
          DataClassification: isPii(r.Type, r.Properties ?? {}, stage) ? 'PII' : 'Internal',
        };
        for (const [k, v] of Object.entries(want)) {
          if (tags[k] !== v) problems.push(`${name}/${id} (${r.Type}): ${k}=${tags[k]} instead of ${v}`);
        }
        tagged++;
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(tagged > 100, `${tagged} tagged resources`);
  });
}

test('tags: the PII classification covers the database, the cache, the buckets and the application logs', () => {
  const s = synth('prod');
  const pii = Object.values(s.json.main.Resources as Record<string, Json>).filter((r) => tagsOf(r).DataClassification === 'PII').map((r) => r.Type).sort();
  assert.deepEqual(pii, [
    'AWS::ElastiCache::ReplicationGroup',
    'AWS::Logs::LogGroup', 'AWS::Logs::LogGroup',
    'AWS::RDS::DBInstance', 'AWS::RDS::DBInstance',
    'AWS::S3::Bucket', 'AWS::S3::Bucket',
  ]);
  const replica = Object.values(s.json.replica.Resources as Record<string, Json>).find((r) => r.Properties?.BucketName === 'opportunity-attachments-prod-replica');
  assert.equal(tagsOf(replica).DataClassification, 'PII');
  for (const r of Object.values(s.json.main.Resources as Record<string, Json>).filter((x) => x.Type === 'AWS::ECS::Service')) {
    assert.equal(r.Properties.PropagateTags, 'SERVICE', 'tasks carry the service tags');
  }
});
