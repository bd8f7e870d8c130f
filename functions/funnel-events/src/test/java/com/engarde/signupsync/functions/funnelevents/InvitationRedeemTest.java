package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.funnel.Conversions;
import com.engarde.signupsync.testing.AdminRequests;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Race;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /invitations/redeem: single use, expiring, one winner of two, one answer for every refusal. */
class InvitationRedeemTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final String TOKEN = "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c";

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(AdminRequests.properties());

    @BeforeEach
    void now() {
        TestClock.INSTANCE.set(NOW);
    }

    /** An approved queue entry of {@code email} with a pending invitation of {@code token}, expiring in 7 days. */
    private static long invited(String email, String token, String status) {
        long lead = Rows.number("INSERT INTO leads (email, first_name) VALUES (?, 'Ada') RETURNING id", email);
        long queue = Rows.number("INSERT INTO signup_queue (lead_id, source_type, first_name, status, decided_by, decided_at)"
                + " VALUES (?, 'easyappointments', 'Ada', 'approved', 'user-root', ?) RETURNING id", lead, Timestamp.from(NOW));
        return Rows.number("INSERT INTO invitations (queue_id, token_hash, status, expires_at, created_by, revoked_at)"
                        + " VALUES (?, decode(?, 'hex'), ?, ?, 'user-root', ?) RETURNING id", queue, Sha256.hex(token), status,
                Timestamp.from(NOW.plus(Duration.ofDays(7))), "revoked".equals(status) ? Timestamp.from(NOW) : null);
    }

    private static Response redeem(String token) {
        return lambda.post("/invitations/redeem", "{\"token\":\"" + token + "\"}");
    }

    @Test
    void aTokenRedeemsOnceAndItsEntryIsAccepted() {
        long id = invited("ada@example.com", TOKEN, "pending");

        Response first = redeem(TOKEN);
        Response second = redeem(TOKEN);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("invitation_id").asLong()).isEqualTo(id);
        assertThat(first.json().path("email").asText()).isEqualTo("ada@example.com");
        assertThat(first.json().path("first_name").asText()).isEqualTo("Ada");
        assertThat(Rows.row("SELECT status FROM signup_queue")).containsEntry("status", "accepted");
        assertThat(second.status()).isEqualTo(404);
        assertThat(Rows.number("SELECT count(*) FROM invitations WHERE status = 'redeemed'")).isEqualTo(1);
    }

    @Test
    void unknownExpiredUsedAndRevokedTokensGetOneAndTheSameAnswer() {
        invited("used@example.com", "u".repeat(43), "pending");
        assertThat(redeem("u".repeat(43)).status()).isEqualTo(200);
        invited("revoked@example.com", "r".repeat(43), "revoked");
        invited("late@example.com", "e".repeat(43), "pending");
        TestClock.INSTANCE.set(NOW.plus(Duration.ofDays(7)));

        List<Response> refused = List.of(redeem("n".repeat(43)), redeem("u".repeat(43)), redeem("r".repeat(43)),
                redeem("e".repeat(43)), redeem("short"));

        assertThat(refused).extracting(Response::status).containsOnly(404);
        assertThat(refused).extracting(Response::body).as("indistinguishable").containsOnly(refused.get(0).body());
        assertThat(refused.get(0).json().path("field").asText()).isEqualTo("token");
        assertThat(Rows.number("SELECT count(*) FROM signup_queue WHERE status = 'accepted'")).isEqualTo(1);

        TestClock.INSTANCE.set(NOW.plus(Duration.ofDays(7)).minusMillis(1));
        assertThat(redeem("e".repeat(43)).status()).as("valid until its expiry").isEqualTo(200);
    }

    @Test
    void ofTwoConcurrentRedemptionsExactlyOneWins() throws Exception {
        invited("race@example.com", TOKEN, "pending");

        List<Integer> statuses = Race.run(2, i -> () -> redeem(TOKEN).status());

        assertThat(statuses).containsExactlyInAnyOrder(200, 404);
        assertThat(Rows.number("SELECT count(*) FROM invitations WHERE status = 'redeemed'")).isEqualTo(1);
    }

    @Test
    void theLaterConversionTiesTheFunnelToTheInvitation() throws Exception {
        long id = invited("ada@example.com", TOKEN, "pending");
        assertThat(redeem(TOKEN).status()).isEqualTo(200);

        ObjectNode conversion = (ObjectNode) new ObjectMapper().readTree(
                "{\"email\":\"ada@example.com\",\"platform_user_id\":\"user-ada\"}");
        long conversionId = lambda.harness().context().getBean(Conversions.class).convert(conversion).conversion().id();

        assertThat(Rows.number("SELECT conversion_id FROM invitations WHERE id = ?", id)).isEqualTo(conversionId);
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        Response missing = lambda.post("/invitations/redeem", "{}");
        Response number = lambda.post("/invitations/redeem", "{\"token\":5}");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("field").asText()).isEqualTo("token");
        assertThat(number.status()).isEqualTo(400);
    }
}
