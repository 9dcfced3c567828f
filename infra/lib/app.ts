import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig, type StageConfig } from './config';
import { OmsStack } from './oms-stack';
import { RegistryStack } from './registry-stack';
import { ReplicaStack } from './replica-stack';

export interface OmsApp {
  readonly app: App;
  readonly config: StageConfig;
  readonly main: OmsStack;
  readonly replica: ReplicaStack;
  readonly registry: RegistryStack;
}

/**
 * One stage's stacks: `oms-<stage>-replica` (DR region), `oms-<stage>-registry` (ECR) and
 * `oms-<stage>` (everything else), deployed in that order by `cdk deploy --all`.
 */
export function addStage(app: App, stage: string, options: { nag?: boolean } = {}): OmsApp {
  const ctx = (key: string) => app.node.tryGetContext(key) as string | undefined;
  const config = stageConfig(stage, {
    region: ctx('region') ?? process.env.CDK_DEFAULT_REGION,
    replicaRegion: ctx('replicaRegion'),
  });
  // The account stays unresolved (environment-agnostic): synthesis needs no AWS account.
  const env = (region: string) => ({ region });

  const replica = new ReplicaStack(app, `oms-${stage}-replica`, {
    env: env(config.replicaRegion),
    config,
    description: `oms ${stage}: disaster-recovery replica of the attachments (${config.replicaRegion})`,
    terminationProtection: stage !== 'dev',
  });
  const registry = new RegistryStack(app, `oms-${stage}-registry`, {
    env: env(config.region),
    config,
    description: `oms ${stage}: container image repository`,
    terminationProtection: stage !== 'dev',
  });
  const main = new OmsStack(app, `oms-${stage}`, {
    env: env(config.region),
    config,
    description: `oms ${stage}: Opportunity Management Service`,
    terminationProtection: stage !== 'dev',
  });
  main.addStackDependency(replica, 'attachments replicate into the replica bucket');
  main.addStackDependency(registry, 'the image asset is published into the registry');

  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
  return { app, config, main, replica, registry };
}

export function buildApp(stage: string, props: AppProps = {}, options: { nag?: boolean } = {}): OmsApp {
  const app = new App(props);
  return addStage(app, stage, options);
}
