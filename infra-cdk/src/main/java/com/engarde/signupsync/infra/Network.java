package com.engarde.signupsync.infra;

import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * Two availability zones, three tiers: public subnets hold only the NAT gateways; functions that use the
 * database run in private subnets and reach AWS APIs (Secrets Manager, EventBridge) and vendor APIs through
 * NAT; the database sits in isolated subnets with no route out. Flow logs keep rejected traffic.
 */
final class Network extends Construct {

    static final int POSTGRES_PORT = 5432;

    private final Vpc vpc;
    private final SecurityGroup functions;
    private final SecurityGroup database;

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

        functions = SecurityGroup.Builder.create(this, "FunctionsSecurityGroup")
                .vpc(vpc)
                .description("signup-sync functions that use the database; the only clients the database admits")
                .allowAllOutbound(true)
                .build();
        database = SecurityGroup.Builder.create(this, "DatabaseSecurityGroup")
                .vpc(vpc)
                .description("signup-sync PostgreSQL, reachable from the signup-sync functions security group only")
                .allowAllOutbound(false)
                .build();
        database.addIngressRule(functions, Port.tcp(POSTGRES_PORT), "PostgreSQL from signup-sync functions");
    }

    Vpc vpc() {
        return vpc;
    }

    /** Every function with "database": true, and nothing else. */
    SecurityGroup functions() {
        return functions;
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
}
