package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.FailedRecord;
import com.engarde.signupsync.sync.SortKey;
import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine reads the record log's state of page n+1 on the fetching thread while page n is being written. When
 * page n writes a record page n+1 lists too (the listing shifted between two page requests), that read is out of
 * date and the writing thread must read again. Here the order is forced, not hoped for: page 1's transaction is
 * held open (in {@link SyncPass#written}) until the fetching thread has read page 2's state and gone on to map its
 * record, which it does only after that read.
 */
class StaleRecordLogReadTest {

    private static final Instant AT = Instant.parse("2026-06-20T10:00:00Z");

    /** Page 1 lists appointments 1 and 2; page 2 lists appointment 1 again, its customer renamed meanwhile. */
    private static final class ShiftingListing implements SyncSource {
        /** Counted down by page 2's mapping, which the fetching thread calls after reading page 2's state. */
        final CountDownLatch pageTwoStateRead = new CountDownLatch(1);
        volatile boolean pageOneHeldUntilPageTwoWasRead;

        @Override
        public String sourceType() {
            return "easyappointments";
        }

        @Override
        public Deletions deletions() {
            return Deletions.NONE;
        }

        @Override
        public SyncPass open(JsonNode checkpoint) {
            return new SyncPass() {
                private int number;

                @Override
                public SyncPage next(TimeBudget budget) {
                    number++;
                    JsonNode cursor = JsonNodeFactory.instance.objectNode().put("page", number);
                    if (number == 1) {
                        return new SyncPage(1, List.of(record(1, "First"), record(2, "Second")), null, cursor, false);
                    }
                    SyncRecord renamed = SyncRecord.raw("1", SortKey.of(1), new byte[32], () -> {
                        pageTwoStateRead.countDown();
                        return record(1, "Renamed");
                    });
                    return new SyncPage(2, List.of(renamed), null, cursor, true);
                }

                @Override
                public void written(Connection connection, SyncPage page, List<FailedRecord> failed) {
                    if (page.number() == 1) {
                        // A guard against a hang if the engine stops fetching ahead, not a timing: the test
                        // fails on the flag below when the wait ran out.
                        try {
                            pageOneHeldUntilPageTwoWasRead = pageTwoStateRead.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
        }

        private static SyncRecord record(long id, String firstName) {
            NewFunnelEvent booked = new NewFunnelEvent(SourceType.fromId("easyappointments").orElseThrow(),
                    EventType.APPOINTMENT_BOOKED, Long.toString(id), AT,
                    new Person("person" + id + "@example.com", firstName, null, null), Utm.NONE,
                    JsonNodeFactory.instance.objectNode().put("appointment", id));
            return SyncRecord.mapped(Long.toString(id), SortKey.of(id), AT, List.of(booked));
        }
    }

    @Test
    void aRecordThePreviousPageWroteAfterTheNextPageWasReadIsUpdatedNotCreatedTwice() {
        try (SyncFixture f = new SyncFixture()) {
            ShiftingListing source = new ShiftingListing();
            long runId = f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id();

            SyncRun run = f.engine().execute(runId, source, TimeBudget.unlimited()).orElseThrow();

            assertThat(source.pageOneHeldUntilPageTwoWasRead).as("page 2's state was read before page 1 committed")
                    .isTrue();
            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            // Page 2's own read (before page 1 committed) does not know appointment 1: only a fresh read after
            // page 1 committed counts it updated rather than created a second time.
            assertThat(run.counts()).isEqualTo(new SyncCounts(3, 2, 1, 0, 0));
            assertThat(Rows.count("sync_records")).isEqualTo(2);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id = '1'")).isEqualTo(1);
            assertThat(Rows.row("SELECT first_name FROM leads WHERE email = 'person1@example.com'").get("first_name"))
                    .isEqualTo("Renamed");
        }
    }
}
