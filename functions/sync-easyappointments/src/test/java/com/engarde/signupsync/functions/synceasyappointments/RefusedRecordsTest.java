package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.testing.ExpectsWarnings;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.persistence.DatabaseException;
import com.engarde.signupsync.sync.FailedRecord;
import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.FakeSyncSource;
import com.engarde.signupsync.testing.Rows;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record the database refuses fails alone: the page is written again record by record, the refused ones are
 * counted and named, and the run (and every later run at the same cursor) goes on. What the database says
 * about a refused row never reaches a message: only its SQLSTATE and the field.
 */
@ExpectsWarnings({"record\\(s\\) of page \\d+ failed", "the database refused page"})
class RefusedRecordsTest {

    private static final Instant AT = Instant.parse("2026-06-01T10:00:00Z");

    @Test
    void aPageWithANulInANameAndAnOutOfRangeDateStoresEveryOtherRecordAndTheRunSucceeds() {
        try (SyncFixture f = new SyncFixture()) {
            FakeSyncSource source = new FakeSyncSource("eventbrite", 10).items(10, AT);
            source.put(new FakeSyncSource.Item(3, "person3@example.com", "Ada\u0000Lovelace", AT));
            source.put(new FakeSyncSource.Item(7, "person7@example.com", "First7", Instant.parse("+300000-01-01T00:00:00Z")));

            SyncRun run = sync(f, source);

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts()).isEqualTo(new SyncCounts(10, 8, 0, 0, 2));
            assertThat(run.failedRecords()).extracting(FailedRecord::externalId).containsExactlyInAnyOrder("3", "7");
            assertThat(run.failedRecords()).allSatisfy(r -> {
                assertThat(r.reason()).startsWith("refused by the database: database error (SQLSTATE 22");
                assertThat(r.reason()).doesNotContain("Ada", "Lovelace", "person", "300000");
            });
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE source_type = 'eventbrite'")).isEqualTo(8);
            assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE source_type = 'eventbrite'")).isEqualTo(8);
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id IN ('3', '7')")).isZero();

            // The next run at the same cursor is not stopped by them either, and writes nothing new.
            SyncRun again = sync(f, source);
            assertThat(again.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(again.counts()).isEqualTo(new SyncCounts(10, 0, 0, 8, 2));
        }
    }

    @Test
    void easyAppointmentsTextIsCleanedAtMappingAndAnOutOfRangeDateIsAFailedRecord() {
        try (SyncFixture f = new SyncFixture()) {
            f.appointments(5);
            f.stub.addCustomer(3, "person3@example.com", "Ada\u0000\u0007Love\tlace", "Last3");
            f.stub.appointment(4).put("start", "0001-01-01 10:00:00");

            SyncRun run = f.sync();

            assertThat(run.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(run.counts()).isEqualTo(new SyncCounts(5, 4, 0, 0, 1));
            assertThat(run.failedRecords()).extracting(FailedRecord::externalId).containsExactly("4");
            assertThat(run.failedRecords().get(0).reason()).isEqualTo("start is out of range (year 1)");
            assertThat(Rows.row("SELECT first_name FROM leads WHERE email = 'person3@example.com'"))
                    .containsEntry("first_name", "AdaLove\tlace");
        }
    }

    @Test
    void aRefusedWriteNamesItsSqlStateAndConstraintButNotTheRow() {
        try (SyncFixture f = new SyncFixture()) {
            Database database = f.lambda.context().getBean(Database.class);

            assertThatThrownBy(() -> database.transaction(c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO sync_records"
                        + " (source_type, external_id, fingerprint) VALUES ('eventbrite', ?, ?)")) {
                    insert.setString(1, "grace.hopper@example.com");
                    insert.setBytes(2, new byte[3]);
                    return insert.executeUpdate();
                }
            })).isInstanceOfSatisfying(DatabaseException.class, e -> {
                assertThat(e.getMessage()).isEqualTo("database error (SQLSTATE 23514, constraint sync_records_fingerprint_check)");
                assertThat(e.getCause()).isNull();
                assertThat(e.refusedData()).isTrue();
                assertThat(e.toString()).doesNotContain("grace");
            });
        }
    }

    private static SyncRun sync(SyncFixture f, FakeSyncSource source) {
        long runId = f.runs().start(source.sourceType(), SyncTrigger.MANUAL).run().id();
        return f.engine().execute(runId, source, TimeBudget.unlimited()).orElseThrow();
    }
}
