package com.engarde.signupsync.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vendor HTTP policy against a local server: POST with JSON, static and OAuth2 client-credentials
 * authentication (token cached, renewed once on 401), the answer size cap, redirects only within the
 * host, https-only base URLs off loopback, and the request count.
 */
class VendorHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofSeconds(1), d -> { });
    private static final VendorHttp.Settings SETTINGS = new VendorHttp.Settings(Duration.ofSeconds(2),
            Duration.ofSeconds(2), VendorHttp.RateLimit.NONE, 1024);

    private final HttpServer server = start();
    private final HttpServer other = start();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();

    private static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
        other.stop(0);
    }

    private URI url(HttpServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort() + path);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private VendorHttp http(VendorAuth auth) {
        return new VendorHttp("Vendor", auth, SETTINGS, RETRY, Clock.systemUTC(), a -> VendorHttp.jsonMessage(JSON, a, "message"));
    }

    @Test
    void aPostCarriesItsJsonBodyAndTheStaticCredentialAndIsCounted() {
        server.createContext("/items", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + exchange.getRequestHeaders().getFirst("X-API-Key") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            send(exchange, 201, "{\"id\":7}");
        });
        TimeBudget budget = TimeBudget.unlimited().counting();

        byte[] answer = http(VendorAuth.header("X-API-Key", "test-key")).post(url(server, "/items"),
                "{\"email\":\"a@example.com\"}".getBytes(StandardCharsets.UTF_8), budget);

        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
        assertThat(seen).containsExactly("POST application/json test-key {\"email\":\"a@example.com\"}");
        assertThat(budget.requestCount()).isEqualTo(1);
    }

    @Test
    void anOAuthTokenIsCachedUntilShortlyBeforeItExpiresAndRenewedOnceOnA401() {
        server.createContext("/oauth/token", exchange -> {
            seen.add("token " + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            send(exchange, 200, "{\"access_token\":\"token-" + tokensIssued.incrementAndGet() + "\",\"expires_in\":3600}");
        });
        AtomicInteger refuse = new AtomicInteger();
        server.createContext("/api", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add("api " + auth);
            boolean refused = refuse.getAndDecrement() > 0;
            send(exchange, refused ? 401 : 200, refused ? "{\"message\":\"Invalid access token\"}" : "[]");
        });
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
        OAuthClientCredentials oauth = new OAuthClientCredentials("Zoom", url(server, "/oauth/token"), "client-id",
                "client-secret", Map.of("grant_type", "account_credentials", "account_id", "acc-1"), SETTINGS, RETRY, clock, JSON);
        VendorHttp http = new VendorHttp("Zoom", oauth, SETTINGS, RETRY, clock, a -> VendorHttp.jsonMessage(JSON, a, "message"));
        TimeBudget budget = TimeBudget.unlimited().counting();

        http.get(url(server, "/api/a"), budget);
        http.get(url(server, "/api/b"), budget);
        // Past expires_in less the minute kept in hand: renewed before use.
        clock.now = clock.now.plus(Duration.ofMinutes(59)).plusSeconds(30);
        http.get(url(server, "/api/c"), budget);
        refuse.set(1);
        http.get(url(server, "/api/d"), budget);
        refuse.set(2);
        assertThatThrownBy(() -> http.get(url(server, "/api/e"), budget)).isInstanceOfSatisfying(VendorException.class,
                e -> assertThat(e.status()).isEqualTo(401));

        assertThat(tokensIssued.get()).isEqualTo(4);
        assertThat(seen.get(0)).startsWith("token Basic ").contains("grant_type=account_credentials").contains("account_id=acc-1");
        assertThat(seen).filteredOn(s -> s.startsWith("api")).containsExactly("api Bearer token-1", "api Bearer token-1",
                "api Bearer token-2", "api Bearer token-2", "api Bearer token-3", "api Bearer token-3", "api Bearer token-4");
        assertThat(String.join(" ", seen.subList(0, 1))).doesNotContain("client-secret");
    }

    @Test
    void anAnswerLargerThanTheCapFailsTheCall() {
        server.createContext("/big", exchange -> send(exchange, 200, "x".repeat(2000)));

        assertThatThrownBy(() -> http(VendorAuth.NONE).get(url(server, "/big"), TimeBudget.unlimited()))
                .isInstanceOf(VendorException.class).hasMessageContaining("larger than 1024 bytes");
    }

    @Test
    void redirectsAreFollowedOnTheSameHostOnlyAndNeverCarryTheCredentialElsewhere() {
        other.createContext("/steal", exchange -> {
            seen.add("other " + exchange.getRequestHeaders().getFirst("Authorization"));
            send(exchange, 200, "[]");
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/here");
            send(exchange, 301, "");
        });
        server.createContext("/here", exchange -> send(exchange, 200, "[1]"));
        server.createContext("/away", exchange -> {
            exchange.getResponseHeaders().add("Location", url(other, "/steal").toString());
            send(exchange, 302, "");
        });
        VendorHttp http = http(VendorAuth.bearer("secret-token"));
        TimeBudget budget = TimeBudget.unlimited().counting();

        assertThat(new String(http.get(url(server, "/moved"), budget), StandardCharsets.UTF_8)).isEqualTo("[1]");
        assertThatThrownBy(() -> http.get(url(server, "/away"), budget))
                .isInstanceOf(VendorException.class).hasMessageContaining("to another host; not followed");
        assertThat(seen).isEmpty();
        assertThat(budget.requestCount()).isEqualTo(3);
    }

    @Test
    void aBaseUrlMustBeHttpsUnlessItIsLoopback() {
        assertThat(VendorHttp.requireSafeBase(URI.create("https://book.example.com/api/"))).isNotNull();
        assertThat(VendorHttp.requireSafeBase(URI.create("http://127.0.0.1:8090/api/"))).isNotNull();
        assertThat(VendorHttp.requireSafeBase(URI.create("http://localhost:8090/api/"))).isNotNull();
        assertThatThrownBy(() -> VendorHttp.requireSafeBase(URI.create("http://book.example.com/api/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> http(VendorAuth.NONE).get(URI.create("http://book.example.com/x"), TimeBudget.unlimited()))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("must use https");
    }

    @Test
    void aNameThatStartsWith127IsNotLoopback() {
        assertThatThrownBy(() -> VendorHttp.requireSafeBase(URI.create("http://127.attacker.example/api/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> VendorHttp.requireSafeBase(URI.create("http://127.0.0.1.attacker.example/api/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must use https");
    }

    @Test
    void aBaseUrlOnANonPublicAddressIsRefusedAndNeverCalled() {
        List<String> refused = List.of("https://10.0.0.5/api/", "https://169.254.169.254/latest/meta-data/",
                "https://[::ffff:10.0.0.1]/api/", "https://[::ffff:169.254.169.254]/", "https://172.16.0.1/",
                "https://192.168.1.1/", "https://100.64.0.1/", "https://0.0.0.0/", "https://224.0.0.1/",
                "https://255.255.255.255/", "https://[fd00::1]/", "https://[fe80::1]/", "https://[::]/",
                "https://[64:ff9b::a00:1]/", "https://[2002:a00:1::]/", "https://192.0.2.10/");
        for (String url : refused) {
            assertThatThrownBy(() -> VendorHttp.requireSafeBase(URI.create(url))).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a public");
            TimeBudget budget = TimeBudget.unlimited().counting();
            assertThatThrownBy(() -> http(VendorAuth.bearer("secret-token")).get(URI.create(url), budget)).as(url)
                    .isInstanceOf(VendorException.class).hasMessageContaining("not a public")
                    .hasMessageNotContaining("secret-token");
            assertThat(budget.requestCount()).as(url).isZero();
        }
        assertThat(refused).hasSize(16);
        assertThat(VendorHttp.requireSafeBase(URI.create("https://93.184.216.34/api/"))).isNotNull();
        assertThat(VendorHttp.requireSafeBase(URI.create("https://[2606:2800:220:1::1]/api/"))).isNotNull();
    }

    @Test
    void aNameThatResolvesElsewhereAtConnectionTimeIsNotCalled() throws Exception {
        server.createContext("/here", exchange -> {
            seen.add(exchange.getRequestURI().getPath());
            send(exchange, 200, "[1]");
        });
        // A rebinding name: loopback when it is checked and first called, a private address afterwards.
        java.util.Deque<String> answers = new java.util.ArrayDeque<>(List.of("127.0.0.1", "127.0.0.1", "10.0.0.5"));
        VendorUrlPolicy rebinding = new VendorUrlPolicy(true,
                host -> new java.net.InetAddress[]{java.net.InetAddress.getByName(answers.poll())});
        VendorHttp http = new VendorHttp("Vendor", VendorAuth.bearer("secret-token"), SETTINGS, RETRY, Clock.systemUTC(),
                a -> VendorHttp.jsonMessage(JSON, a, "message"), VendorHttp.ErrorReading.NONE, rebinding);
        URI here = URI.create("http://localhost:" + server.getAddress().getPort() + "/here");
        rebinding.requireAllowed(here);

        assertThat(new String(http.get(here, TimeBudget.unlimited()), StandardCharsets.UTF_8)).isEqualTo("[1]");
        assertThatThrownBy(() -> http.get(here, TimeBudget.unlimited()))
                .isInstanceOf(VendorException.class).hasMessageContaining("not a public internet address")
                .hasMessageContaining("10.0.0.5");
        assertThat(seen).containsExactly("/here");
        assertThat(answers).isEmpty();
    }

    @Test
    void loopbackIsRefusedWhereItIsNotAllowed() {
        VendorUrlPolicy inLambda = new VendorUrlPolicy(false, java.net.InetAddress::getAllByName);
        for (String url : List.of("http://127.0.0.1:8090/", "https://127.0.0.1/", "http://localhost:8090/",
                "https://[::1]/", "https://[::ffff:127.0.0.1]/")) {
            assertThatThrownBy(() -> inLambda.requireAllowed(URI.create(url))).as(url)
                    .isInstanceOf(VendorUrlRefused.class).hasMessageContaining("loopback");
        }
        VendorHttp http = new VendorHttp("Vendor", VendorAuth.NONE, SETTINGS, RETRY, Clock.systemUTC(),
                a -> VendorHttp.jsonMessage(JSON, a, "message"), VendorHttp.ErrorReading.NONE, inLambda);
        assertThatThrownBy(() -> http.get(url(server, "/x"), TimeBudget.unlimited()))
                .isInstanceOf(VendorException.class).hasMessageContaining("loopback");
        assertThat(VendorUrlPolicy.loopbackAllowedIn(Map.of(VendorUrlPolicy.LAMBDA_MARKER, "admin-sources"))).isFalse();
        assertThat(VendorUrlPolicy.loopbackAllowedIn(Map.of())).isTrue();
    }

    @Test
    void aNameIsCheckedOnTheAddressesItResolvesTo() {
        VendorUrlPolicy policy = new VendorUrlPolicy(true, host -> switch (host) {
            case "internal.example" -> new java.net.InetAddress[]{java.net.InetAddress.getByName("93.184.216.34"),
                    java.net.InetAddress.getByName("10.1.2.3")};
            case "metadata.example" -> new java.net.InetAddress[]{java.net.InetAddress.getByName("169.254.169.254")};
            case "book.example" -> new java.net.InetAddress[]{java.net.InetAddress.getByName("93.184.216.34")};
            case "home.example" -> new java.net.InetAddress[]{java.net.InetAddress.getByName("127.0.0.1")};
            default -> throw new java.net.UnknownHostException(host);
        });
        assertThatThrownBy(() -> policy.requireAllowed(URI.create("https://internal.example/api/")))
                .isInstanceOf(VendorUrlRefused.class).hasMessageContaining("10.1.2.3");
        assertThatThrownBy(() -> policy.requireAllowed(URI.create("https://metadata.example/")))
                .isInstanceOf(VendorUrlRefused.class).hasMessageContaining("169.254.169.254");
        assertThat(policy.requireAllowed(URI.create("https://book.example/api/"))).isNotNull();
        assertThat(policy.requireAllowed(URI.create("https://not-yet-registered.example/api/"))).isNotNull();
        // A name resolving to loopback is still not http-safe: loopback is an address, not a spelling.
        assertThatThrownBy(() -> policy.requireAllowed(URI.create("http://home.example/")))
                .isInstanceOf(VendorUrlRefused.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> policy.checkConnection(URI.create("http://localhost.example/")))
                .isInstanceOf(VendorUrlRefused.class);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
