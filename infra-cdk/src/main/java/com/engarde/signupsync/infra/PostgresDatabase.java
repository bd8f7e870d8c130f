package com.engarde.signupsync.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.rds.CaCertificate;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.CredentialsBaseOptions;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseSecret;
import software.amazon.awscdk.services.rds.IInstanceEngine;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.rds.RotationSingleUserOptions;
import software.amazon.awscdk.services.rds.StorageType;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.SecretRotation;
import software.amazon.awscdk.services.secretsmanager.SecretRotationApplication;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * One RDS PostgreSQL 16 instance: isolated subnets, not publicly accessible, storage encrypted, TLS required
 * (rds.force_ssl, said in its parameter group; the functions verify the certificate against the RDS CA bundle),
 * max_connections fixed per stage (the connection budget, {@link ConnectionBudget}), seven days of automated
 * backups. Two generated credentials, each in its own Secrets Manager secret and rotated every 30 days by the
 * single-user rotation function: the master user's, which owns the schema and which only db-migrate uses; and the
 * application role's ({@value #APP_USER}), with data rights only, which every other function connects as.
 * db-migrate creates that role and grants its rights after migrating. prod: Multi-AZ, deletion protection, and a
 * final snapshot when the resource is deleted.
 */
final class PostgresDatabase extends Construct {

    static final String DATABASE_NAME = "signup_sync";
    static final String MASTER_USER = "signupsync";
    static final String APP_USER = "signupsync_app";
    /** What CDK leaves out of a generated database password by default; the rotation must leave out the same. */
    private static final String PASSWORD_EXCLUDE = " %+~`#$&*()|[]{}:;<>?!'/@\"\\";

    private final DatabaseInstance instance;
    private final ISecret appSecret;
    private final SecretRotation appRotation;

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

        IInstanceEngine engine = DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder()
                .version(PostgresEngineVersion.VER_16).build());
        ParameterGroup parameters = ParameterGroup.Builder.create(this, "Parameters")
                .engine(engine)
                .description("signup-sync " + stage.id() + ": TLS only, and the connection budget's max_connections")
                .parameters(Map.of(
                        "rds.force_ssl", "1",
                        "max_connections", Integer.toString(stage.databaseConnections())))
                .build();

        instance = DatabaseInstance.Builder.create(this, "Instance")
                .instanceIdentifier(identifier)
                .engine(engine)
                .parameterGroup(parameters)
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

        // Generated by Secrets Manager, never in the template; attached, so it carries host, port and dbname too,
        // the shape the functions read for the master secret.
        DatabaseSecret generated = DatabaseSecret.Builder.create(this, "AppSecret")
                .username(APP_USER)
                .dbname(DATABASE_NAME)
                .secretName("signup-sync/" + stage.id() + "/database-app")
                .excludeCharacters(PASSWORD_EXCLUDE)
                .build();
        generated.applyRemovalPolicy(stage.retainedRemoval());
        appSecret = generated.attach(instance);
        // The role changes its own password (PostgreSQL lets a role do that); db-migrate sets the current one again
        // at each run, so a deploy during a rotation cannot leave them apart for longer than the rotation.
        appRotation = SecretRotation.Builder.create(this, "AppRotation")
                .application(SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER)
                .secret(appSecret)
                .target(instance)
                .vpc(network.vpc())
                .vpcSubnets(Network.functionSubnets())
                .automaticallyAfter(Duration.days(30))
                .excludeCharacters(PASSWORD_EXCLUDE)
                .build();

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

    /** The generated master secret: {"username","password","host","port","dbname","engine"}. db-migrate only. */
    ISecret secret() {
        return instance.getSecret();
    }

    /**
     * The application role's rotation, which logs in as that role: it must not start (and it rotates at once when
     * created) before db-migrate has created the role.
     */
    SecretRotation appRotation() {
        return appRotation;
    }

    /** The application role's secret, of the same shape: what every runtime function connects with. */
    ISecret appSecret() {
        return appSecret;
    }
}
