package com.engarde.signupsync.functions.funnelanalytics;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

import javax.sql.DataSource;

/**
 * A database as it stood at an earlier version, for the tests of what a later migration does to it: the
 * versioned migrations up to {@code target}, without the repeatable ones (Flyway would apply those at any
 * target, giving the old schema today's function definitions, which no deployed database ever had).
 */
final class HistoricalSchema {

    private HistoricalSchema() {
    }

    static void migrate(DataSource data, MigrationVersion target) {
        Flyway.configure().dataSource(data).locations("classpath:db/migration").target(target)
                .repeatableSqlMigrationPrefix("NOT_A_REPEATABLE_").load().migrate();
    }
}
