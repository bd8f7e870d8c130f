package com.engarde.signupsync.local;

import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The edges of the local run's HTTP server, over a raw socket so that malformed requests arrive as sent. */
class LocalEdgesTest {

    private static LocalRun run;

    @BeforeAll
    static void start() throws IOException {
        run = LocalRun.start(Map.of("ENGARDE_DATABASE_URL", TestDatabase.get().url(), "PORT", "0",
                "SIGNUP_SYNC_SERVICE_TOKEN", "local-test-token"));
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    /** Sends one HTTP/1.1 request as written and answers the status line's code. */
    static int status(String requestHead) throws IOException {
        URI url = URI.create(run.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return Integer.parseInt(line.toString().split(" ")[1]);
        }
    }

    private static String head(String method, String target, String extraHeaders) {
        return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n" + extraHeaders
                + "Connection: close\r\n\r\n";
    }

    @Test
    void headOfTheOpenRoutesNeedsNoToken() throws IOException {
        assertThat(status(head("HEAD", "/health", ""))).isEqualTo(200);
        assertThat(status(head("HEAD", "/", ""))).isEqualTo(200);
        assertThat(status(head("HEAD", "/analytics/funnel-metrics", ""))).isEqualTo(401);
    }

    @Test
    void aMalformedQueryStringIsA400EvenBeforeAuthentication() throws IOException {
        assertThat(status(head("POST", "/funnel/event?a=%zz", ""))).isEqualTo(400);
        assertThat(status(head("POST", "/funnel/event?a=%zz", "Authorization: Bearer local-test-token\r\n")))
                .isEqualTo(400);
    }

    @Test
    void aPathTooLongIs414AndHeadersTooLargeAre431() throws IOException {
        assertThat(status(head("GET", "/" + "a".repeat(10_000), ""))).isEqualTo(414);
        assertThat(status(head("GET", "/health", "X-Big: " + "b".repeat(100 * 1024) + "\r\n"))).isEqualTo(431);
    }

    @Test
    void itListensOnLoopbackByDefault() {
        assertThat(LocalRun.host(Map.of())).isEqualTo("127.0.0.1");
        assertThat(LocalRun.host(Map.of("HOST", "0.0.0.0"))).isEqualTo("0.0.0.0");
        assertThat(run.context().getProperty("micronaut.server.host", String.class)).contains("127.0.0.1");
        assertThat(URI.create(run.url()).getHost()).isIn("127.0.0.1", "localhost");
        assertThat(InetAddress.getLoopbackAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void itPrintsTheDatabaseUrlWithoutItsPassword() {
        assertThat(LocalRun.printable("postgresql://app:s3cret-pass@db.internal:5433/engarde?sslmode=require"))
                .isEqualTo("postgresql://app@db.internal:5433/engarde?sslmode=require")
                .doesNotContain("s3cret");
        assertThat(LocalRun.printable("postgresql://postgres@localhost:5432/postgres"))
                .isEqualTo("postgresql://postgres@localhost:5432/postgres");
        assertThat(LocalRun.printable("not a url")).doesNotContain("not a url");
    }

    @Test
    void theEmbeddedDatabaseKeepsFsyncOn(@TempDir Path data) throws Exception {
        try (LocalRun embedded = LocalRun.start(Map.of("SIGNUP_SYNC_DATA_DIR", data.toString(), "PORT", "0",
                "SIGNUP_SYNC_SERVICE_TOKEN", "local-test-token"));
             Connection c = embedded.context().getBean(javax.sql.DataSource.class).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW fsync")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("on");
            assertThat(embedded.databaseUrl()).startsWith("postgresql://postgres@localhost:").doesNotContain(":@");
        }
    }
}
