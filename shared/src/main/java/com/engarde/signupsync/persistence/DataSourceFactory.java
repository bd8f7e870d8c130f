package com.engarde.signupsync.persistence;

import com.engarde.signupsync.config.SecretStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * One small pool per container, opened on first use. A Lambda serves one request at a time, so two
 * connections are plenty there; the local run asks for more.
 */
@Factory
public class DataSourceFactory {

    @Singleton
    @Bean(preDestroy = "close")
    public ConnectionPool dataSource(@Value("${engarde.database.url:}") String url,
                                     @Value("${engarde.database.secret.arn:}") String secretArn,
                                     @Value("${engarde.database.pool-size:" + ConnectionsPerInstance.POOL_SIZE + "}") int poolSize,
                                     @Value("${engarde.database.statement-timeout:60s}") Duration statementTimeout,
                                     @Value("${engarde.database.lock-timeout:10s}") Duration lockTimeout,
                                     @Value("${engarde.database.idle-in-transaction-timeout:60s}") Duration idleTimeout,
                                     @Value("${engarde.database.socket-timeout:90s}") Duration socketTimeout,
                                     SecretStore secrets, ObjectMapper json) {
        SessionLimits limits = new SessionLimits(statementTimeout, lockTimeout, idleTimeout, socketTimeout);
        HikariConfig config = new HikariConfig();
        config.setPoolName("signup-sync");
        if (secretArn != null && !secretArn.isBlank()) {
            // In AWS (ENGARDE_DATABASE_SECRET_ARN): location and credentials from the RDS secret, read at
            // connection time, so neither is in the environment nor in a SnapStart snapshot.
            config.setDataSource(new SecretDataSource(secrets, secretArn.strip(), json, limits.properties()));
        } else {
            DatabaseUrl parsed = DatabaseUrl.parse(url);
            config.setJdbcUrl(parsed.jdbcUrl());
            if (parsed.user() != null) {
                config.setUsername(parsed.user());
            }
            if (parsed.password() != null) {
                config.setPassword(parsed.password());
            }
            limits.properties().forEach((name, value) -> config.addDataSourceProperty((String) name, value));
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // Start without a connection: an unreachable database must make /health say 503, not fail the start.
        config.setInitializationFailTimeout(-1);
        // No socket may be in a SnapStart snapshot: snapstart.SnapshotPriming closes the pool before the
        // checkpoint, and the first request after a restore opens a new one (ConnectionPool).
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "signup-sync");
        return new ConnectionPool(config);
    }

    @Singleton
    public Database database(ConnectionPool dataSource) {
        return new Database(dataSource);
    }
}
