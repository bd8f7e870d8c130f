package com.engarde.signupsync.http;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request's timeout is a ceiling, not a forecast: within a budget shorter than it, the request is still sent
 * and may take what the budget has left; only a budget too short to connect refuses it.
 */
class TimeBudgetTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final RetryPolicy RETRY = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofSeconds(1), d -> { });

    private final HttpServer server = start();

    private static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/ok", exchange -> {
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private VendorHttp http(Duration connect, Duration request) {
        return new VendorHttp("Vendor", VendorAuth.NONE, new VendorHttp.Settings(connect, request, VendorHttp.RateLimit.NONE),
                RETRY, Clock.fixed(NOW, java.time.ZoneOffset.UTC), VendorHttp::text);
    }

    private URI ok() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ok");
    }

    @Test
    void aRequestTimeoutIsClippedToWhatTheBudgetHasLeft() {
        TimeBudget budget = TimeBudget.of(NOW, Duration.ofSeconds(20), Duration.ZERO);
        assertThat(budget.clip(NOW, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(20));
        assertThat(budget.clip(NOW, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(budget.clip(NOW.plusSeconds(30), Duration.ofSeconds(10))).isEqualTo(Duration.ZERO);
        assertThat(TimeBudget.unlimited().clip(NOW, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aRequestWhoseTimeoutIsLongerThanTheBudgetIsStillSent() {
        TimeBudget budget = TimeBudget.of(NOW, Duration.ofSeconds(20), Duration.ZERO).counting();
        assertThat(new String(http(Duration.ofSeconds(10), Duration.ofSeconds(60)).get(ok(), budget), StandardCharsets.UTF_8))
                .isEqualTo("{}");
        assertThat(budget.requestCount()).isEqualTo(1);
    }

    @Test
    void aBudgetThatCannotCoverTheConnectTimeoutRefusesTheRequestUnsent() {
        TimeBudget budget = TimeBudget.of(NOW, Duration.ofSeconds(4), Duration.ZERO).counting();
        assertThatThrownBy(() -> http(Duration.ofSeconds(5), Duration.ofSeconds(60)).get(ok(), budget))
                .isInstanceOf(TimeBudgetExhausted.class)
                .hasMessageContaining("Vendor").hasMessageContaining("GET /ok");
        assertThat(budget.requestCount()).isZero();
    }
}
