package com.engarde.signupsync.functions.dbmigrate;

import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.persistence.DatabaseMigrations;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The deploy-time migration, called by CloudFormation through the CDK custom-resource provider, which answers
 * CloudFormation with what this returns. Create and Update migrate (Flyway applies only what is pending, so a
 * repeated run is harmless); Delete leaves the schema alone, since the data outlives the resource.
 */
public class MigrationHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String PHYSICAL_ID = "signup-sync-database-migrations";

    private static final Logger LOG = LoggerFactory.getLogger(MigrationHandler.class);

    @Inject
    Database database;

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
        return Map.of("PhysicalResourceId", PHYSICAL_ID,
                "Data", Map.of("MigrationsExecuted", result.migrationsExecuted,
                        "SchemaVersion", version == null ? "none" : version));
    }
}
