package com.engarde.signupsync.persistence;

import com.engarde.signupsync.config.SecretStore;
import com.engarde.signupsync.config.StubSecretsManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretDataSourceTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:signup-sync/dev/database-1";

    private static EmbeddedPostgres postgres;
    private static StubSecretsManager stub;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        stub = new StubSecretsManager();
    }

    @AfterAll
    static void stop() throws IOException {
        stub.close();
        postgres.close();
    }

    /** The secret as RDS writes it, plus sslmode: the embedded server has no TLS, RDS always does. */
    private static String secret(String user) {
        return "{\"engine\":\"postgres\",\"host\":\"localhost\",\"port\":" + postgres.getPort()
                + ",\"username\":\"" + user + "\",\"password\":\"irrelevant-here\",\"dbname\":\"postgres\",\"sslmode\":\"disable\"}";
    }

    private static ApplicationContext context() {
        return ApplicationContext.run(Map.of(
                "signup.sync.secrets.endpoint", stub.endpoint(),
                "engarde.database.secret.arn", ARN));
    }

    @Test
    void theDatabaseIsWhereTheRdsSecretSays() {
        stub.put(ARN, secret("postgres"));
        try (ApplicationContext context = context()) {
            String user = context.getBean(Database.class).read(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(user).isEqualTo("postgres");
        }
    }

    @Test
    void refusedCredentialsAreReadAgainFromTheSecretOnce() {
        // The cached secret is stale (rotated since): the server refuses it, the fresh one works.
        stub.put(ARN, secret("nobody"));
        try (ApplicationContext context = context()) {
            Database database = context.getBean(Database.class);
            int before = stub.reads();
            context.getBean(SecretStore.class).secretString(ARN);
            stub.put(ARN, secret("postgres"));
            Integer one = database.read(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(one).isEqualTo(1);
            assertThat(stub.reads() - before).isEqualTo(2);
        }
    }

    @Test
    void theRdsSecretBecomesATlsJdbcUrl() {
        SecretDataSource dataSource = new SecretDataSource(null, ARN, new ObjectMapper());
        DatabaseUrl url = dataSource.location("{\"host\":\"db.example.internal\",\"port\":5432,\"username\":\"signupsync\","
                + "\"password\":\"p@ss\",\"dbname\":\"signup_sync\"}");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.internal:5432/signup_sync?sslmode=require");
        assertThat(url.user()).isEqualTo("signupsync");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.toString()).doesNotContain("p@ss");
    }
}
