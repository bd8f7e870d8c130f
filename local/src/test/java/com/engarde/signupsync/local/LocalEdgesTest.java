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
        return Integer.parseInt(responseHead(requestHead).split(" ")[1]);
    }

    /** Sends one HTTP/1.1 request as written and answers the response's status line and headers. */
    static String responseHead(String request) throws IOException {
        URI url = URI.create(run.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            for (int c = in.read(); c != -1 && !(c == '\n' && head.toString().endsWith("\r\n\r")); c = in.read()) {
                head.append((char) c);
            }
            return head.toString();
        }
    }

    /** The value of {@code name} in a response head, or null. */
    private static String header(String head, String name) {
        return head.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElse(null);
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
    void aLowerCaseMethodIs400() throws IOException {
        String token = "Authorization: Bearer local-test-token\r\n";
        assertThat(status(head("post", "/funnel/event", token))).isEqualTo(400);
        assertThat(status(head("Post", "/sync/all", token))).isEqualTo(400);
        assertThat(status(head("get", "/health", ""))).isEqualTo(400);
        assertThat(status(head("GET", "/health", ""))).isEqualTo(200);
    }

    /** An admin's token on a path or method no manifest declares: 404 or 405 as with a service token, not 401. */
    @Test
    void anUndeclaredRouteUnderAnAdminPathIs404Or405ForAnAdmin() throws IOException {
        String admin = "Authorization: Bearer " + run.adminToken() + "\r\n";
        String put = responseHead(head("PUT", "/api/admin/audit", admin));
        assertThat(put).startsWith("HTTP/1.1 405");
        assertThat(header(put, "Allow")).isEqualTo("GET");
        assertThat(status(head("DELETE", "/api/admin/sources", admin))).isEqualTo(405);
        assertThat(status(head("GET", "/api/admin/Audit", admin))).isEqualTo(404);
        assertThat(status(head("GET", "/api/admin/nothing-here", admin))).isEqualTo(404);
        assertThat(status(head("GET", "/api/admin/nothing-here", ""))).isEqualTo(401);
        assertThat(status(head("GET", "/api/admin/nothing-here", "Authorization: Bearer local-test-token\r\n")))
                .isEqualTo(404);
    }

    /** A route that needs no body would otherwise answer 2xx to a body cut short where its framing broke. */
    @Test
    void aMalformedChunkedBodyIs400() throws IOException {
        for (String chunks : java.util.List.of("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\nzz\r\n\r\n",
                "-1\r\n{}\r\n0\r\n\r\n")) {
            String request = "GET /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n" + chunks;
            assertThat(status(request)).as(chunks).isEqualTo(400);
        }
        String wellFormed = "GET /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        assertThat(status(wellFormed)).isEqualTo(200);
    }

    /** Only an encoding the client named is used: {@code *} or {@code snappy} is answered uncompressed. */
    @Test
    void aResponseIsCompressedOnlyWithAnEncodingTheClientNamed() throws IOException {
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("*", null);
        expected.put("snappy", null);
        expected.put("identity", null);
        expected.put("gzip;q=0", null);
        expected.put("br, zstd", null);
        expected.put("gzip", "gzip");
        expected.put("deflate;q=0.5, gzip", "gzip");
        for (java.util.Map.Entry<String, String> e : expected.entrySet()) {
            String response = responseHead(head("GET", ApiDocs.DOCUMENT, "Accept-Encoding: " + e.getKey() + "\r\n"));
            assertThat(response).as(e.getKey()).startsWith("HTTP/1.1 200");
            assertThat(header(response, "Content-Encoding")).as(e.getKey() + ": " + response).isEqualTo(e.getValue());
        }
    }

    /**
     * A request line, header block, chunk line or trailer over the limits is answered, and the server logs no
     * error about it (the server's own handlers never see a part of a request they did not see begin).
     */
    @Test
    void aRequestOverTheLimitsLogsNoError() throws IOException {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        String chunked = "POST /funnel/event HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer local-test-token\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(status(head("GET", "/" + "a".repeat(10_000), "") + "{\"a\":1}")).isEqualTo(414);
                assertThat(status(head("POST", "/funnel/event", "X-Big: " + "b".repeat(100 * 1024) + "\r\n")
                        + "{\"a\":1}")).isEqualTo(431);
                assertThat(status(chunked + "2;" + "x".repeat(20_000) + "\r\n{}\r\n0\r\n\r\n")).isIn(400, 414);
                assertThat(status(chunked + "2\r\n{}\r\n0\r\nX-Trailer: " + "t".repeat(100 * 1024) + "\r\n\r\n"))
                        .isIn(400, 431);
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("No request state").doesNotContain("ClassCastException").doesNotContain("ERROR");
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
