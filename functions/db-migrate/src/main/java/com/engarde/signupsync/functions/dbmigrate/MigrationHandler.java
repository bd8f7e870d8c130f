package com.engarde.signupsync.functions.dbmigrate;

import com.engarde.signupsync.config.SecretStore;
import com.engarde.signupsync.persistence.ApplicationRole;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.persistence.DatabaseMigrations;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.annotation.Value;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The deploy-time migration, called by CloudFormation through the CDK custom-resource provider, which answers
 * CloudFormation with what this returns. Create and Update migrate (Flyway applies only what is pending, so a
 * repeated run is harmless), then create or update the application role the other functions log in as and grant
 * it data rights (persistence.ApplicationRole); Delete leaves the schema alone, since the data outlives the resource.
 */
public class MigrationHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String PHYSICAL_ID = "signup-sync-database-migrations";

    private static final Logger LOG = LoggerFactory.getLogger(MigrationHandler.class);

    @Inject
    Database database;

    @Inject
    SecretStore secrets;

    @Inject
    ObjectMapper json;

    /** ENGARDE_DATABASE_APP_SECRET_ARN: the application role to create and grant; unset locally. */
    @Value("${engarde.database.app.secret.arn:}")
    String appSecretArn;

    public MigrationHandler() {
    }

    MigrationHandler(ApplicationContextBuilder context) {
        super(context);
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> event) {
        String requestType = String.valueOf(event.get("RequestType"));
        if ("Delete".equals(requestType)) {
            LOG.info("custom resource deleted: the schema is kept");
            return Map.of("PhysicalResourceId", event.getOrDefault("PhysicalResourceId", PHYSICAL_ID));
        }
        if (!"Create".equals(requestType) && !"Update".equals(requestType)) {
            throw new IllegalArgumentException("not a custom-resource event: RequestType is " + requestType);
        }
        MigrateResult result = DatabaseMigrations.migrate(database.dataSource());
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info("{}: {} migration(s) applied, schema at version {}", requestType, result.migrationsExecuted, version);
        String role = "none";
        if (appSecretArn != null && !appSecretArn.isBlank()) {
            // After the migrations, so the grants cover every table they created; the password is never logged.
            ApplicationRole.Granted granted = ApplicationRole.ensure(database.dataSource(),
                    secrets.secretString(appSecretArn.strip()), json);
            role = granted.role();
            LOG.info("application role {}: data rights on {} table(s)", granted.role(), granted.tables());
        }
        return Map.of("PhysicalResourceId", PHYSICAL_ID,
                "Data", Map.of("MigrationsExecuted", result.migrationsExecuted,
                        "SchemaVersion", version == null ? "none" : version,
                        "ApplicationRole", role));
    }
}
