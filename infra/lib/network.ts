import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from './config';
import { acknowledge } from './nag';

export const SUBNET_GROUPS = { public: 'public', app: 'app', data: 'data' } as const;

/** `metrics`: the API task's internal /metrics port (OMS_METRICS_PORT); no ALB target, no ingress rule. */
export const PORTS = { https: 443, http: 80, app: 8000, metrics: 9100, worker: 8081, postgres: 5432, redis: 6379 } as const;

/**
 * Gives each subnet the seed's exact CIDR (CDK's default allocator packs them contiguously:
 * 10.0.0-8.0/24). Subnets arrive group by group, one per AZ, in AZ order.
 */
class SeedSubnetCidrs implements ec2.IIpAddresses {
  constructor(private readonly vpcCidr: string, private readonly byGroup: Record<string, readonly string[]>) {}

  allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.vpcCidr };
  }

  allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    const seen: Record<string, number> = {};
    return {
      allocatedSubnets: input.requestedSubnets.map((req) => {
        const group = req.configuration.name;
        const cidrs = this.byGroup[group];
        const index = seen[group] ?? 0;
        seen[group] = index + 1;
        if (!cidrs || index >= cidrs.length) {
          throw new Error(`no CIDR configured for subnet ${index} of group '${group}'`);
        }
        return { cidr: cidrs[index] };
      }),
    };
  }
}

export interface NetworkProps {
  readonly config: StageConfig;
  readonly flowLogGroup: logs.ILogGroup;
}

/**
 * The seed's network: one VPC over three AZs with public, private-app and private-data
 * subnets, a NAT gateway per AZ, explicit network ACLs per tier, the security-group chain
 * ALB -> ECS -> PostgreSQL / Redis, and VPC flow logs.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly albSecurityGroup: ec2.SecurityGroup;
  readonly serviceSecurityGroup: ec2.SecurityGroup;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  readonly cacheSecurityGroup: ec2.SecurityGroup;
  readonly rotationSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const net = props.config.network;
    const stage = props.config.stage;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: `oms-${stage}`,
      ipAddresses: new SeedSubnetCidrs(net.vpcCidr, {
        [SUBNET_GROUPS.public]: net.publicSubnetCidrs,
        [SUBNET_GROUPS.app]: net.appSubnetCidrs,
        [SUBNET_GROUPS.data]: net.dataSubnetCidrs,
      }),
      maxAzs: net.azCount,
      natGateways: net.natGateways,
      natGatewaySubnets: { subnetGroupName: SUBNET_GROUPS.public },
      enableDnsHostnames: true,
      enableDnsSupport: true,
      // Removes the default security group's rules (CIS EC2.2); nothing uses that group.
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: SUBNET_GROUPS.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: SUBNET_GROUPS.app, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
        // PRIVATE_ISOLATED: route tables with the local route only, no way out.
        { name: SUBNET_GROUPS.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        // Free; keeps S3 traffic (attachments, exports) off the NAT gateways.
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetGroupName: SUBNET_GROUPS.app }] },
      },
    });

    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(props.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });

    this.addNetworkAcls(props.config);
    acknowledge(this, ['AwsSolutions-VPC3'],
      'The seed asks for network ACLs with custom rules as a second layer under the security groups; each tier\'s rules are listed explicitly (docs/operations.md, "Network ACLs").');

    // ---- security groups: ALB -> ECS -> PostgreSQL / Redis, each on its port only ----
    this.albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc: this.vpc,
      description: 'oms ALB: HTTP and HTTPS from the internet',
      allowAllOutbound: false,
    });
    this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PORTS.https), 'HTTPS from the internet');
    this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PORTS.http), 'HTTP from the internet (redirected to HTTPS)');

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'oms ECS tasks: the API port from the ALB only',
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup.addIngressRule(this.albSecurityGroup, ec2.Port.tcp(PORTS.app), 'API from the ALB');
    this.albSecurityGroup.addEgressRule(this.serviceSecurityGroup, ec2.Port.tcp(PORTS.app), 'to the API tasks');
    this.serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PORTS.https), 'AWS APIs, ECR, JWKS over HTTPS');

    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description: 'oms PostgreSQL: 5432 from the ECS tasks only',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup.addIngressRule(this.serviceSecurityGroup, ec2.Port.tcp(PORTS.postgres), 'PostgreSQL from the ECS tasks');
    this.serviceSecurityGroup.addEgressRule(this.databaseSecurityGroup, ec2.Port.tcp(PORTS.postgres), 'to PostgreSQL');

    this.cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSecurityGroup', {
      vpc: this.vpc,
      description: 'oms Redis: 6379 from the ECS tasks only',
      allowAllOutbound: false,
    });
    this.cacheSecurityGroup.addIngressRule(this.serviceSecurityGroup, ec2.Port.tcp(PORTS.redis), 'Redis from the ECS tasks');
    this.serviceSecurityGroup.addEgressRule(this.cacheSecurityGroup, ec2.Port.tcp(PORTS.redis), 'to Redis');

    // Secrets Manager's hosted rotation functions run in the app subnets.
    this.rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: this.vpc,
      description: 'oms secret rotation functions: PostgreSQL and the Secrets Manager API',
      allowAllOutbound: false,
    });
    this.rotationSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PORTS.https), 'Secrets Manager API');
    this.rotationSecurityGroup.addEgressRule(this.databaseSecurityGroup, ec2.Port.tcp(PORTS.postgres), 'to PostgreSQL');
    this.databaseSecurityGroup.addIngressRule(this.rotationSecurityGroup, ec2.Port.tcp(PORTS.postgres), 'PostgreSQL from the rotation functions');
  }

  subnets(group: keyof typeof SUBNET_GROUPS): ec2.SubnetSelection {
    return { subnetGroupName: SUBNET_GROUPS[group] };
  }

  /**
   * Network ACLs, one per tier, with explicit numbered rules (NACLs are stateless, so return
   * traffic on ephemeral ports is allowed explicitly). Everything not listed is denied by
   * the implicit final rule. See docs/operations.md, "Network ACLs".
   */
  private addNetworkAcls(config: StageConfig): void {
    const net = config.network;
    const anywhere = ec2.AclCidr.anyIpv4();
    const vpcCidr = ec2.AclCidr.ipv4(net.vpcCidr);
    const ephemeral = ec2.AclTraffic.tcpPortRange(1024, 65535);
    const tcp = (port: number) => ec2.AclTraffic.tcpPort(port);

    type Rule = { n: number; dir: 'in' | 'out'; cidr: ec2.AclCidr; traffic: ec2.AclTraffic };
    const acl = (id: string, group: string, rules: Rule[]) => {
      const nacl = new ec2.NetworkAcl(this, id, {
        vpc: this.vpc,
        networkAclName: `oms-${config.stage}-${group}`,
        subnetSelection: { subnetGroupName: group },
      });
      for (const r of rules) {
        nacl.addEntry(`${r.dir === 'in' ? 'In' : 'Out'}${r.n}`, {
          ruleNumber: r.n,
          cidr: r.cidr,
          traffic: r.traffic,
          direction: r.dir === 'in' ? ec2.TrafficDirection.INGRESS : ec2.TrafficDirection.EGRESS,
          ruleAction: ec2.Action.ALLOW,
        });
      }
      return nacl;
    };

    const each = (cidrs: readonly string[], start: number, dir: 'in' | 'out', traffic: ec2.AclTraffic): Rule[] =>
      cidrs.map((c, i) => ({ n: start + i, dir, cidr: ec2.AclCidr.ipv4(c), traffic }));

    // Public tier: the ALB and the NAT gateways.
    acl('PublicAcl', SUBNET_GROUPS.public, [
      { n: 100, dir: 'in', cidr: anywhere, traffic: tcp(PORTS.https) },
      { n: 110, dir: 'in', cidr: anywhere, traffic: tcp(PORTS.http) },
      { n: 120, dir: 'in', cidr: anywhere, traffic: ephemeral }, // replies to NAT'd and ALB traffic
      { n: 130, dir: 'in', cidr: vpcCidr, traffic: tcp(PORTS.https) }, // app tier -> NAT -> AWS APIs
      { n: 100, dir: 'out', cidr: anywhere, traffic: tcp(PORTS.https) }, // NAT -> AWS APIs, JWKS
      { n: 110, dir: 'out', cidr: anywhere, traffic: ephemeral }, // replies to clients and to the app tier
      ...each(net.appSubnetCidrs, 120, 'out', tcp(PORTS.app)), // ALB -> tasks
    ]);

    // App tier: ECS tasks and the rotation functions.
    acl('AppAcl', SUBNET_GROUPS.app, [
      ...each(net.publicSubnetCidrs, 100, 'in', tcp(PORTS.app)), // ALB -> tasks
      { n: 200, dir: 'in', cidr: anywhere, traffic: ephemeral }, // replies from AWS APIs, data tier
      { n: 100, dir: 'out', cidr: anywhere, traffic: tcp(PORTS.https) },
      ...each(net.dataSubnetCidrs, 110, 'out', tcp(PORTS.postgres)),
      ...each(net.dataSubnetCidrs, 120, 'out', tcp(PORTS.redis)),
      ...each(net.publicSubnetCidrs, 130, 'out', ephemeral), // replies to the ALB
    ]);

    // Data tier: PostgreSQL and Redis; nothing to or from outside the VPC.
    acl('DataAcl', SUBNET_GROUPS.data, [
      ...each(net.appSubnetCidrs, 100, 'in', tcp(PORTS.postgres)),
      ...each(net.appSubnetCidrs, 110, 'in', tcp(PORTS.redis)),
      ...each(net.dataSubnetCidrs, 120, 'in', tcp(PORTS.postgres)), // primary <-> replica
      ...each(net.dataSubnetCidrs, 130, 'in', tcp(PORTS.redis)), // shard replication
      ...each(net.dataSubnetCidrs, 140, 'in', ephemeral),
      ...each(net.appSubnetCidrs, 100, 'out', ephemeral), // replies to the app tier
      ...each(net.dataSubnetCidrs, 110, 'out', ephemeral),
      ...each(net.dataSubnetCidrs, 120, 'out', tcp(PORTS.postgres)),
      ...each(net.dataSubnetCidrs, 130, 'out', tcp(PORTS.redis)),
    ]);
  }
}
