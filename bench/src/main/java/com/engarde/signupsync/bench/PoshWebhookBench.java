package com.engarde.signupsync.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import com.engarde.signupsync.testing.WebhookSigning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Posh.VIP receiver through its Lambda handler in-process against the local database: a mix of new
 * deliveries (Posh-Secret orders and refunds, X-Posh-Signature orders, Standard Webhooks purchases) and
 * redeliveries (one request in five), then a check that every delivery is stored exactly once with one
 * funnel event. Baseline, same run: the least any receiver must do, one plain JDBC insert of the raw
 * delivery and a commit per request.
 */
public final class PoshWebhookBench {

    private static final String SECRET = "bench-posh-secret-not-a-secret";
    private static final String PATH = "/api/webhooks/poshvip";
    private static final int REQUESTS = 10_000;
    private static final int THREADS = 4;

    /** One request to send, and which delivery it is. */
    record Request(int delivery, APIGatewayProxyRequestEvent event, boolean redelivery) {
    }

    public static void main(String[] args) throws Exception {
        TestDatabase db = TestDatabase.get();
        System.out.printf("database: %s%n", db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL");
        try (LambdaHarness lambda = new LambdaHarness(Map.of("poshvip.webhook.secret", SECRET,
                "engarde.database.pool-size", THREADS))) {
            empty(db);
            jdbc(db, "warm", 2_000);
            sequential(lambda, requests("warm", 2_000));
            empty(db);
            sequential(lambda, requests("warm2", 2_000));

            double jdbcRate = 0;
            Result best = null;
            for (int round = 1; round <= 2; round++) {
                empty(db);
                double jdbcRound = jdbc(db, "r" + round, REQUESTS);
                empty(db);
                List<Request> requests = requests("r" + round, REQUESTS);
                Result result = sequential(lambda, requests);
                verify(requests, result);
                System.out.printf("round %d: plain JDBC insert %.0f/s; receiver %.0f deliveries/s (p50 %.2f ms, p99 %.2f ms)%n",
                        round, jdbcRound, result.rate(), result.p50(), result.p99());
                jdbcRate = Math.max(jdbcRate, jdbcRound);
                best = best == null || result.rate() > best.rate() ? result : best;
            }
            System.out.printf("(a) webhook-poshvip handler, one at a time as a Lambda instance serves them, %d requests"
                            + " (%d redeliveries), best of 2: %.0f deliveries/s, p50 %.2f ms, p99 %.2f ms (target >= 300/s);"
                            + " baseline plain JDBC insert of the raw delivery %.0f/s, ratio jdbc/handler = %.2f%n",
                    REQUESTS, REQUESTS / 5, best.rate(), best.p50(), best.p99(), jdbcRate, jdbcRate / best.rate());

            empty(db);
            List<Request> requests = requests("c", REQUESTS);
            Result concurrent = concurrent(lambda, requests);
            verify(requests, concurrent);
            System.out.printf("(b) the same handler with %d concurrent senders (pool of %d connections): %.0f deliveries/s%n",
                    THREADS, THREADS, concurrent.rate());
            System.out.println("    every delivery stored exactly once, one funnel event each, redeliveries answered as"
                    + " duplicates: checked after each run");
        }
        System.exit(0);
    }

    /** Deliveries 4 in 5 new, 1 in 5 a redelivery of an earlier one; bodies and signatures made before timing. */
    static List<Request> requests(String run, int n) {
        Random random = new Random(42);
        List<Request> requests = new ArrayList<>(n);
        List<byte[]> bodies = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int delivery = 0;
        for (int i = 0; i < n; i++) {
            if (i % 5 == 4) {
                int earlier = random.nextInt(delivery);
                requests.add(new Request(earlier, event(earlier, bodies.get(earlier), ids.get(earlier)), true));
                continue;
            }
            byte[] body = body(run, delivery);
            String id = delivery % 10 == 6 || delivery % 10 == 7 ? "msg_" + run + "_" + delivery : null;
            bodies.add(body);
            ids.add(id);
            requests.add(new Request(delivery, event(delivery, body, id), false));
            delivery++;
        }
        return requests;
    }

    private static APIGatewayProxyRequestEvent event(int delivery, byte[] body, String webhookId) {
        if (webhookId != null) {
            return WebhookSigning.withStandard(WebhookSigning.post(PATH, body, true), SECRET, webhookId,
                    Instant.now().getEpochSecond(), body);
        }
        if (delivery % 10 == 9) {
            return WebhookSigning.withSecret(WebhookSigning.post(PATH, body, false), "X-Posh-Signature",
                    WebhookSigning.bodySignature(SECRET, body));
        }
        return WebhookSigning.withSecret(WebhookSigning.post(PATH, body, false), "Posh-Secret", SECRET);
    }

    /** 0-5 and 9: a Posh new_order; 6-7: a signed purchase.created; 8: a refund of the order two before. */
    private static byte[] body(String run, int d) {
        int kind = d % 10;
        String json;
        if (kind == 6 || kind == 7) {
            json = "{\"type\":\"purchase.created\",\"timestamp\":\"2026-06-22T19:41:07Z\",\"data\":{"
                    + order(run, d) + "}}";
        } else if (kind == 8) {
            json = "{\"type\":\"order_updated\"," + order(run, d - 2).replace("\"refunded\":false", "\"refunded\":true")
                    .replace("2026-06-20T18:04:11.000Z\",\"cancelled", "2026-06-26T08:30:00.000Z\",\"cancelled") + "}";
        } else {
            json = "{\"type\":\"new_order\"," + order(run, d) + "}";
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String order(String run, int d) {
        return "\"account_first_name\":\"Buyer\",\"account_last_name\":\"N" + d + "\",\"account_email\":\"buyer" + d
                + "-" + run + "@example.com\",\"account_phone\":\"+15555550123\",\"event_name\":\"Bench Night\","
                + "\"event_start\":\"2026-07-04T22:30:00.000Z\",\"event_id\":\"bench-" + run + "\",\"items\":["
                + "{\"item_id\":\"ga\",\"name\":\"General Admission\",\"price\":45},"
                + "{\"item_id\":\"ga\",\"name\":\"General Admission\",\"price\":45}],"
                + "\"date_purchased\":\"2026-06-20T18:04:11.000Z\",\"promo_code\":\"\",\"subtotal\":90,\"total\":95.5,"
                + "\"tracking_link\":\"https://posh.vip/e/bench?utm_source=ig&utm_campaign=c" + (d % 7) + "\","
                + "\"order_number\":\"" + d + "\",\"update_date\":\"2026-06-20T18:04:11.000Z\",\"cancelled\":false,"
                + "\"refunded\":false,\"disputed\":false,\"partialRefund\":0";
    }

    record Result(double rate, double p50, double p99, String[] answers) {
    }

    private static Result sequential(LambdaHarness lambda, List<Request> requests) {
        long[] nanos = new long[requests.size()];
        String[] answers = new String[requests.size()];
        long start = System.nanoTime();
        for (int i = 0; i < requests.size(); i++) {
            long t = System.nanoTime();
            answers[i] = answer(lambda, requests.get(i));
            nanos[i] = System.nanoTime() - t;
        }
        double rate = requests.size() / ((System.nanoTime() - start) / 1e9);
        Arrays.sort(nanos);
        return new Result(rate, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6, answers);
    }

    private static Result concurrent(LambdaHarness lambda, List<Request> requests) throws Exception {
        String[] answers = new String[requests.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests.size(); ) {
                    answers[i] = answer(lambda, requests.get(i));
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double rate = requests.size() / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        return new Result(rate, 0, 0, answers);
    }

    private static String answer(LambdaHarness lambda, Request request) {
        LambdaHarness.Response r = lambda.handle(request.event());
        if (r.status() != 200) {
            throw new IllegalStateException("delivery " + request.delivery() + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    /** Every delivery stored once, processed once, one funnel event each; each redelivery answered a duplicate. */
    private static void verify(List<Request> requests, Result result) throws SQLException {
        long unique = requests.stream().filter(r -> !r.redelivery()).count();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).redelivery() && !result.answers()[i].contains("\"duplicate\":true")) {
                throw new IllegalStateException("redelivery " + i + " was not recognized: " + result.answers()[i]);
            }
        }
        long stored = number("SELECT count(*) FROM webhook_deliveries");
        long processedOnce = number("SELECT count(*) FROM webhook_deliveries WHERE status = 'processed' AND attempts = 1");
        long events = number("SELECT count(*) FROM funnel_events");
        if (stored != unique || processedOnce != unique || events != unique) {
            throw new IllegalStateException("expected " + unique + " deliveries stored and processed once with one event"
                    + " each; found " + stored + " stored, " + processedOnce + " processed once, " + events + " events");
        }
    }

    /** Baseline: the raw delivery as one plain INSERT and a commit, per request. */
    private static double jdbc(TestDatabase db, String run, int n) throws Exception {
        List<Request> requests = requests(run, n);
        MessageDigest sha = Sha256.incremental();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_deliveries (source_type, delivery_key,"
                     + " raw_body) VALUES ('poshvip', ?, ?) ON CONFLICT DO NOTHING")) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            for (Request request : requests) {
                byte[] body = request.event().getIsBase64Encoded()
                        ? java.util.Base64.getDecoder().decode(request.event().getBody())
                        : request.event().getBody().getBytes(StandardCharsets.UTF_8);
                insert.setString(1, java.util.HexFormat.of().formatHex(sha.digest(body)));
                insert.setBytes(2, body);
                insert.executeUpdate();
                c.commit();
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long number(String sql) throws SQLException {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void empty(TestDatabase db) {
        db.truncate();
    }
}
