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
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void theRdsSecretBecomesAJdbcUrlThatVerifiesTheServerAgainstTheRdsCertificates() throws Exception {
        SecretDataSource dataSource = new SecretDataSource(null, ARN, new ObjectMapper());
        DatabaseUrl url = dataSource.location("{\"host\":\"db.example.internal\",\"port\":5432,\"username\":\"signupsync\","
                + "\"password\":\"p@ss\",\"dbname\":\"signup_sync\"}");
        assertThat(url.jdbcUrl()).startsWith("jdbc:postgresql://db.example.internal:5432/signup_sync?sslmode=verify-full&sslrootcert=");
        assertThat(url.user()).isEqualTo("signupsync");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.toString()).doesNotContain("p@ss");

        // The driver reads sslrootcert as a file: it must hold the RDS roots, among them the one CDK selects.
        String rootCert = URLDecoder.decode(url.jdbcUrl().substring(url.jdbcUrl().indexOf("sslrootcert=") + 12), StandardCharsets.UTF_8);
        List<X509Certificate> roots;
        try (InputStream in = Files.newInputStream(Path.of(rootCert))) {
            roots = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
        assertThat(roots).hasSizeGreaterThan(50).allSatisfy(cert -> {
            assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
            cert.verify(cert.getPublicKey());
            cert.checkValidity();
        });
        assertThat(roots).extracting(c -> c.getSubjectX500Principal().getName())
                .anyMatch(name -> name.contains("CN=Amazon RDS us-east-1 Root CA RSA2048 G1"))
                .anyMatch(name -> name.contains("CN=Amazon RDS eu-west-1 Root CA RSA2048 G1"));
    }

    @Test
    void aLoopbackHostIsReachedWithoutTlsAndASecretsOwnSslmodeWins() {
        SecretDataSource dataSource = new SecretDataSource(null, ARN, new ObjectMapper());
        assertThat(dataSource.location("{\"host\":\"127.0.0.1\",\"username\":\"u\",\"password\":\"p\"}").jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres?sslmode=disable");
        assertThat(dataSource.location("{\"host\":\"localhost\",\"username\":\"u\",\"password\":\"p\",\"sslmode\":\"require\"}").jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost:5432/postgres?sslmode=require");
    }

    @Test
    void verifyFullRefusesAServerThatCannotProveItselfRatherThanFallingBackToPlainText() {
        // The embedded server speaks no TLS: with verify-full the driver must refuse it, not connect in clear.
        stub.put(ARN, "{\"host\":\"localhost\",\"port\":" + postgres.getPort() + ",\"username\":\"postgres\","
                + "\"password\":\"irrelevant-here\",\"dbname\":\"postgres\",\"sslmode\":\"verify-full\"}");
        try (ApplicationContext context = context()) {
            Database database = context.getBean(Database.class);
            assertThatThrownBy(() -> database.read(c -> c.isValid(1))).isInstanceOf(RuntimeException.class);
        }
    }
}
