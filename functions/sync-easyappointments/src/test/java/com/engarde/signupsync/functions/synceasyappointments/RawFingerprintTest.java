package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.appointments.Appointments;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.easyappointments.EasyAppointmentsSettings;
import com.engarde.signupsync.sources.easyappointments.EasyAppointmentsSource;
import com.engarde.signupsync.sync.SyncCounts;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record whose raw vendor form is unchanged is recognised before it is mapped (the raw fingerprint kept with the
 * record log), and the fingerprint never hides a change: a changed field, a changed catalog, a changed mapping
 * version, a record deleted or marked deleted locally are each mapped and written again.
 */
class RawFingerprintTest {

    private static final Map<String, Object> FULL_PASSES = Map.of("easyappointments.full-pass-every", "0s");

    /** The sum of row versions of the tables a sync writes: equal before and after means not one row written. */
    private static long versions(String table) {
        return Rows.number("SELECT coalesce(sum(xmin::text::bigint), 0) FROM " + table);
    }

    @Test
    void unchangedResyncMapsNothingAndWritesNothing() {
        try (SyncFixture f = new SyncFixture(FULL_PASSES)) {
            f.appointments(25);
            f.sync();
            assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE raw_fingerprint IS NOT NULL")).isEqualTo(25);
            long events = versions("funnel_events");
            long leads = versions("leads");
            long records = versions("sync_records");
            // An appointment mapped is kept again for the admin views: unchanged rows here mean none was mapped.
            long kept = versions("easyappointments_appointments");

            SyncRun second = f.sync();

            assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(second.counts()).isEqualTo(new SyncCounts(25, 0, 0, 25, 0));
            assertThat(versions("funnel_events")).isEqualTo(events);
            assertThat(versions("leads")).isEqualTo(leads);
            assertThat(versions("sync_records")).isEqualTo(records);
            assertThat(versions("easyappointments_appointments")).isEqualTo(kept);
        }
    }

    @Test
    void aChangedFieldIsPickedUpAndOnlyItsRecordWritten() {
        try (SyncFixture f = new SyncFixture(FULL_PASSES)) {
            f.appointments(25);
            f.sync();
            byte[] untouched = (byte[]) Rows.row("SELECT raw_fingerprint FROM sync_records WHERE external_id = '7'")
                    .get("raw_fingerprint");
            f.stub.setStatus(3, "Cancelled");
            // The customer comes attached to the appointment: a changed name is a changed raw record.
            f.stub.addCustomer(4, "Person4@Example.com", "Renamed", "Last4");

            SyncRun second = f.sync();

            assertThat(second.counts()).isEqualTo(new SyncCounts(25, 0, 2, 23, 0));
            assertThat(Rows.number("SELECT count(*) FROM funnel_events WHERE external_id = '3'"
                    + " AND event_type = 'appointment_cancelled'")).isEqualTo(1);
            assertThat(Rows.row("SELECT first_name FROM leads WHERE email = 'person4@example.com'").get("first_name"))
                    .isEqualTo("Renamed");
            assertThat(Rows.row("SELECT status FROM easyappointments_appointments WHERE appointment_id = 3").get("status"))
                    .isEqualTo("Cancelled");
            assertThat((byte[]) Rows.row("SELECT raw_fingerprint FROM sync_records WHERE external_id = '7'")
                    .get("raw_fingerprint")).isEqualTo(untouched);
        }
    }

    @Test
    void aChangedMappingVersionMapsEveryRecordAgain() {
        try (SyncFixture f = new SyncFixture(FULL_PASSES)) {
            f.appointments(25);
            f.sync();
            // What an older mapping would have written: other events than the current mapping makes.
            TestDatabase.get().execute("UPDATE sync_records SET fingerprint = '\\x00000000000000000000000000000000'");
            SyncRun sameVersion = f.sync();
            // The raw forms did not change and neither did the version: nothing is mapped (the case a forgotten
            // version bump would hide, which is why the version is part of the fingerprint).
            assertThat(sameVersion.counts()).isEqualTo(new SyncCounts(25, 0, 0, 25, 0));

            EasyAppointmentsSource nextMapping = source(f, "easyappointments-appointment-test-next");
            SyncRun bumped = run(f, nextMapping);

            assertThat(bumped.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(bumped.counts()).isEqualTo(new SyncCounts(25, 0, 25, 0, 0));
            assertThat(Rows.number("SELECT count(*) FROM sync_records"
                    + " WHERE fingerprint = '\\x00000000000000000000000000000000'")).isZero();
            long records = versions("sync_records");
            SyncRun again = run(f, nextMapping);
            assertThat(again.counts()).isEqualTo(new SyncCounts(25, 0, 0, 25, 0));
            assertThat(versions("sync_records")).isEqualTo(records);
        }
    }

    @Test
    void aChangedCatalogMapsEveryRecordAgain() {
        try (SyncFixture f = new SyncFixture(FULL_PASSES)) {
            f.appointments(10);
            f.sync();
            // The service's name is in each appointment's event data, and not in the appointment's own bytes.
            f.stub.addService(1, "Renamed call");

            SyncRun second = f.sync();

            assertThat(second.counts()).isEqualTo(new SyncCounts(10, 0, 10, 0, 0));
            assertThat(Rows.number("SELECT count(*) FROM easyappointments_appointments WHERE service_name = 'Renamed call'"))
                    .isEqualTo(10);
        }
    }

    @Test
    void aRecordDeletedOrMarkedDeletedLocallyIsProcessedAgain() {
        try (SyncFixture f = new SyncFixture(FULL_PASSES)) {
            f.appointments(10);
            f.sync();
            TestDatabase.get().execute("DELETE FROM sync_records WHERE external_id = '5'");
            TestDatabase.get().execute("UPDATE sync_records SET deleted_at = now() WHERE external_id = '6'");
            TestDatabase.get().execute("DELETE FROM easyappointments_appointments WHERE appointment_id IN (5, 6)");

            SyncRun second = f.sync();

            assertThat(second.counts()).isEqualTo(new SyncCounts(10, 1, 1, 8, 0));
            assertThat(Rows.number("SELECT count(*) FROM sync_records WHERE deleted_at IS NULL"
                    + " AND raw_fingerprint IS NOT NULL")).isEqualTo(10);
            assertThat(Rows.number("SELECT count(*) FROM easyappointments_appointments")).isEqualTo(10);
        }
    }

    private static EasyAppointmentsSource source(SyncFixture f, String mappingVersion) {
        var context = f.lambda.context();
        return new EasyAppointmentsSource(context.getBean(EasyAppointmentsSettings.class),
                context.getBean(SourceCredentials.class), context.getBean(RetryPolicy.class), context.getBean(Clock.class),
                context.getBean(ObjectMapper.class), context.getBean(Appointments.class), mappingVersion);
    }

    private static SyncRun run(SyncFixture f, EasyAppointmentsSource source) {
        long runId = f.runs().start("easyappointments", SyncTrigger.MANUAL).run().id();
        return f.engine().execute(runId, source, TimeBudget.unlimited()).orElseThrow();
    }
}
