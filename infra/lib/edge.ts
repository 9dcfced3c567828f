import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import type { Logging } from './logging';
import { Network, PORTS } from './network';

export const HEALTH_PATH = '/health';

/**
 * Keep-alive idle timeouts. The ALB reuses an idle connection to a target until its own idle
 * timeout; the service must keep it open longer, or the ALB sends a request on a connection the
 * service is closing (a 502). The service's value is OMS_HTTP_IDLE_TIMEOUT_SECONDS
 * (docs/configuration.md); test/contract.test.ts ties the two.
 */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;
export const SERVICE_IDLE_TIMEOUT_SECONDS = 75;

export interface EdgeProps {
  readonly config: StageConfig;
  readonly network: Network;
  readonly logging: Logging;
  readonly accessLogsBucket: s3.IBucket;
  readonly certificateArn: string;
  readonly rateLimitPerIp: number;
  readonly geoBlockedCountries: string[];
}

/** AWS managed rule groups that cover the OWASP Top 10 for this API. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

/**
 * The seed's edge: an internet-facing ALB (HTTPS on an ACM certificate, TLS 1.2+, HTTP
 * redirected to HTTPS), the API target group health-checked on /health, and a regional WAF
 * web ACL (geo block, rate limit, AWS managed OWASP rule groups).
 */
export class Edge extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { config, network } = props;
    const stage = config.stage;

    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: `oms-${stage}`,
      vpc: network.vpc,
      vpcSubnets: network.subnets('public'),
      internetFacing: true,
      securityGroup: network.albSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: config.edge.albDeletionProtection,
      idleTimeout: Duration.seconds(ALB_IDLE_TIMEOUT_SECONDS),
      http2Enabled: true,
    });
    this.alb.logAccessLogs(props.accessLogsBucket, 'alb');

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'ApiTargets', {
      targetGroupName: `oms-${stage}-api`,
      vpc: network.vpc,
      port: PORTS.app,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      // Matches the service's drain: OMS_SHUTDOWN_GRACE_SECONDS=25 inside ECS's 30 s stopTimeout.
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: HEALTH_PATH,
        port: String(PORTS.app),
        protocol: elbv2.Protocol.HTTP,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    this.httpsListener = this.alb.addListener('Https', {
      port: PORTS.https,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
      // TLS 1.2 and 1.3 only.
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultTargetGroups: [this.targetGroup],
      open: false,
    });
    this.alb.addRedirect({
      sourcePort: PORTS.http,
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      targetPort: PORTS.https,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
      open: false,
    });

    Validations.of(network.albSecurityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The ALB is the public entry point: it accepts 80 (redirected) and 443 from anywhere, behind the WAF web ACL; nothing else is open.',
    });

    // ---- WAF ----
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `oms-${stage}-${name}`,
    });
    const managed = (name: string, priority: number, overrides: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: overrides.length
            ? overrides.map((rule) => ({ name: rule, actionToUse: { count: {} } }))
            : undefined,
        },
      },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `oms-${stage}`,
      description: `oms ${stage}: geo block, rate limit, AWS managed OWASP Top 10 rule groups`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('web-acl'),
      rules: [
        {
          name: 'GeoBlock',
          priority: 0,
          action: { block: {} },
          statement: { geoMatchStatement: { countryCodes: props.geoBlockedCountries } },
          visibilityConfig: visibility('geo-block'),
        },
        {
          name: 'RateLimitPerIp',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.rateLimitPerIp, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility('rate-limit'),
        },
        // Bodies of up to 1 MiB are valid (problem statements); the service enforces
        // OMS_MAX_BODY_BYTES itself, so the 8 KB body-size rule only counts.
        managed(MANAGED_RULE_GROUPS[0], 10, ['SizeRestrictions_BODY']),
        managed(MANAGED_RULE_GROUPS[1], 20),
        managed(MANAGED_RULE_GROUPS[2], 30),
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.alb.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF requires the "aws-waf-logs-" prefix.
    const wafLogs = props.logging.logGroup('WafLog', `aws-waf-logs-oms-${stage}`);
    new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: this.webAcl.attrArn,
      // The ARN without the ":*" suffix that Fn::GetAtt returns.
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs', resource: 'log-group', resourceName: wafLogs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
  }
}
