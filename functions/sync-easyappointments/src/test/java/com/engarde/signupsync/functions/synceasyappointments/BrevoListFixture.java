package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.brevo.BrevoListDestination;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.Rows;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/** The Brevo list destination in the function in-process, against a stub Brevo account; list 7, batches of 10. */
final class BrevoListFixture implements AutoCloseable {

    static final long LIST = 7;

    final BrevoStub brevo = new BrevoStub();
    final SyncFixture f;

    BrevoListFixture() {
        f = new SyncFixture(Map.of("brevo.api.url", brevo.apiUrl(), "brevo.api.key", BrevoStub.API_KEY,
                "brevo.list.id", Long.toString(LIST), "brevo.list.batch-size", 10, "test.waits", "recorded"));
    }

    BrevoListDestination destination() {
        return f.lambda.context().getBean(BrevoListDestination.class);
    }

    SyncRun sync() {
        long runId = f.runs().start(BrevoListDestination.TYPE, SyncTrigger.MANUAL).run().id();
        return f.engine().execute(runId, destination(), TimeBudget.unlimited()).orElseThrow();
    }

    /** Leads 1..n, person{i}@example.com. */
    void leads(int n) {
        for (int i = 1; i <= n; i++) {
            lead("person" + i + "@example.com", "First" + i, null);
        }
    }

    long lead(String email, String firstName, String phone) {
        return Rows.number("INSERT INTO leads (email, first_name, last_name, phone) VALUES (?, ?, 'Last', ?) RETURNING id",
                email, firstName, phone);
    }

    void booking(long lead, String email, long appointmentId, Instant start, String service) {
        Rows.number("INSERT INTO easyappointments_appointments (appointment_id, booked_at, start_at, end_at, timezone,"
                        + " status, status_outcome, service_id, service_name, customer_id, customer_email,"
                        + " customer_first_name, customer_last_name, customer_phone, lead_id, synced_at)"
                        + " VALUES (?, ?, ?, ?, 'UTC', 'Booked', 'completed', 1, ?, ?, ?, 'First', 'Last', NULL, ?, now())"
                        + " RETURNING appointment_id",
                appointmentId, Timestamp.from(start.minusSeconds(86400)), Timestamp.from(start),
                Timestamp.from(start.plusSeconds(1800)), service, appointmentId, email, lead);
    }

    @Override
    public void close() {
        try {
            f.close();
        } finally {
            brevo.close();
        }
    }
}
