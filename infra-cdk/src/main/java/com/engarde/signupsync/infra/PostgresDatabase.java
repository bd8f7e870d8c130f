package com.engarde.signupsync.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.rds.CaCertificate;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.CredentialsBaseOptions;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.RotationSingleUserOptions;
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

import java.util.List;

/**
 * One RDS PostgreSQL 16 instance: isolated subnets, not publicly accessible, storage encrypted, TLS required
 * (the engine's default from 15 on), seven days of automated backups. The master credentials are generated into
 * Secrets Manager and rotated every 30 days by the single-user rotation function. prod: Multi-AZ, deletion
 * protection, and a final snapshot when the resource is deleted.
 */
final class PostgresDatabase extends Construct {

    static final String DATABASE_NAME = "signup_sync";
    static final String MASTER_USER = "signupsync";

    private final DatabaseInstance instance;

    PostgresDatabase(Construct scope, String id, Stage stage, Network network) {
        super(scope, id);
        String identifier = "signup-sync-" + stage.id();
        // Created here with a retention, rather than by RDS without one (or by CDK's log-retention function).
        LogGroup postgresLogs = LogGroup.Builder.create(this, "PostgresLogs")
                .logGroupName("/aws/rds/instance/" + identifier + "/postgresql")
                .retention(stage.logRetention())
                .removalPolicy(stage.retainedRemoval())
                .build();
        LogGroup upgradeLogs = LogGroup.Builder.create(this, "UpgradeLogs")
                .logGroupName("/aws/rds/instance/" + identifier + "/upgrade")
                .retention(stage.logRetention())
                .removalPolicy(stage.retainedRemoval())
                .build();

        instance = DatabaseInstance.Builder.create(this, "Instance")
                .instanceIdentifier(identifier)
                .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                        .version(PostgresEngineVersion.VER_16).build()))
                .instanceType(stage.databaseInstance())
                .vpc(network.vpc())
                .vpcSubnets(Network.databaseSubnets())
                .securityGroups(List.of(network.database()))
                .port(Network.POSTGRES_PORT)
                .credentials(Credentials.fromGeneratedSecret(MASTER_USER, CredentialsBaseOptions.builder()
                        .secretName("signup-sync/" + stage.id() + "/database")
                        .build()))
                .databaseName(DATABASE_NAME)
                .storageType(StorageType.GP3)
                .allocatedStorage(stage.storageGb())
                .maxAllocatedStorage(stage.maxStorageGb())
                .storageEncrypted(true)
                .publiclyAccessible(false)
                .multiAz(stage.multiAz())
                .backupRetention(Duration.days(7))
                .deleteAutomatedBackups(!stage.keepData())
                .deletionProtection(stage.keepData())
                .removalPolicy(stage.databaseRemoval())
                .caCertificate(CaCertificate.RDS_CA_RSA2048_G1)
                .cloudwatchLogsExports(List.of("postgresql", "upgrade"))
                .autoMinorVersionUpgrade(true)
                .build();
        instance.getNode().addDependency(postgresLogs, upgradeLogs);

        instance.addRotationSingleUser(RotationSingleUserOptions.builder()
                .automaticallyAfter(Duration.days(30))
                .vpcSubnets(Network.functionSubnets())
                .build());

        Nag.accept(instance, "AwsSolutions-RDS11",
                "The default PostgreSQL port: the database is in isolated subnets and admits only the functions' "
                        + "security group, so a different port would hide nothing.");
        if (!stage.keepData()) {
            Nag.accept(instance, "AwsSolutions-RDS3",
                    "dev runs a single-AZ instance to halve its cost; prod is Multi-AZ.");
            Nag.accept(instance, "AwsSolutions-RDS10",
                    "dev can be torn down with its stack; prod has deletion protection and a final snapshot.");
        }
    }

    DatabaseInstance instance() {
        return instance;
    }

    /** The generated master secret: {"username","password","host","port","dbname","engine"}. */
    ISecret secret() {
        return instance.getSecret();
    }
}
