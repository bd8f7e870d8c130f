package com.engarde.signupsync.status;

import com.engarde.signupsync.persistence.Database;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Statement;

/** GET / and GET /health: what this service is, and whether it can reach its database. */
@Singleton
public class ServiceStatus {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceStatus.class);

    /** What anyone may learn: the service's name. The version is not told to anonymous callers. */
    public record About(String service) {
    }

    public record Health(String status, String database) {
        public boolean healthy() {
            return "ok".equals(status);
        }
    }

    private final Database database;
    private final About about;

    public ServiceStatus(Database database) {
        this.database = database;
        this.about = new About("signup-sync");
    }

    public About about() {
        return about;
    }

    public Health health() {
        try {
            database.read(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.setQueryTimeout(3);
                    statement.execute("SELECT 1");
                }
                return null;
            });
            return new Health("ok", "ok");
        } catch (RuntimeException e) {
            LOG.warn("health check: database unreachable: {}", e.getMessage());
            return new Health("unavailable", "unreachable");
        }
    }
}
