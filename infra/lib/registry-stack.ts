import { Duration, Fn, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import { applyTags } from './tags';

export function repositoryName(stage: string): string {
  return `oms-${stage}`;
}

export interface RegistryStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The ECR repository the service image is published to (scan on push, immutable tags).
 * It is its own stack so that it exists before `cdk deploy` publishes the image asset into
 * it: the main stack's synthesizer names this repository for its image assets.
 */
export class RegistryStack extends Stack {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    const stage = props.config.stage;

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: repositoryName(stage),
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { description: 'drop untagged layers after a day', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1), rulePriority: 1 },
        { description: 'keep the 100 newest images (rollback window)', tagStatus: ecr.TagStatus.ANY, maxImageCount: 100, rulePriority: 2 },
      ],
    });

    // The CDK bootstrap's image-publishing role pushes the asset here during `cdk deploy`.
    const publishingRoleArn = Fn.sub(
      'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-image-publishing-role-${AWS::AccountId}-${AWS::Region}',
    );
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CdkAssetPublishing',
      principals: [new iam.ArnPrincipal(publishingRoleArn)],
      actions: [
        'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:DescribeImages',
        'ecr:DescribeRepositories', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
      ],
    }));

    applyTags(this, props.config);
  }
}
