/**
 * The container contract (docs/configuration.md) as the infrastructure uses it, and the
 * Dockerfile that builds the image asset.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGE_EXCLUDES } from '../lib/compute';
import { REPO_DIR, INFRA_DIR, synth, ofType, type Json } from './helpers';

const prod = synth('prod');
const T = prod.json.main;
const tasks = ofType(T, 'AWS::ECS::TaskDefinition').map(([, r]) => r.Properties);
const omsContainers = tasks.flatMap((t) => t.ContainerDefinitions.filter((c: Json) => ['api', 'worker', 'migrate'].includes(c.Name)).map((c: Json) => ({ family: t.Family, c })));
const docs = fs.readFileSync(path.join(REPO_DIR, 'docs/configuration.md'), 'utf8');
const dockerfile = fs.readFileSync(path.join(REPO_DIR, 'Dockerfile'), 'utf8');

/** Variables the infrastructure sets that are not the service's own (see infra/README.md). */
const PLATFORM_VARIABLES = new Set(['AWS_REGION', 'AWS_XRAY_DAEMON_ADDRESS']);

const [appClientId, appClient] = (() => {
  const clients = ofType(T, 'AWS::Cognito::UserPoolClient');
  assert.equal(clients.length, 1, 'one app client');
  return [clients[0][0], clients[0][1].Properties] as const;
})();

test('contract: every variable given to oms is documented in docs/configuration.md', () => {
  const documented = new Set([...docs.matchAll(/`(OMS_[A-Z0-9_]+)`/g)].map((m) => m[1]));
  assert.ok(documented.size >= 20, 'the table was parsed');
  for (const { family, c } of omsContainers) {
    const names = [...(c.Environment ?? []).map((e: Json) => e.Name), ...(c.Secrets ?? []).map((s: Json) => s.Name)];
    const unknown = names.filter((n: string) => !documented.has(n) && !PLATFORM_VARIABLES.has(n));
    assert.deepEqual(unknown, [], `${family}/${c.Name}`);
    for (const required of ['OMS_PROFILE', 'OMS_ENVIRONMENT', 'OMS_DATABASE_URL', 'OMS_DATABASE_PASSWORD', 'OMS_CACHE_URL', 'OMS_CACHE_AUTH_TOKEN', 'OMS_ATTACHMENTS_URL', 'OMS_EXPORTS_URL', 'OMS_JWT_ISSUER', 'OMS_JWT_CLIENT_ID', 'OMS_JWT_SERVICE_SCOPE', 'OMS_JWKS_URL']) {
      assert.ok(names.includes(required), `${family}/${c.Name} sets ${required}`);
    }
    const env = Object.fromEntries((c.Environment ?? []).map((e: Json) => [e.Name, e.Value]));
    assert.equal(env.OMS_PROFILE, 'production');
    assert.equal(env.OMS_ENVIRONMENT, 'prod');
    assert.equal(env.OMS_HTTP_PORT, '8000');
    assert.equal(env.OMS_ATTACHMENTS_URL, 's3://opportunity-attachments-prod');
    assert.equal(env.OMS_EXPORTS_URL, 's3://opportunity-exports-prod');
    // Cognito: the app client checks ID tokens (aud) and users' access tokens (client_id); the
    // service scope admits the matching and selection services' client-credentials tokens.
    assert.deepEqual(env.OMS_JWT_CLIENT_ID, { Ref: appClientId });
    // Only the API task serves the web page, so only it needs the Hosted UI's address.
    assert.deepEqual(env.OMS_COGNITO_DOMAIN, c.Name === 'api' ? { Ref: 'CognitoDomain' } : undefined, `${family}/${c.Name}`);
    assert.deepEqual(env.OMS_JWT_SERVICE_SCOPE, { Ref: 'CognitoServiceScope' });
    assert.equal(env.OMS_JWT_AUDIENCE, undefined, 'the older name is not set next to OMS_JWT_CLIENT_ID');
    const secrets = (c.Secrets ?? []).map((s: Json) => s.Name).sort();
    // The API alone signs attachment downloads for CloudFront, so it alone gets that key.
    const expected = c.Name === 'api'
      ? ['OMS_ATTACHMENTS_CDN_PRIVATE_KEY', 'OMS_CACHE_AUTH_TOKEN', 'OMS_DATABASE_PASSWORD']
      : ['OMS_CACHE_AUTH_TOKEN', 'OMS_DATABASE_PASSWORD'];
    assert.deepEqual(secrets, expected, 'secrets come from Secrets Manager, never plain');
  }
});

test('contract: the app client lets the web page sign in with the code grant and PKCE, back to https://<host>/', () => {
  const pageUrl = { 'Fn::Join': ['', ['https://', { Ref: 'ServiceHostName' }, '/']] };
  assert.deepEqual(appClient.UserPoolId, { Ref: 'CognitoUserPoolId' }, 'in the existing user pool');
  assert.deepEqual(appClient.CallbackURLs, [pageUrl]);
  assert.deepEqual(appClient.LogoutURLs, [pageUrl]);
  assert.deepEqual(appClient.AllowedOAuthFlows, ['code'], 'authorization code only (no implicit grant)');
  assert.equal(appClient.AllowedOAuthFlowsUserPoolClient, true);
  assert.equal(appClient.GenerateSecret, false, 'a public client: the browser keeps no secret, PKCE protects the code');
  // The scopes web/auth.js asks for.
  assert.deepEqual(appClient.AllowedOAuthScopes, ['openid', 'email', 'profile']);
  assert.match(fs.readFileSync(path.join(REPO_DIR, 'web/auth.js'), 'utf8'), /scope: 'openid email profile'/);
  assert.match(fs.readFileSync(path.join(REPO_DIR, 'web/auth.js'), 'utf8'), /code_challenge_method: 'S256'/);
  assert.match(T.Parameters.CognitoDomain.AllowedPattern, /^\^https:/);
  assert.ok(T.Outputs.AppClientId, 'the app client id is an output');
});

test('contract: the Cognito service scope parameter defaults to the documented scope', () => {
  assert.equal(T.Parameters.CognitoServiceScope.Default, 'oms/service');
  assert.match(docs, /`--jwt-service-scope` \| `OMS_JWT_SERVICE_SCOPE` \|.*`oms\/service`/);
});

test('contract: the worker container is health-checked on the port `oms worker` serves /health on', () => {
  const worker = omsContainers.find(({ c }) => c.Name === 'worker')!.c;
  const env = Object.fromEntries(worker.Environment.map((e: Json) => [e.Name, e.Value]));
  assert.equal(env.OMS_WORKER_PORT, '8081');
  assert.match(docs, /`--worker-port` \| `OMS_WORKER_PORT` \| `8081`/);
  assert.deepEqual(worker.HealthCheck.Command, ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8081/health']);
  assert.equal(worker.PortMappings, undefined, 'the worker port is not mapped');
});

test('contract: /metrics is internal: the metrics port is no port mapping, ALB target, listener rule or ingress rule', () => {
  const api = omsContainers.find(({ c }) => c.Name === 'api')!.c;
  const env = Object.fromEntries(api.Environment.map((e: Json) => [e.Name, e.Value]));
  assert.equal(env.OMS_METRICS_PORT, '9100');
  assert.deepEqual(api.PortMappings.map((m: Json) => m.ContainerPort), [8000], 'the metrics port is not mapped');
  assert.match(docs, /`--metrics-port` \| `OMS_METRICS_PORT` \|.*`9100`/);
  // The load balancer reaches the API port, and only it.
  const targets = ofType(T, 'AWS::ECS::Service').flatMap(([, r]) => r.Properties.LoadBalancers ?? []);
  assert.deepEqual(targets.map((t: Json) => t.ContainerPort), [8000]);
  const groups = ofType(T, 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([, r]) => r.Properties);
  assert.ok(groups.length >= 1);
  for (const g of groups) assert.equal(g.Port, 8000);
  for (const [, rule] of ofType(T, 'AWS::ElasticLoadBalancingV2::ListenerRule')) {
    assert.doesNotMatch(JSON.stringify(rule.Properties), /metrics|9100/);
  }
  // No security group admits TCP 9100 from anywhere.
  const rules = [
    ...ofType(T, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties),
    ...ofType(T, 'AWS::EC2::SecurityGroup').flatMap(([, r]) => r.Properties.SecurityGroupIngress ?? []),
  ];
  assert.ok(rules.length >= 3, 'ingress rules were found');
  for (const rule of rules) {
    const admits = (rule.IpProtocol === '-1') || (rule.IpProtocol === 'tcp' && rule.FromPort <= 9100 && 9100 <= rule.ToPort);
    assert.ok(!admits, `ingress rule admits the metrics port: ${JSON.stringify(rule)}`);
  }
});

test('contract: the API task sends traces to its X-Ray sidecar at the documented default address', () => {
  const api = tasks.find((t) => t.Family === 'oms-prod-api');
  const byName = Object.fromEntries(api.ContainerDefinitions.map((c: Json) => [c.Name, c]));
  const env = Object.fromEntries(byName.api.Environment.map((e: Json) => [e.Name, e.Value]));
  const udp = byName['xray-daemon'].PortMappings.find((m: Json) => m.Protocol === 'udp');
  assert.equal(env.AWS_XRAY_DAEMON_ADDRESS, `127.0.0.1:${udp.ContainerPort}`);
  assert.match(docs, /`AWS_XRAY_DAEMON_ADDRESS`[^.]*default `127\.0\.0\.1:2000`/);
  assert.equal(env.OMS_TRACE_SAMPLE_RATE, undefined, 'the documented default rate applies');
});

test('contract: port 8000, liveness /health, uid 10001, read-only root with a writable /tmp, 30 s stop', () => {
  const api = omsContainers.find(({ c }) => c.Name === 'api')!.c;
  assert.deepEqual(api.HealthCheck.Command, ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8000/health']);
  assert.equal(api.StopTimeout, 30);
  for (const t of tasks) {
    for (const c of t.ContainerDefinitions) {
      assert.equal(c.User, '10001', `${t.Family}/${c.Name} runs as uid 10001`);
      assert.equal(c.ReadonlyRootFilesystem, true, `${t.Family}/${c.Name} has a read-only root`);
      if (c.Name !== 'xray-daemon') {
        assert.deepEqual(c.MountPoints, [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }], `${t.Family}/${c.Name} /tmp`);
      }
      assert.equal(c.LogConfiguration.LogDriver, 'awslogs');
    }
    assert.deepEqual(t.Volumes, [{ Name: 'tmp' }]);
  }
  assert.match(docs, /OMS_SHUTDOWN_GRACE_SECONDS.*`25`/);
});

test('contract: the queue-depth metric the worker scales on is the documented one', () => {
  assert.match(docs, /namespace `OMS`, metric `JobQueueDepth`/);
  assert.match(docs, /dimension `Environment`/);
  const alarms = ofType(T, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties).filter((a) => a.MetricName === 'JobQueueDepth');
  assert.equal(alarms.length, 2);
  for (const a of alarms) {
    assert.equal(a.Namespace, 'OMS');
    assert.deepEqual(a.Dimensions, [{ Name: 'Environment', Value: 'prod' }]);
  }
});

test('contract: the migrate task bootstraps the database role, then migrates through a session-pooling PgBouncer', () => {
  const migrate = tasks.find((t) => t.Family === 'oms-prod-migrate');
  const byName = Object.fromEntries(migrate.ContainerDefinitions.map((c: Json) => [c.Name, c]));
  assert.deepEqual(Object.keys(byName).sort(), ['db-bootstrap', 'migrate', 'pgbouncer']);
  assert.deepEqual(byName.migrate.Command, ['migrate']);
  assert.deepEqual(byName.pgbouncer.DependsOn, [{ ContainerName: 'db-bootstrap', Condition: 'SUCCESS' }]);
  assert.deepEqual(byName.migrate.DependsOn, [{ ContainerName: 'pgbouncer', Condition: 'HEALTHY' }]);
  const pgEnv = Object.fromEntries(byName.pgbouncer.Environment.map((e: Json) => [e.Name, e.Value]));
  assert.equal(pgEnv.POOL_MODE, 'session');
});

test('contract: the sidecar and bootstrap scripts are valid POSIX shell', () => {
  for (const f of fs.readdirSync(path.join(INFRA_DIR, 'lib/scripts'))) {
    const r = spawnSync('sh', ['-n', path.join(INFRA_DIR, 'lib/scripts', f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
  }
});

test('image: the asset is the repository root Dockerfile, without infra/, .git or build trees', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(prod.outdir, `${prod.main.artifactId}.assets.json`), 'utf8'));
  const images = Object.values(manifest.dockerImages as Record<string, Json>);
  assert.deepEqual(images.map((i) => [i.source.dockerFile, i.source.dockerBuildTarget ?? 'runtime']).sort(), [['Dockerfile', 'pgbouncer'], ['Dockerfile', 'runtime']]);
  for (const image of images) {
    assert.ok(Object.values(image.destinations as Record<string, Json>).every((d) => d.repositoryName === 'oms-prod'));
    const staged = path.join(prod.outdir, image.source.directory);
    const top = fs.readdirSync(staged);
    assert.ok(top.includes('Dockerfile'));
    for (const forbidden of ['infra', '.git', 'build', 'node_modules']) assert.ok(!top.includes(forbidden), `${forbidden} is excluded`);
  }
  const ignored = fs.readFileSync(path.join(REPO_DIR, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const pattern of IMAGE_EXCLUDES) assert.ok(ignored.includes(pattern), `.dockerignore lists ${pattern}`);
});

test('image: Dockerfile is multi-stage Debian 12, non-root, health-checked on /health', () => {
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(froms, [['debian:12', 'build'], ['debian:12-slim', 'pgbouncer'], ['debian:12-slim', 'runtime']]);
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  for (const lib of ['libpq5', 'libhiredis0.14', 'libsqlite3-0', 'libssl3', 'libboost-json1.81.0', 'libboost-url1.81.0', 'libspdlog1.10', 'libfmt9', 'libmimalloc2.0', 'ca-certificates', 'curl']) {
    assert.ok(new RegExp(`\\s${lib.replace(/[.+]/g, '\\$&')}\\s`).test(runtime), `runtime installs ${lib}`);
  }
  assert.doesNotMatch(runtime, /-dev\b/, 'no -dev package at runtime');
  assert.match(runtime, /^USER 10001:10001$/m);
  assert.match(runtime, /^VOLUME \["\/tmp"\]$/m, 'Fargate copies /tmp\'s mode to the bind mount only for a declared volume');
  assert.match(runtime, /^EXPOSE 8000$/m);
  assert.match(runtime, /^HEALTHCHECK .*\n?.*curl -fsS -o \/dev\/null http:\/\/127\.0\.0\.1:8000\/health/m);
  assert.match(runtime, /^ENTRYPOINT \["\/usr\/local\/bin\/oms"\]$/m);
  assert.match(runtime, /^CMD \["serve"\]$/m);
  assert.match(runtime, /useradd --uid 10001/);

  // The build stage installs every -dev package that scripts/setup.sh installs.
  const setup = fs.readFileSync(path.join(REPO_DIR, 'scripts/setup.sh'), 'utf8');
  const list = setup.slice(setup.indexOf('packages=('), setup.indexOf(')', setup.indexOf('packages=(')));
  const devPackages = list.split(/\s+/).filter((p) => p.endsWith('-dev') && !p.startsWith('libclang'));
  const build = dockerfile.slice(0, dockerfile.indexOf('AS pgbouncer'));
  assert.ok(devPackages.length >= 10);
  for (const p of devPackages) assert.ok(build.includes(` ${p}`), `build stage installs ${p} like scripts/setup.sh`);
  assert.match(build, /-DCMAKE_BUILD_TYPE=Release/);
  assert.match(build, /--target oms/);
});

test('contract: the service keeps idle connections open longer than the ALB does', () => {
  // The ALB reuses an idle connection until its own idle timeout; if the service closed it first,
  // a request could be sent on a connection being closed (a 502). Every stage, from the template.
  for (const stage of ['dev', 'staging', 'prod'] as const) {
    const template = stage === 'prod' ? T : synth(stage).json.main;
    const [[, alb]] = ofType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    const attrs = Object.fromEntries(alb.Properties.LoadBalancerAttributes.map((a: Json) => [a.Key, a.Value]));
    const albIdle = Number(attrs['idle_timeout.timeout_seconds']);
    assert.ok(albIdle > 0, `${stage}: the ALB sets idle_timeout.timeout_seconds`);
    const stageTasks = ofType(template, 'AWS::ECS::TaskDefinition').map(([, r]) => r.Properties);
    const api = stageTasks.flatMap((t) => t.ContainerDefinitions).find((c: Json) => c.Name === 'api');
    const env = Object.fromEntries((api.Environment ?? []).map((e: Json) => [e.Name, e.Value]));
    const serviceIdle = Number(env.OMS_HTTP_IDLE_TIMEOUT_SECONDS);
    assert.ok(Number.isInteger(serviceIdle), `${stage}: the api container sets OMS_HTTP_IDLE_TIMEOUT_SECONDS`);
    assert.ok(serviceIdle >= albIdle + 5, `${stage}: service idle ${serviceIdle} s must exceed the ALB's ${albIdle} s by 5 s or more`);
  }
  // The documented production value is the one the infrastructure sets, and the default also holds.
  assert.match(docs, /`OMS_HTTP_IDLE_TIMEOUT_SECONDS` \| `75` \| `75`/);
});

test('contract: the API signs attachment downloads for the distribution, with the key its key group trusts', () => {
  const api = omsContainers.find(({ c }) => c.Name === 'api')!.c;
  const env = Object.fromEntries(api.Environment.map((e: Json) => [e.Name, e.Value]));
  const [[distributionId, distribution]] = ofType(T, 'AWS::CloudFront::Distribution');
  const [[publicKeyId]] = ofType(T, 'AWS::CloudFront::PublicKey');
  const [[keyGroupId, keyGroup]] = ofType(T, 'AWS::CloudFront::KeyGroup');
  const [[secretId, secret]] = ofType(T, 'AWS::SecretsManager::Secret').filter(([, r]) => /cdn\/signing-key/.test(JSON.stringify(r.Properties.Name)));
  assert.deepEqual(env.OMS_ATTACHMENTS_CDN_DOMAIN, { 'Fn::GetAtt': [distributionId, 'DomainName'] });
  assert.deepEqual(env.OMS_ATTACHMENTS_CDN_KEY_PAIR_ID, { Ref: publicKeyId });
  assert.deepEqual(keyGroup.Properties.KeyGroupConfig.Items, [{ Ref: publicKeyId }]);
  const behavior = distribution.Properties.DistributionConfig.DefaultCacheBehavior;
  assert.deepEqual(behavior.TrustedKeyGroups, [{ Ref: keyGroupId }], 'only signed URLs are served');
  const key = api.Secrets.find((s: Json) => s.Name === 'OMS_ATTACHMENTS_CDN_PRIVATE_KEY');
  assert.deepEqual(key.ValueFrom, { Ref: secretId }, 'the whole secret string: the PEM');
  assert.match(JSON.stringify(secret.Properties.Name), /oms\/prod\/cdn\/signing-key/);
  // The file's name and type ride along as S3 response overrides: forwarded and cached by.
  const [[policyId, policy]] = ofType(T, 'AWS::CloudFront::CachePolicy');
  assert.deepEqual(behavior.CachePolicyId, { Ref: policyId });
  const query = policy.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig;
  assert.equal(query.QueryStringBehavior, 'whitelist');
  assert.deepEqual([...query.QueryStrings].sort(), ['response-content-disposition', 'response-content-type']);
  for (const name of ['OMS_ATTACHMENTS_CDN_DOMAIN', 'OMS_ATTACHMENTS_CDN_KEY_PAIR_ID', 'OMS_ATTACHMENTS_CDN_PRIVATE_KEY']) {
    assert.match(docs, new RegExp('`' + name + '`'));
  }
});
