package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.testing.Rows;
import com.engarde.signupsync.testing.TestDatabase;

import java.sql.Timestamp;
import java.time.Instant;

/** People as the syncs leave them: leads, their synced appointments, funnel events, conversions and suppressions. */
final class QueueFixtures {

    private QueueFixtures() {
    }

    static long lead(String email, String first, String last) {
        return Rows.number("INSERT INTO leads (email, first_name, last_name) VALUES (?, ?, ?)"
                + " ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id", email, first, last);
    }

    /** A synced appointment of {@code email}'s lead, starting at {@code start}, with outcome booked or cancelled. */
    static void appointment(long id, String email, Instant start, String service, String outcome, String phone) {
        long lead = lead(email, null, null);
        Rows.number("INSERT INTO easyappointments_appointments (appointment_id, booked_at, start_at, end_at, timezone,"
                        + " status, status_outcome, service_id, service_name, customer_id, customer_email,"
                        + " customer_first_name, customer_last_name, customer_phone, lead_id, synced_at)"
                        + " VALUES (?, ?, ?, ?, 'UTC', 'Booked', ?, 1, ?, ?, ?, 'First', 'Last', ?, ?, now()) RETURNING appointment_id",
                id, Timestamp.from(start.minusSeconds(86400)), Timestamp.from(start), Timestamp.from(start.plusSeconds(1800)),
                outcome, service, id, email, phone, lead);
    }

    static void converted(String email) {
        long lead = lead(email, null, null);
        Rows.number("INSERT INTO funnel_conversions (lead_id, platform_user_id, converted_at, first_touch_source,"
                + " first_touch_at, last_touch_source, last_touch_at, seconds_to_conversion)"
                + " VALUES (?, ?, now(), 'manual', now(), 'manual', now(), 0) RETURNING id", lead, "user-" + lead);
    }

    /** A row from before the list was keyed (a bare SHA-256), which the check still reads. */
    static void suppressed(String email) {
        TestDatabase.get().execute("INSERT INTO suppressed_emails (email_hash, reason, keyed) VALUES (decode('"
                + Sha256.hex(email) + "', 'hex'), 'unsubscribed', false)");
    }
}
