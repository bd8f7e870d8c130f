package com.engarde.signupsync.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Loads N leads and their events by COPY, in one pass, with the shape of real funnel data: seven sources with
 * skewed volumes, UTM campaigns with a long tail, two years of first touches, follow-ups days to weeks later,
 * refunds and cancellations of the same records, people who do a stage more than once (a second webinar), a
 * second source for some, conversions after days to weeks, and late backfills (events created long after they
 * happened). Triggers are off during the COPY (session_replication_role); the derived rows are then built by
 * the migration's own backfill statement, the same definition the triggers maintain.
 */
final class FunnelDataGenerator {

    static final String[] SOURCES = {"zoom", "eventbrite", "easyappointments", "poshvip", "manual", "referral",
            "direct_signup"};
    private static final double[] SOURCE_WEIGHTS = {0.30, 0.22, 0.18, 0.12, 0.08, 0.06, 0.04};
    static final String[] UTM_SOURCES = {"newsletter", "instagram", "google", "facebook", "partner", "linkedin"};
    static final String[] UTM_MEDIUMS = {"email", "social", "cpc", "referral", "display"};
    static final int CAMPAIGNS = 40;
    private static final long DAY = 86_400L;

    private final long seed;
    private final Instant end;
    private final Instant start;

    FunnelDataGenerator(long seed, Instant end) {
        this.seed = seed;
        this.end = end;
        this.start = end.minusSeconds(730 * DAY);
    }

    record Loaded(long leads, long events, long copyMillis, long deriveMillis) {
    }

    /** Loads leads until {@code targetEvents} events are written (about 4.6 events a lead). */
    Loaded load(Connection c, long targetEvents) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE leads, funnel_events, funnel_conversions, analytics_leads, analytics_cohort_deltas, analytics_cohort_counts, analytics_conversion_counts, analytics_window_counts RESTART IDENTITY CASCADE");
            s.execute("SET session_replication_role = replica");
        }
        StringBuilder buf = new StringBuilder(1 << 20);
        CopyIn eventCopy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY funnel_events (lead_id, source_type,"
                + " event_type, external_id, occurred_at, utm_source, utm_medium, utm_campaign, created_at) FROM STDIN");
        SplittableRandom random = new SplittableRandom(seed);
        long events = 0;
        List<String> rows = new ArrayList<>();
        long lead = 0;
        while (events < targetEvents) {
            lead++;
            rows.clear();
            lead(random, lead, rows);
            for (String row : rows) {
                buf.append(row);
                if (buf.length() > (1 << 20) - 400) {
                    flush(eventCopy, buf);
                }
            }
            events += rows.size();
        }
        flush(eventCopy, buf);
        eventCopy.endCopy();
        // The lead rows after their events (one pass over the generator): ids are 1..N in a truncated table.
        CopyIn leadCopy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY leads (email) FROM STDIN");
        for (long i = 1; i <= lead; i++) {
            buf.append("lead").append(i).append("@bench.example\n");
            if (buf.length() > (1 << 20) - 200) {
                flush(leadCopy, buf);
            }
        }
        flush(leadCopy, buf);
        leadCopy.endCopy();
        long copied = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = origin");
            s.execute("INSERT INTO analytics_leads SELECT * FROM analytics_leads_from_events");
            s.execute("ANALYZE leads");
            s.execute("ANALYZE funnel_events");
            s.execute("VACUUM ANALYZE analytics_leads");
            // The insert above wrote one rollup delta per key (V17): fold them as the daily compaction would.
            s.execute("SELECT analytics_compact_cohort_counts()");
            s.execute("VACUUM ANALYZE analytics_cohort_deltas");
            s.execute("VACUUM ANALYZE analytics_cohort_counts");
            s.execute("VACUUM ANALYZE analytics_conversion_counts");
            s.execute("VACUUM ANALYZE analytics_window_counts");
        }
        long derived = System.nanoTime();
        return new Loaded(lead, events, (copied - t0) / 1_000_000, (derived - copied) / 1_000_000);
    }

    /** One lead's events, as COPY text rows. */
    private void lead(SplittableRandom r, long lead, List<String> rows) {
        String source = SOURCES[pick(r, SOURCE_WEIGHTS)];
        String[] utm = utm(r);
        long t = start.getEpochSecond() + r.nextLong(730 * DAY);
        if (!source.equals("direct_signup") && r.nextDouble() < 0.7) {
            rows.add(row(lead, source, "lead_captured", "c" + lead, t, utm, r));
            t += r.nextLong(3 * DAY);
        }
        // The source's own first step, its follow-ups, and for some a second time (another webinar, order...).
        int repeats = 1 + (r.nextDouble() < 0.5 ? 1 : 0) + (r.nextDouble() < 0.2 ? 1 : 0);
        for (int k = 0; k < repeats; k++) {
            String id = lead + "-" + k;
            switch (source) {
                case "zoom" -> {
                    rows.add(row(lead, source, "event_registered", "w" + id, t, utm, r));
                    if (r.nextDouble() < 0.6) {
                        rows.add(row(lead, source, "event_attended", "w" + id, t + r.nextLong(14 * DAY), null, r));
                    }
                }
                case "eventbrite", "poshvip" -> {
                    rows.add(row(lead, source, "ticket_purchased", "o" + id, t, utm, r));
                    if (r.nextDouble() < 0.08) {
                        rows.add(row(lead, source, "ticket_refunded", "o" + id, t + r.nextLong(10 * DAY), null, r));
                    } else if (r.nextDouble() < 0.7) {
                        rows.add(row(lead, source, "event_attended", "o" + id, t + r.nextLong(21 * DAY), null, r));
                    }
                }
                case "easyappointments" -> {
                    rows.add(row(lead, source, "appointment_booked", "a" + id, t, utm, r));
                    if (r.nextDouble() < 0.12) {
                        rows.add(row(lead, source, "appointment_cancelled", "a" + id, t + r.nextLong(5 * DAY), null, r));
                    } else if (r.nextDouble() < 0.65) {
                        rows.add(row(lead, source, "appointment_completed", "a" + id, t + r.nextLong(14 * DAY), null, r));
                    }
                }
                case "direct_signup" -> rows.add(row(lead, source, "signup_started", "s" + id, t, utm, r));
                default -> {
                    if (r.nextDouble() < 0.4) {
                        rows.add(row(lead, source, "event_registered", "m" + id, t + r.nextLong(7 * DAY), utm, r));
                    }
                }
            }
            t += DAY + r.nextLong(30 * DAY);
        }
        if (r.nextDouble() < 0.15) {
            String other = SOURCES[pick(r, SOURCE_WEIGHTS)];
            rows.add(row(lead, other, other.equals("zoom") ? "event_registered" : "lead_captured", "x" + lead,
                    t + r.nextLong(20 * DAY), utm(r), r));
        }
        if (r.nextDouble() < 0.45) {
            long signup = t + DAY + r.nextLong(21 * DAY);
            rows.add(row(lead, source, "signup_started", "ss" + lead, signup, null, r));
            if (r.nextDouble() < 0.6) {
                rows.add(row(lead, source, "signup_completed", "sc" + lead, signup + r.nextLong(2 * DAY), null, r));
                if (r.nextDouble() < 0.5) {
                    rows.add(row(lead, source, "converted", "u" + lead, signup + DAY + r.nextLong(28 * DAY), null, r));
                }
            }
        }
    }

    private String row(long lead, String source, String type, String externalId, long at, String[] utm,
                       SplittableRandom r) {
        long occurred = Math.min(at, end.getEpochSecond() - 1);
        // Most events are stored within minutes; some arrive weeks later (a backfilled sync, a late webhook).
        long created = occurred + (r.nextDouble() < 0.05 ? r.nextLong(60 * DAY) : r.nextLong(600));
        return lead + "\t" + source + "\t" + type + "\t" + externalId + "\t" + Instant.ofEpochSecond(occurred) + "\t"
                + (utm == null || utm[0] == null ? "\\N" : utm[0]) + "\t" + (utm == null || utm[1] == null ? "\\N" : utm[1])
                + "\t" + (utm == null || utm[2] == null ? "\\N" : utm[2]) + "\t" + Instant.ofEpochSecond(created) + "\n";
    }

    private static String[] utm(SplittableRandom r) {
        if (r.nextDouble() < 0.25) {
            return new String[3];
        }
        // Campaigns: a few big ones and a long tail (Zipf-like).
        int campaign = (int) Math.floor(Math.pow(CAMPAIGNS, r.nextDouble())) - 1;
        return new String[] {UTM_SOURCES[r.nextInt(UTM_SOURCES.length)], UTM_MEDIUMS[r.nextInt(UTM_MEDIUMS.length)],
                "campaign-" + campaign};
    }

    private static int pick(SplittableRandom r, double[] weights) {
        double x = r.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static void flush(CopyIn copy, StringBuilder buf) throws SQLException {
        byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buf.setLength(0);
    }
}
