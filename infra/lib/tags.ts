import { Aspects, CfnResource, IAspect, TagManager, Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { StageConfig } from './config';

export const TAG_KEYS = { environment: 'Environment', service: 'Service', classification: 'DataClassification' } as const;
export type Classification = 'Internal' | 'PII';

/**
 * Environment and service on every taggable resource; a data classification on every one
 * too ("Internal" by default, "PII" where personal data is stored: the database, the cache,
 * the attachment and export buckets and their replica, the application logs).
 */
export function applyTags(scope: IConstruct, config: StageConfig, classification: Classification = 'Internal'): void {
  if (classification === 'PII') {
    // Higher priority than the stack-wide "Internal", whatever order the aspects run in.
    Tags.of(scope).add(TAG_KEYS.classification, 'PII', { priority: 200 });
    return;
  }
  Tags.of(scope).add(TAG_KEYS.environment, config.stage);
  Tags.of(scope).add(TAG_KEYS.service, 'oms');
  Tags.of(scope).add(TAG_KEYS.classification, classification);
  Aspects.of(scope).add(new TagRawResources({
    [TAG_KEYS.environment]: config.stage,
    [TAG_KEYS.service]: 'oms',
    [TAG_KEYS.classification]: classification,
  }));
}

/**
 * CDK's custom-resource providers are raw `CfnResource`s (an IAM role and a Lambda
 * function) that the Tags aspect cannot reach; this gives them the same tags.
 */
class TagRawResources implements IAspect {
  private static readonly TYPES = new Set(['AWS::IAM::Role', 'AWS::Lambda::Function']);
  constructor(private readonly tags: Record<string, string>) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnResource && TagRawResources.TYPES.has(node.cfnResourceType) && !TagManager.isTaggable(node)) {
      node.addPropertyOverride('Tags', Object.entries(this.tags).map(([Key, Value]) => ({ Key, Value })));
    }
  }
}
