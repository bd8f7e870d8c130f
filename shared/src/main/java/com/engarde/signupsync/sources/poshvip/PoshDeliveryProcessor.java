package com.engarde.signupsync.sources.poshvip;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.funnel.FunnelEventWriter;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.WrittenEvent;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.persistence.DatabaseException;
import com.engarde.signupsync.webhooks.DeliveryStatus;
import com.engarde.signupsync.webhooks.WebhookDeliveries;
import com.engarde.signupsync.webhooks.WebhookDelivery;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Processes one stored Posh.VIP delivery: maps it, writes its funnel events and records the outcome on the
 * delivery, all in one transaction that holds the delivery's row lock. Two processings of one delivery (a
 * redelivery racing the first, a replay racing the receiver) take turns, and the second sees the first's
 * outcome. Used at receipt and by the replay.
 */
@Singleton
public class PoshDeliveryProcessor {

    static final String SOURCE = PoshIntegration.POSHVIP.id();
    private static final Logger LOG = LoggerFactory.getLogger(PoshDeliveryProcessor.class);

    private final Database database;
    private final WebhookDeliveries deliveries;
    private final PoshDeliveryMapper mapper;
    private final FunnelEventWriter writer;
    private final ObjectReader json;
    private final Clock clock;

    public PoshDeliveryProcessor(Database database, WebhookDeliveries deliveries, PoshDeliveryMapper mapper,
                                 FunnelEventWriter writer, JsonBodies bodies, Clock clock) {
        this.database = database;
        this.deliveries = deliveries;
        this.mapper = mapper;
        this.writer = writer;
        this.json = bodies.strictReader();
        this.clock = clock;
    }

    /**
     * Where a delivery stands after processing. {@code settledNow} is false when it was not in one of the
     * statuses asked for (someone else settled it first); then nothing was written.
     */
    public record Outcome(long deliveryId,
                          @Schema(type = "string", allowableValues = {"received", "processed", "failed", "ignored"}) DeliveryStatus status,
                          @Nullable String reason, boolean settledNow, int eventsCreated, int eventsExisting,
                          @Schema(description = "events of erased people, not written") int eventsSuppressed) {

        Outcome(long deliveryId, DeliveryStatus status, @Nullable String reason, boolean settledNow, int eventsCreated,
                int eventsExisting) {
            this(deliveryId, status, reason, settledNow, eventsCreated, eventsExisting, 0);
        }
    }

    /** Processes the delivery if its status is one of {@code from}; empty when there is no such delivery. */
    public Optional<Outcome> process(long deliveryId, Set<DeliveryStatus> from) {
        return database.transaction(connection -> {
            Optional<WebhookDelivery> locked = deliveries.lock(connection, SOURCE, deliveryId);
            if (locked.isEmpty()) {
                return Optional.empty();
            }
            WebhookDelivery delivery = locked.get();
            if (!from.contains(delivery.status())) {
                return Optional.of(new Outcome(deliveryId, delivery.status(), delivery.reason(), false, 0, 0));
            }
            return Optional.of(settle(connection, delivery, map(delivery)));
        });
    }

    private Outcome settle(Connection connection, WebhookDelivery delivery, PoshMapping mapping) throws SQLException {
        long id = delivery.id();
        if (mapping instanceof PoshMapping.Ignored ignored) {
            deliveries.settle(connection, id, DeliveryStatus.IGNORED, ignored.reason(), clock.instant());
            return new Outcome(id, DeliveryStatus.IGNORED, ignored.reason(), true, 0, 0);
        }
        if (mapping instanceof PoshMapping.Failed failed) {
            deliveries.settle(connection, id, DeliveryStatus.FAILED, failed.reason(), clock.instant());
            return new Outcome(id, DeliveryStatus.FAILED, failed.reason(), true, 0, 0);
        }
        List<WrittenEvent> written;
        // A value the database refuses (a constraint, a malformed value) fails this delivery, not the request:
        // the sender would otherwise retry a delivery that can never succeed.
        Savepoint beforeEvents = connection.setSavepoint();
        try {
            // Left for the commit to release: one round trip fewer.
            written = writer.write(connection, ((PoshMapping.Events) mapping).events());
        } catch (SQLException e) {
            if (!refusedData(e)) {
                throw e;
            }
            connection.rollback(beforeEvents);
            String reason = "the database refused the mapped events: they hold "
                    + DatabaseException.refusedValue(e.getSQLState());
            LOG.warn("Posh.VIP delivery {} failed (SQLSTATE {}): {}", id, e.getSQLState(), reason);
            deliveries.settle(connection, id, DeliveryStatus.FAILED, reason, clock.instant());
            return new Outcome(id, DeliveryStatus.FAILED, reason, true, 0, 0);
        }
        int created = (int) written.stream().filter(WrittenEvent::created).count();
        int suppressed = (int) written.stream().filter(WrittenEvent::suppressed).count();
        if (suppressed > 0 && suppressed == written.size()) {
            deliveries.settleErased(connection, id, clock.instant());
            return new Outcome(id, DeliveryStatus.IGNORED, WebhookDeliveries.ERASED, true, 0, 0, suppressed);
        }
        deliveries.settle(connection, id, DeliveryStatus.PROCESSED, null, clock.instant());
        return new Outcome(id, DeliveryStatus.PROCESSED, null, true, created, written.size() - created - suppressed,
                suppressed);
    }

    /** What a delivery maps to; a body that cannot be read, or a mapping bug, is a failure with its reason. */
    PoshMapping map(WebhookDelivery delivery) {
        JsonNode body;
        try {
            body = json.readTree(delivery.rawBody());
            if (body == null || body.isMissingNode()) {
                return new PoshMapping.Failed("body is empty");
            }
        } catch (JsonProcessingException e) {
            return new PoshMapping.Failed("body is not valid JSON: " + JsonBodies.problem(e));
        } catch (IOException e) {
            return new PoshMapping.Failed("body could not be read");
        }
        try {
            return mapper.map(body, delivery.id(), delivery.receivedAt());
        } catch (DatabaseException e) {
            throw e;
        } catch (RuntimeException e) {
            // A mapping bug must not lose the delivery or make the sender retry it forever: it stays, failed,
            // for a replay once the bug is fixed.
            LOG.error("Posh.VIP delivery {} could not be mapped", delivery.id(), e);
            return new PoshMapping.Failed("unexpected error while mapping: " + e.getClass().getSimpleName());
        }
    }

    /** Data exceptions (22) and integrity violations (23): this data will never be accepted, retried or not. */
    private static boolean refusedData(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
}
