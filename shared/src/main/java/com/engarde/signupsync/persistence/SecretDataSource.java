package com.engarde.signupsync.persistence;

import com.engarde.signupsync.config.SecretStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;

/**
 * Connections to the database that the RDS-generated secret describes ({@code {"username","password","host",
 * "port","dbname"}}), read through {@link SecretStore} for every new connection. When PostgreSQL refuses the
 * credentials (the password was rotated since the secret was cached), the secret is read again and the connection
 * tried once more, so a rotation never needs a restart. The pool in front of this keeps open connections open.
 */
final class SecretDataSource extends ConnectionSource {

    /** invalid_password, invalid_authorization_specification. */
    private static final Set<String> REFUSED = Set.of("28P01", "28000");

    private final SecretStore store;
    private final String secretArn;
    private final ObjectMapper json;
    private final Properties sessionProperties;
    private int loginTimeoutSeconds;

    SecretDataSource(SecretStore store, String secretArn, ObjectMapper json) {
        this(store, secretArn, json, new Properties());
    }

    SecretDataSource(SecretStore store, String secretArn, ObjectMapper json, Properties sessionProperties) {
        this.store = store;
        this.secretArn = secretArn;
        this.json = json;
        this.sessionProperties = sessionProperties;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return connect();
        } catch (SQLException e) {
            if (!REFUSED.contains(e.getSQLState())) {
                throw e;
            }
            store.invalidate(secretArn);
            return connect();
        }
    }

    private Connection connect() throws SQLException {
        DatabaseUrl url = location(store.secretString(secretArn));
        Properties properties = new Properties();
        properties.putAll(sessionProperties);
        properties.setProperty("user", url.user());
        properties.setProperty("password", url.password());
        if (loginTimeoutSeconds > 0) {
            properties.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        }
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    DatabaseUrl location(String secret) {
        return parse(secret, json);
    }

    /**
     * Where an RDS-style secret points, and as whom. RDS for PostgreSQL 16 requires TLS (rds.force_ssl is on by
     * default), and the connection verifies the server: {@code sslmode=verify-full} against the RDS CA bundle
     * this jar carries ({@link RdsCertificates}), so a host that is not the instance named in the secret, or a
     * certificate no RDS CA signed, is refused. A loopback host (a test's server, a tunnel) is reached without
     * TLS; a secret's own {@code sslmode} overrides both.
     */
    static DatabaseUrl parse(String secret, ObjectMapper json) {
        JsonNode node;
        try {
            node = json.readTree(secret);
        } catch (IOException e) {
            throw new IllegalStateException("the database secret is not JSON");
        }
        String host = node.path("host").asText("");
        String user = node.path("username").asText("");
        if (host.isBlank() || user.isBlank() || !node.hasNonNull("password")) {
            throw new IllegalStateException("the database secret needs host, username and password");
        }
        int port = node.path("port").asInt(5432);
        String database = node.path("dbname").asText("postgres");
        String sslMode = node.path("sslmode").asText(RdsCertificates.loopback(host) ? "disable" : "verify-full");
        String tls = "sslmode=" + sslMode;
        if (sslMode.startsWith("verify")) {
            tls += "&sslrootcert=" + URLEncoder.encode(RdsCertificates.bundleFile().toString(), StandardCharsets.UTF_8);
        }
        return new DatabaseUrl("jdbc:postgresql://" + host + ":" + port + "/" + database + "?" + tls,
                user, node.get("password").asText());
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }
}
