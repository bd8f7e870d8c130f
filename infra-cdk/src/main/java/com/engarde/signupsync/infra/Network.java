package com.engarde.signupsync.infra;

import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.List;
import java.util.Map;

/**
 * Two availability zones, three tiers: public subnets hold only the NAT gateways; functions that use the
 * database run in private subnets and reach the AWS APIs they call (Secrets Manager, EventBridge) through
 * interface endpoints in the VPC; only a function that calls a vendor ("egress": true in its manifest) has a
 * second security group that lets it out on 443, through NAT. The database sits in isolated subnets with no
 * route out. Flow logs keep rejected traffic.
 */
final class Network extends Construct {

    static final int POSTGRES_PORT = 5432;
    static final int HTTPS_PORT = 443;

    private final Vpc vpc;
    private final SecurityGroup functions;
    private final SecurityGroup database;
    private final SecurityGroup vendorEgress;

    Network(Construct scope, String id, Stage stage) {
        super(scope, id);
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .retention(stage.logRetention())
                .removalPolicy(stage.retainedRemoval())
                .build();
        vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr("10.40.0.0/16"))
                .maxAzs(2)
                .natGateways(stage.natGateways())
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("functions").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build(),
                        SubnetConfiguration.builder().name("database").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                .flowLogs(Map.of("Rejected", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                        .trafficType(FlowLogTrafficType.REJECT)
                        .build()))
                .build();
        logRestrictingFunctionWithRetention(stage);

        functions = SecurityGroup.Builder.create(this, "FunctionsSecurityGroup")
                .vpc(vpc)
                .description("signup-sync functions that use the database: out to it and to the AWS API endpoints only")
                .allowAllOutbound(false)
                .build();
        database = SecurityGroup.Builder.create(this, "DatabaseSecurityGroup")
                .vpc(vpc)
                .description("signup-sync PostgreSQL, reachable from the signup-sync functions security group only")
                .allowAllOutbound(false)
                .build();
        database.addIngressRule(functions, Port.tcp(POSTGRES_PORT), "PostgreSQL from signup-sync functions");
        functions.addEgressRule(database, Port.tcp(POSTGRES_PORT), "PostgreSQL");

        // The AWS APIs every function calls, inside the VPC, so that only a vendor caller needs a way out.
        for (Map.Entry<String, InterfaceVpcEndpointAwsService> service : Map.of(
                "SecretsManager", InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
                "EventBridge", InterfaceVpcEndpointAwsService.EVENTBRIDGE).entrySet()) {
            InterfaceVpcEndpoint endpoint = vpc.addInterfaceEndpoint(service.getKey(), InterfaceVpcEndpointOptions.builder()
                    .service(service.getValue())
                    .subnets(functionSubnets())
                    .privateDnsEnabled(true)
                    .build());
            endpoint.getConnections().allowDefaultPortFrom(functions, "signup-sync functions to " + service.getKey());
            // Open to the VPC's own range on 443: the database secrets' rotation functions reach Secrets Manager here too.
            Nag.accept(endpoint, "AwsSolutions-EC23", "the endpoint's security group admits https from the VPC's own range "
                    + "only (an intrinsic the rule cannot read), never from the internet.");
        }

        vendorEgress = SecurityGroup.Builder.create(this, "VendorEgressSecurityGroup")
                .vpc(vpc)
                .description("signup-sync functions that call hosts outside AWS (vendor APIs): https out, through NAT")
                .allowAllOutbound(false)
                .build();
        vendorEgress.addEgressRule(Peer.anyIpv4(), Port.tcp(HTTPS_PORT), "vendor APIs over https");
    }

    Vpc vpc() {
        return vpc;
    }

    /** Every function with "database": true, and nothing else. */
    SecurityGroup functions() {
        return functions;
    }

    /** Added to a function that calls hosts outside AWS ("egress": true): https to anywhere, and nothing else. */
    SecurityGroup vendorEgress() {
        return vendorEgress;
    }

    SecurityGroup database() {
        return database;
    }

    static SubnetSelection functionSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    }

    static SubnetSelection databaseSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
    }

    /**
     * CDK's own function that removes the default security group's rules (it runs during a deploy) would log to the
     * group Lambda creates on its first run, which keeps its events forever: it logs to one with the stage's retention.
     */
    private void logRestrictingFunctionWithRetention(Stage stage) {
        IConstruct provider = Stack.of(this).getNode().tryFindChild("Custom::VpcRestrictDefaultSGCustomResourceProvider");
        if (provider == null) {
            return;
        }
        LogGroup logs = LogGroup.Builder.create(this, "RestrictDefaultSecurityGroupLogs")
                .retention(stage.logRetention())
                .removalPolicy(stage.retainedRemoval())
                .build();
        ((CfnResource) provider.getNode().findChild("Handler"))
                .addPropertyOverride("LoggingConfig.LogGroup", logs.getLogGroupName());
    }
}
