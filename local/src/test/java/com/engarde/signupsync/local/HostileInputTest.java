package com.engarde.signupsync.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.manifest.RouteAuth;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.manifest.FunctionManifest.Route;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.ConsoleLinesCheck;
import com.engarde.signupsync.testing.ExpectedWarnings;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.ScopedTokens;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against every route of every function manifest (routes added later join by themselves), at
 * a fixed seed so a failure replays: wrong types, huge and empty values, deep nesting, invalid UTF-8, NULs,
 * SQL metacharacters, traversal in ids, odd numbers and dates, duplicate keys, header tricks. Every answer is
 * a 4xx in the standard error body or a success; never a 5xx; and a refused request changes nothing stored.
 */
class HostileInputTest {

    static final int TRIES = 200;
    private static final String WEBHOOK_SECRET = "test-posh-secret-not-a-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ERROR_KEYS = Set.of("error", "message", "field");
    /** What a refusal's message never names: a database error code, a Java class or package. */
    static final String INTERNALS = "SQLSTATE|[A-Z][a-z]+(Exception|Exhausted)|java\\.";

    private static LambdaHarness lambda;
    private static List<Route> routes;
    private static String adminToken;
    private static List<String> tables;
    /** One connection for every look at what is stored: opening one a request cost more than the request. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HostileInputTest.class);
    private static Connection probe;
    private static final Map<String, Integer> casesPerRoute = new ConcurrentHashMap<>();
    /**
     * The warnings the walk provokes by design: syncs its service token starts for sources it gives no credentials,
     * Posh.VIP deliveries without the secret, and hostile deliveries kept whose records the sync refuses.
     */
    static final Pattern EXPECTED_WARNING = Pattern.compile(" WARN com\\.engarde\\.signupsync\\.(" + ExpectedWarnings.SYNC_WITHOUT_CREDENTIALS
            + "|sync\\.SyncEngine - run \\d+: \\d+ record\\(s\\) of page \\d+ failed, "
            + "|sources\\.poshvip\\.PoshWebhookReceiver - Posh\\.VIP delivery refused: )");
    private static ExpectedWarnings warnings;

    @BeforeContainer
    static void start() {
        ConsoleLinesCheck.start();
        warnings = ExpectedWarnings.start(EXPECTED_WARNING);
        TestDatabase.get().truncate();
        // Admin routes are attacked with a superuser's token too, so their bodies and parameters reach the
        // controllers instead of stopping at the 401.
        Map<String, Object> properties = new java.util.HashMap<>(AdminJwts.PROPERTIES);
        properties.putAll(Map.of("poshvip.webhook.secret", WEBHOOK_SECRET, "engarde.database.pool-size", 4,
                "signup.sync.encryption.key", Base64.getEncoder().encodeToString(new byte[32])));
        properties.putAll(ScopedTokens.properties());
        lambda = new LambdaHarness(properties);
        adminToken = AdminJwts.superuser(java.time.Instant.now());
        routes = lambda.context().getBean(FunctionManifests.class).routes();
        try {
            probe = TestDatabase.get().dataSource().getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        tables = query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                + " AND tablename <> 'flyway_schema_history' ORDER BY tablename");
        // The write-ahead log's position stands for "nothing changed" only for tables whose writes it records.
        assertThat(query("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " AND relkind IN ('r', 'p') AND relpersistence <> 'p'")).as("unlogged or temporary tables").isEmpty();
    }

    @AfterContainer
    static void reportAndStop() {
        try {
            Map<String, Integer> sorted = new TreeMap<>(casesPerRoute);
            sorted.forEach((route, n) -> LOG.info("hostile input: {} cases  {}", n, route));
            assertThat(routes).as("routes found in the manifests").isNotEmpty();
            assertThat(sorted.keySet()).containsExactlyInAnyOrderElementsOf(routes.stream().map(HostileInputTest::name).toList());
            assertThat(sorted.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(TRIES));
            LOG.info("hostile input: {} expected warnings kept off the console", warnings.lines().size());
            assertThat(warnings.lines()).as("expected warnings").isNotEmpty()
                    .allSatisfy(line -> assertThat(line).doesNotContain("@example.com").doesNotContain(LambdaHarness.TOKEN)
                            .doesNotContain(WEBHOOK_SECRET));
        } finally {
            warnings.stop();
            lambda.close();
            try {
                probe.close();
            } catch (SQLException ignored) {
                // the embedded database goes with the JVM
            }
        }
        ConsoleLinesCheck.checkPrinted();
    }

    private static String name(Route route) {
        return route.method() + " " + route.path();
    }

    /** One generated attack, applied to every route in turn. */
    record Attack(String id, String query, Body body, Headers headers, String method) {
    }

    record Body(String text, byte[] bytes) {
    }

    record Headers(boolean token, boolean webhookSecret, String authorization, String contentType, String extraName,
                   String extraValue) {
    }

    @Property(tries = TRIES, seed = "20261201")
    void noRouteAnswers5xxAndARefusalChangesNothing(@ForAll("attacks") Attack attack) {
        assertThat(routes).isNotEmpty();
        Stored known = null;
        for (Route route : routes) {
            APIGatewayProxyRequestEvent request = request(route, attack);
            Stored before = stored(known);
            known = before;
            LambdaHarness.Response response = lambda.handle(request);
            // A sync a request started runs on the in-process bus; its writes belong to that request.
            idle();
            String what = request.getHttpMethod() + " " + request.getPath() + " q=" + request.getMultiValueQueryStringParameters()
                    + " headers=" + abbreviate(request.getHeaders())
                    + " body=" + abbreviate(attack.body()) + " -> " + response.status() + " " + abbreviate(response.body());

            assertThat(response.status()).as(what).isBetween(200, 499);
            if (response.status() >= 400) {
                if (!"HEAD".equals(request.getHttpMethod())) {
                    // HEAD answers carry no body by definition.
                    assertStandardError(response, what);
                }
                if (!keptAsFailedDelivery(route, response)) {
                    Stored after = stored(before);
                    assertThat(after.rows()).as("a refused request changed what is stored: " + what).isEqualTo(before.rows());
                    known = after;
                }
            } else if (response.body() != null && !response.body().isEmpty() && isJson(response)) {
                // A success is JSON unless it says otherwise (the usage export may answer text/csv).
                assertThat(parse(response.body())).as(what).isNotNull();
            }
            casesPerRoute.merge(name(route), 1, Integer::sum);
        }
    }

    /**
     * Scoped service tokens against every route: a token without the route's scope, with no scope, unknown, or
     * spelled with odd characters (as API Gateway delivers a header). Each answer is a success or a 4xx in the standard error body naming no SQLSTATE
     * and no Java class, and a refusal changes nothing stored.
     */
    @net.jqwik.api.Example
    void scopedTokensNeverAnswer5xxNorNameTheInternals() {
        String scoped = ScopedTokens.holdingOnly(com.engarde.signupsync.manifest.ServiceScope.SYNC_RUN);
        List<String> headers = new ArrayList<>();
        for (com.engarde.signupsync.manifest.ServiceScope scope : com.engarde.signupsync.manifest.ServiceScope.values()) {
            headers.add("Bearer " + ScopedTokens.holdingAllBut(scope));
        }
        headers.addAll(List.of("Bearer " + ScopedTokens.NO_SCOPES, "Bearer unknown-scoped-token-not-a-secret",
                "Bearer " + ScopedTokens.sha256(scoped), "BEARER " + scoped, "Bearer   " + scoped + "  ",
                "Bearer " + scoped + ", Bearer " + LambdaHarness.TOKEN, "Bearer " + scoped + "\u0000",
                "Bearer \u202e" + scoped, "Bearer t\u00e9st-\u4e2d-\ud83d\ude00", "Bearer \u0000", "Bearer ' OR '1'='1",
                "Bearer ${jndi:ldap://127.0.0.1/x}", "Bearer " + "\u00e9".repeat(5_000), "Bearer scopes=[\"sync:run\"]"));
        int cases = 0;
        Stored known = null;
        for (Route route : routes) {
            for (String authorization : headers) {
                APIGatewayProxyRequestEvent request = LambdaHarness.request(route.method(),
                        route.path().replaceAll("\\{[^}]+}", "x"), "{}");
                request.getHeaders().put("Authorization", deliverable(authorization));
                Stored before = stored(known);
                known = before;
                LambdaHarness.Response response = lambda.handle(request);
                idle();
                String what = name(route) + " with " + abbreviate(authorization) + " -> " + response.status() + " "
                        + abbreviate(response.body());
                assertThat(response.status()).as(what).isBetween(200, 499);
                if (response.status() >= 400) {
                    assertStandardError(response, what);
                    assertThat(response.body()).as(what).doesNotContainPattern("SQLSTATE|\\b[a-z]+\\.[a-z.]+\\.[A-Z]\\w+")
                            .doesNotContainPattern("\\b[A-Z]\\w+(Exception|Error|Exhausted|Missing)\\b");
                    if (!keptAsFailedDelivery(route, response)) {
                        Stored after = stored(before);
                        assertThat(after.rows()).as("a refused request changed what is stored: " + what).isEqualTo(before.rows());
                        known = after;
                    }
                }
                cases++;
            }
        }
        assertThat(cases).as("scoped-token cases walked").isEqualTo(routes.size() * headers.size()).isPositive();
    }

    /**
     * The one documented exception: an authenticated Posh.VIP delivery that is not JSON is kept, failed, for
     * inspection (a delivery lost there is lost for good) while the sender is told 400.
     */
    private static boolean isJson(LambdaHarness.Response response) {
        String type = response.headers().getOrDefault("Content-Type", "application/json");
        return type.startsWith("application/json");
    }

    private static boolean keptAsFailedDelivery(Route route, LambdaHarness.Response response) {
        return route.path().equals("/api/webhooks/poshvip") && response.status() == 400
                && response.body().contains("kept as delivery");
    }

    private static void assertStandardError(LambdaHarness.Response response, String what) {
        JsonNode body = parse(response.body());
        assertThat(body).as("error body of " + what).isNotNull();
        assertThat(body.isObject()).as(what).isTrue();
        assertThat(body.path("error").isTextual()).as(what).isTrue();
        assertThat(body.path("message").isTextual()).as(what).isTrue();
        body.fieldNames().forEachRemaining(key -> assertThat(ERROR_KEYS).as(what).contains(key));
        assertThat(body.path("message").asText()).as(what).doesNotContain("com.fasterxml").doesNotContain("Exception")
                .doesNotContain("io.micronaut").doesNotContain("SQL ").doesNotContain("Failing row")
                .doesNotContainPattern(INTERNALS);
    }

    private static APIGatewayProxyRequestEvent request(Route route, Attack attack) {
        // As a client must send it: a character a path cannot hold arrives percent-encoded.
        String id = attack.id().isEmpty() ? "x" : pathSafe(attack.id());
        String path = route.path().replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(id));
        String method = attack.method() == null ? route.method() : attack.method();
        APIGatewayProxyRequestEvent event = LambdaHarness.request(method, path, null);
        if (attack.body() != null) {
            if (attack.body().bytes() != null) {
                event.setBody(Base64.getEncoder().encodeToString(attack.body().bytes()));
                event.setIsBase64Encoded(true);
            } else {
                event.setBody(attack.body().text());
            }
        }
        Map<String, String> headers = event.getHeaders();
        headers.remove("Authorization");
        headers.remove("Content-Type");
        Headers h = attack.headers();
        if (h.token()) {
            headers.put("Authorization", "Bearer " + (route.auth() == RouteAuth.ADMIN_JWT ? adminToken : LambdaHarness.TOKEN));
        } else if (h.authorization() != null) {
            headers.put("Authorization", deliverable(h.authorization()));
        }
        if (h.webhookSecret()) {
            headers.put("Posh-Secret", WEBHOOK_SECRET);
        }
        if (h.contentType() != null) {
            headers.put("Content-Type", h.contentType());
        }
        if (h.extraName() != null) {
            headers.put(h.extraName(), deliverable(h.extraValue()));
        }
        return attack.query() == null ? event : LambdaHarness.withQuery(event, attack.query());
    }

    @Provide
    Arbitrary<Attack> attacks() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "GET", "POST", "post", "Get")));
        return Combinators.combine(ids(), queries(), bodies(), headers(), method).as(Attack::new);
    }

    private static Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "\u0000", "a\u0000b", "\ud800", "\udc00x", "\u202e\u2066", "\u200b", "\u00a0x\u00a0",
                        "ade\u0301le", "\u2c2f", "1' OR '1'='1", "'; DROP TABLE leads; --", "\\", "\"", "%00", "%zz",
                        "../../etc/passwd", "..%2F..%2F", "${jndi:ldap://127.0.0.1/x}", "<script>x</script>",
                        "\u0661\u0662", "NaN", "Infinity", "-0", "1e400", "null", "true", "\r\nX-Injected: 1"),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().ofMinLength(250).ofMaxLength(5000).withChars('x', '9', '\u00e9', '\u4e2d'));
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.of("1", "abc", "-1", "0", "18446744073709551622", "99999999999999999999", "%D9%A1", "\u0661",
                        "+1", "\uff11", "a\u200bb",
                        "..", "..%2F..", "a%00b", "1;SELECT", "1%20OR%201=1", "manual", "easyappointments", "poshvip",
                        "x".repeat(3000)),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30)
                        .map(s -> s.replace("/", "%2F").replace("?", "%3F").replace("#", "%23")));
    }

    private static Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.of("limit", "before_id", "delivery_id", "status", "source_type", "from",
                "to", "page", "a", "limit[]", "", "after", "stage", "before", "page_size", "offset", "actor", "utm_source");
        Arbitrary<String> value = Arbitraries.oneOf(hostileText().map(HostileInputTest::encode),
                Arbitraries.of("1", "50", "200", "201", "2147483648", "-5", "", "%zz", "%D9%A1", "failed", "processed",
                        "%2B1", "%EF%BC%91", "%E2%80%8B", "-0001-01-01T00:00:00Z", "%2B300000-01-01T00:00:00Z"));
        Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        return Arbitraries.oneOf(Arbitraries.just((String) null),
                pair.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("&", l)));
    }

    /**
     * A header value as API Gateway can hand one over: HTTP parsing has already trimmed it and refused control
     * characters (those tricks are the local server's, see LocalEdgesTest).
     */
    private static String deliverable(String value) {
        return value.chars().filter(c -> c >= 0x20 && c < 0x7f).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
    }

    private static String pathSafe(String id) {
        StringBuilder out = new StringBuilder();
        // A percent that starts a valid escape stays: the ids that are already encoded are sent as they are.
        String escaped = id.replaceAll("%(?![0-9A-Fa-f]{2})", "%25");
        for (byte b : escaped.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean safe = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~%!$&'()*+,;=:@".indexOf(c) >= 0);
            out.append(safe ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static final List<String> FIELDS = List.of("source_type", "event_type", "email", "first_name", "last_name",
            "phone", "external_id", "occurred_at", "utm_source", "utm_campaign", "event_data", "lead_id",
            "platform_user_id", "tenant_id", "converted_at", "events", "type", "order_number", "event_id",
            "account_email", "date_purchased", "update_date", "items", "total");

    private static Arbitrary<String> jsonValues() {
        return Arbitraries.oneOf(
                hostileText().map(HostileInputTest::quote),
                Arbitraries.of("18446744073709551622", "-1", "0", "1.5", "1e400", "-1e400", "1e-400", "9".repeat(2000),
                        "true", "false", "null", "[]", "{}", "[null]", "{\"\\u0000\":1}", "{\"k\":\"\\u0000\"}",
                        "\"0000-01-01T00:00:00Z\"", "\"-5000-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
                        "\"+10000-01-01T00:00:00Z\"", "\"2026-02-30T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"",
                        "\"2026-03-01T10:00:00Z\"", "\"x@example.com\"", "\"X@Example.COM\"", "\"\\u2c2f@example.com\"",
                        "\"manual\"", "\"lead_captured\"", "\"new_order\"", "\"\\ud800\"", "\"\\u202e\""),
                Arbitraries.integers().between(1, 1200).map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.longs().map(String::valueOf));
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String EVENT = "{\"source_type\":\"manual\",\"event_type\":\"lead_captured\","
            + "\"email\":\"hostile@example.com\",\"external_id\":\"h-1\",\"occurred_at\":\"2026-03-01T10:00:00Z\","
            + "\"platform_user_id\":\"u-1\",\"type\":\"new_order\",\"order_number\":\"1\","
            + "\"account_email\":\"hostile@example.com\"}";

    private static Arbitrary<Body> bodies() {
        Arbitrary<String> oneField = Combinators.combine(Arbitraries.of(FIELDS), jsonValues())
                .as((field, value) -> EVENT.replaceFirst("\\{", "{\"" + field + "\":" + value + ","));
        Arbitrary<String> replaced = Combinators.combine(Arbitraries.of(FIELDS), jsonValues())
                .as((field, value) -> "{\"" + field + "\":" + value + "}");
        Arbitrary<String> duplicate = Arbitraries.of(FIELDS).map(f -> "{\"" + f + "\":\"bogus\"," + EVENT.substring(1)
                .replaceFirst("}$", ",\"" + f + "\":\"manual\"}"));
        Arbitrary<String> batch = oneField.list().ofMinSize(1).ofMaxSize(4)
                .map(items -> "{\"events\":[" + EVENT + "," + String.join(",", items) + "]}");
        Arbitrary<String> shapes = Arbitraries.of("", " ", "null", "[]", "{}", "\"text\"", "123", "{", "}", "{\"a\":1}}",
                EVENT + " {}", EVENT + "x", "{\"events\":[]}", "{\"events\":{}}", "{\"events\":[1,\"x\",null]}",
                "{\"events\":[" + (EVENT + ",").repeat(501) + EVENT + "]}", "\ufeff" + EVENT);
        Arbitrary<Body> text = Arbitraries.oneOf(oneField, replaced, duplicate, batch, shapes).map(t -> new Body(t, null));
        Arbitrary<Body> invalidUtf8 = Arbitraries.of(
                new byte[]{'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
                new byte[]{(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0},
                new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                new byte[]{(byte) 0x80, (byte) 0x80}).map(b -> new Body(null, b));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Body) null)),
                net.jqwik.api.Tuple.of(8, text),
                net.jqwik.api.Tuple.of(1, invalidUtf8));
    }

    private static Arbitrary<Headers> headers() {
        Arbitrary<String> authorization = Arbitraries.of("Bearer", "Bearer ", "Basic " + LambdaHarness.TOKEN,
                LambdaHarness.TOKEN, "Bearer " + LambdaHarness.TOKEN + "x", "Bearer \u0000", "bearer " + LambdaHarness.TOKEN,
                "Bearer " + "t".repeat(10_000));
        Arbitrary<String> contentType = Arbitraries.of("application/json", "text/plain", "application/json; charset=utf-16",
                "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "", "application/xml");
        Arbitrary<String> extraName = Arbitraries.of("X-Forwarded-For", "Content-Length", "Transfer-Encoding", "Host",
                "webhook-id", "X-Posh-Signature", "Accept", "X-Big");
        Arbitrary<String> extraValue = Arbitraries.oneOf(hostileText(), Arbitraries.just("v".repeat(20_000)));
        return Combinators.combine(Arbitraries.integers().between(0, 9).map(n -> n < 8), Arbitraries.of(true, true, false),
                authorization.injectNull(0.3), contentType.injectNull(0.3), extraName.injectNull(0.5), extraValue)
                .as(Headers::new);
    }

    private static JsonNode parse(String body) {
        if (body == null) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String abbreviate(Object o) {
        String s = o instanceof Body b ? (b.text() != null ? b.text() : "bytes " + java.util.Arrays.toString(b.bytes()))
                : String.valueOf(o);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static void idle() {
        try {
            assertThat(lambda.context().getBean(InProcessBus.class).awaitIdle(java.time.Duration.ofSeconds(60)))
                    .as("syncs started by the request finished").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What is stored ({@code rows}: every table's row count and newest row version, which an insert, update or
     * delete anywhere changes) and the write-ahead log's insert position read just before those rows.
     */
    record Stored(String walPosition, String rows) {
    }

    /**
     * What is stored now: {@code known} itself while the log has not moved since it was read, else read afresh. Sound
     * because every transaction that writes a row writes its commit record to the log, and every table is logged.
     */
    private static Stored stored(Stored known) {
        String position = query("SELECT pg_current_wal_insert_lsn()::text").get(0);
        if (known != null && known.walPosition().equals(position)) {
            return known;
        }
        String sql = tables.stream().map(t -> "SELECT '" + t + "' || ':' || count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM " + t)
                .collect(Collectors.joining(" UNION ALL "));
        return new Stored(position, String.join(",", query(sql)));
    }

    private static List<String> query(String sql) {
        try (Statement s = probe.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
