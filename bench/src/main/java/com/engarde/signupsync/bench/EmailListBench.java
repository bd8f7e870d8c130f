package com.engarde.signupsync.bench;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.sources.brevo.BrevoListDestination;
import com.engarde.signupsync.sync.SyncEngine;
import com.engarde.signupsync.sync.SyncRun;
import com.engarde.signupsync.sync.SyncStatus;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.testing.BrevoStub;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;

/**
 * The master email list against a stub Brevo that enforces 10 requests a second (fixed one-second windows, its
 * x-sib-ratelimit-* headers on every answer, 429 beyond), through the Brevo destination on the engine with the
 * pacing the deploy gives (BREVO_RATE_LIMIT unset: 10/1s) and real waits. Three rounds over N leads (default
 * 50,000; a third of them with a booking):
 * <ol>
 *   <li>the first sync: every contact new to the account, one request each;</li>
 *   <li>the same contacts again: the account's changes read, nothing sent;</li>
 *   <li>every name changed: batch updates of 100.</li>
 * </ol>
 * Each round prints its wall time against the least time the limit allows for the requests it made (R requests
 * in one-second windows of 10 need (ceil(R/10) - 1) seconds), the requests refused with 429 and the contacts the
 * account holds. Usage: EmailListBench [leads].
 */
public final class EmailListBench {

    public static void main(String[] args) throws Exception {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        TestDatabase db = TestDatabase.get();
        System.out.printf("database: %s; %,d leads; %s%n",
                db.embedded() ? "embedded PostgreSQL 16" : "SIGNUP_SYNC_TEST_DATABASE_URL", leads, LoadAverage.line());
        db.truncate();
        load(db, leads);
        try (BrevoStub brevo = new BrevoStub()) {
            brevo.enforce(10);
            Map<String, Object> properties = new HashMap<>();
            properties.put("brevo.api.url", brevo.apiUrl());
            properties.put("brevo.api.key", BrevoStub.API_KEY);
            properties.put("brevo.list.id", "7");
            try (LambdaHarness lambda = new LambdaHarness(properties)) {
                round("first sync, every contact new", lambda, brevo, leads);
                round("the same contacts again", lambda, brevo, leads);
                try (Connection c = db.dataSource().getConnection(); PreparedStatement rename = c.prepareStatement(
                        "UPDATE leads SET first_name = first_name || ' Jr'")) {
                    rename.executeUpdate();
                }
                round("every name changed", lambda, brevo, leads);
            }
        }
    }

    private static void round(String name, LambdaHarness lambda, BrevoStub brevo, int leads) {
        int requestsBefore = brevo.contactRequests();
        int acceptedBefore = brevo.accepted();
        int refusedBefore = brevo.refusedForRate();
        SyncRunLog runs = lambda.context().getBean(SyncRunLog.class);
        BrevoListDestination destination = lambda.context().getBean(BrevoListDestination.class);
        long started = System.nanoTime();
        long runId = runs.start(BrevoListDestination.TYPE, SyncTrigger.MANUAL).run().id();
        SyncRun run = lambda.context().getBean(SyncEngine.class).execute(runId, destination, TimeBudget.unlimited()).orElseThrow();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (run.status() != SyncStatus.SUCCEEDED) {
            throw new IllegalStateException(name + ": the run ended " + run.status() + ": " + run.errorMessage());
        }
        int requests = brevo.contactRequests() - requestsBefore;
        double least = Math.max(0, Math.ceil(requests / 10.0) - 1);
        System.out.printf("%s: %.1f s, %,d requests (least time at 10/s %.0f s, ratio %.3f); sent %,d contacts"
                        + " (created %,d, updated %,d, unchanged %,d, failed %,d); 429s %d; the account holds %,d of %,d; %s%n",
                name, seconds, requests, least, least == 0 ? 0 : seconds / least, brevo.accepted() - acceptedBefore,
                run.counts().created(), run.counts().updated(), run.counts().unchanged(), run.counts().failed(),
                brevo.refusedForRate() - refusedBefore, brevo.contacts(), leads, LoadAverage.line());
    }

    /** N leads, person{i}@example.com, a third with one booking in the last year and a phone. */
    private static void load(TestDatabase db, int leads) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO leads (email, first_name, last_name, phone) SELECT 'person' || i || '@example.com',"
                            + " 'First' || i, 'Last' || i, CASE WHEN i % 3 = 0 THEN '+3361' || lpad(i::text, 7, '0') END"
                            + " FROM generate_series(1, ?) i")) {
                insert.setInt(1, leads);
                insert.executeUpdate();
            }
            try (PreparedStatement bookings = c.prepareStatement("""
                    INSERT INTO easyappointments_appointments (appointment_id, booked_at, start_at, end_at, timezone,
                        status, status_outcome, service_id, service_name, customer_id, customer_email,
                        customer_first_name, customer_last_name, customer_phone, lead_id, synced_at)
                    SELECT l.id, now() - (l.id % 365) * interval '1 day' - interval '1 day',
                        now() - (l.id % 365) * interval '1 day', now() - (l.id % 365) * interval '1 day' + interval '30 minutes',
                        'UTC', 'Booked', 'completed', 1, 'Trial', l.id, l.email, l.first_name, l.last_name, l.phone, l.id, now()
                    FROM leads l WHERE l.id % 3 = 0""")) {
                bookings.executeUpdate();
            }
            c.commit();
        }
    }
}
