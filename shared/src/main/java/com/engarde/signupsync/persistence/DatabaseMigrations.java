package com.engarde.signupsync.persistence;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/**
 * Applies the Flyway migrations in {@code db/migration}. Called by the deploy-time db-migrate function, the
 * local run and tests; never by a function starting up. Needs Flyway on the classpath (optional here).
 */
public final class DatabaseMigrations {

    private DatabaseMigrations() {
    }

    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                // A migration may rewrite a large table: the pool's statement limit is for the functions' work.
                .initSql("SET statement_timeout = 0")
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
