package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.bus.InProcessBus;
import com.engarde.signupsync.sources.poshvip.PoshDeliverySource;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.ScriptedSource;
import com.engarde.signupsync.testing.SyncSourceContract;
import com.engarde.signupsync.testing.TestClock;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The connector contract for the Posh.VIP replay: stored deliveries, never settled, as the source. */
@ExpectsWarnings({"sync run \\d+ of poshvip failed: ", "record\\(s\\) of page \\d+ failed"})
class PoshReplayContractTest extends SyncSourceContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected Subject subject() {
        TestDatabase.get().truncate();
        TestClock.INSTANCE.set(Instant.parse("2026-06-15T12:00:00Z"));
        LambdaHarness lambda = new LambdaHarness(Map.of("test.clock", "mutable", "engarde.database.pool-size", 6));
        ScriptedSource source = new ScriptedSource(lambda.context().getBean(PoshDeliverySource.class));
        return new Subject() {
            public SyncSource source() {
                return source;
            }

            public SyncEngine engine() {
                return lambda.context().getBean(SyncEngine.class);
            }

            public SyncRunLog runs() {
                return lambda.context().getBean(SyncRunLog.class);
            }

            public void records(int n) {
                try {
                    ObjectNode order = (ObjectNode) JSON.readTree(Files.readAllBytes(
                            LambdaHarness.eventsDir().resolve("webhooks/poshvip/new_order.json")));
                    try (Connection c = TestDatabase.get().dataSource().getConnection();
                         PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_deliveries"
                                 + " (source_type, delivery_key, raw_body, status) VALUES ('poshvip', ?, ?, 'received')")) {
                        for (int i = 1; i <= n; i++) {
                            order.put("order_number", "contract-" + i);
                            insert.setString(1, "contract-" + i);
                            insert.setBytes(2, JSON.writeValueAsBytes(order));
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            public void delete(int key) {
                // Deliveries are never deleted at the source: the replay declares no deletions.
            }

            public void spoil(int key) {
                TestDatabase.get().execute("UPDATE webhook_deliveries SET raw_body = convert_to('{\"type\":\"new_order\","
                        + "\"order_number\":\"spoilt\"}', 'UTF8') WHERE id = " + key);
            }

            public void failPage(int page) {
                source.failPage(page);
            }

            public void everyPageTakes(Duration duration) {
                source.everyPageTakes(duration);
            }

            public int pageSize() {
                return 100;
            }

            public boolean noticesDeletions() {
                return false;
            }

            public Instant now() {
                return TestClock.INSTANCE.instant();
            }

            public void settle() {
                try {
                    if (!lambda.context().getBean(InProcessBus.class).awaitIdle(Duration.ofSeconds(60))) {
                        throw new AssertionError("the in-process bus did not settle");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }

            public void close() {
                lambda.close();
            }
        };
    }
}
