package com.engarde.signupsync.funnel;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Leads that are one mailbox under {@link Emails#normalize} but were stored apart under an older normal form
 * (ASCII-only lower-casing), merged into one: the lead already holding the normal form, else the oldest, keeps
 * its id and takes the normal form; the others' events move to it (the event triggers rebuild its analytics
 * row and write the rollup deltas), their analytics rows are deleted (the delete trigger takes their counts out),
 * first and last touch are recomputed from all its events, a name or phone it lacks is taken from the others.
 * A person converts once: the earliest conversion is kept; a later one of another split lead is removed from
 * funnel_conversions, its `converted` event (conversion id, platform user, tenant) stays among the events.
 * Idempotent: a second run finds every lead in its normal form and changes nothing.
 */
public final class SplitLeads {

    /** What a merge did: the mailboxes that had split leads, the leads merged away, conversions superseded. */
    public record Merged(int mailboxes, int leadsRemoved, int conversionsSuperseded) {
    }

    private SplitLeads() {
    }

    /**
     * Merges every split lead in the caller's transaction. It locks leads against writes first, the table an
     * event write also takes before analytics_leads and the deltas, so a write arriving meanwhile waits for it.
     */
    public static Merged merge(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE");
        }
        // Folding changes only addresses with a letter outside ASCII: every stored ASCII address is already
        // lower-cased (V1, V5), so only the rows with a multi-byte character are read.
        Map<String, List<Long>> split = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, email FROM leads WHERE octet_length(email) <> length(email) ORDER BY id")) {
            while (rs.next()) {
                String form = Emails.normalize(rs.getString(2));
                if (!form.equals(rs.getString(2))) {
                    split.computeIfAbsent(form, f -> new ArrayList<>()).add(rs.getLong(1));
                }
            }
        }
        if (split.isEmpty()) {
            return new Merged(0, 0, 0);
        }
        Map<String, Long> holders = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT email, id FROM leads WHERE email = ANY(?)")) {
            select.setArray(1, c.createArrayOf("text", split.keySet().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    holders.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        int removed = 0;
        int superseded = 0;
        for (Map.Entry<String, List<Long>> mailbox : split.entrySet()) {
            List<Long> others = new ArrayList<>(mailbox.getValue());
            Long holder = holders.get(mailbox.getKey());
            long target = holder != null ? holder : others.remove(0);
            superseded += merge(c, mailbox.getKey(), target, others);
            removed += others.size();
        }
        return new Merged(split.size(), removed, superseded);
    }

    private static int merge(Connection c, String form, long target, List<Long> others) throws SQLException {
        Array all = c.createArrayOf("bigint", concat(target, others));
        Array gone = c.createArrayOf("bigint", others.toArray());
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM leads WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
            lock.setArray(1, all);
            lock.executeQuery().close();
        }
        int superseded;
        try (PreparedStatement conversions = c.prepareStatement("""
                WITH ranked AS (
                    SELECT id, row_number() OVER (ORDER BY converted_at, id) AS n FROM funnel_conversions
                    WHERE lead_id = ANY(?)),
                dropped AS (DELETE FROM funnel_conversions f USING ranked r WHERE f.id = r.id AND r.n > 1 RETURNING f.id)
                SELECT count(*) FROM dropped""")) {
            conversions.setArray(1, all);
            try (ResultSet rs = conversions.executeQuery()) {
                rs.next();
                superseded = rs.getInt(1);
            }
        }
        update(c, "UPDATE funnel_conversions SET lead_id = ? WHERE lead_id = ANY(?)", target, gone);
        // The update trigger (V7) rebuilds the target's analytics row from all of its events.
        update(c, "UPDATE funnel_events SET lead_id = ?, updated_at = now() WHERE lead_id = ANY(?)", target, gone);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM analytics_leads WHERE lead_id = ANY(?)")) {
            delete.setArray(1, gone);
            delete.executeUpdate();
        }
        try (PreparedStatement fill = c.prepareStatement("""
                UPDATE leads t SET first_name = COALESCE(t.first_name, o.first_name),
                                   last_name = COALESCE(t.last_name, o.last_name),
                                   phone = COALESCE(t.phone, o.phone), updated_at = now()
                FROM (SELECT (array_agg(first_name ORDER BY updated_at DESC, id DESC) FILTER (WHERE first_name IS NOT NULL))[1] AS first_name,
                             (array_agg(last_name ORDER BY updated_at DESC, id DESC) FILTER (WHERE last_name IS NOT NULL))[1] AS last_name,
                             (array_agg(phone ORDER BY updated_at DESC, id DESC) FILTER (WHERE phone IS NOT NULL))[1] AS phone
                      FROM leads WHERE id = ANY(?)) o
                WHERE t.id = ?""")) {
            fill.setArray(1, gone);
            fill.setLong(2, target);
            fill.executeUpdate();
        }
        retouch(c, target);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM leads WHERE id = ANY(?)")) {
            delete.setArray(1, gone);
            delete.executeUpdate();
        }
        try (PreparedStatement rename = c.prepareStatement("UPDATE leads SET email = ? WHERE id = ? AND email <> ?")) {
            rename.setString(1, form);
            rename.setLong(2, target);
            rename.setString(3, form);
            rename.executeUpdate();
        }
        return superseded;
    }

    /**
     * First and last touch from all of the lead's events, as the touch trigger (V1) sets them: the earliest and
     * the latest marketing event; a lead with none has its conversion as both (Conversions' direct signup).
     */
    private static void retouch(Connection c, long lead) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                WITH e AS (SELECT * FROM funnel_events WHERE lead_id = ?),
                marketing AS (SELECT * FROM e WHERE event_type <> 'converted'
                              UNION ALL
                              SELECT * FROM e WHERE NOT EXISTS (SELECT 1 FROM e WHERE event_type <> 'converted')),
                f AS (SELECT * FROM marketing ORDER BY occurred_at, id LIMIT 1),
                l AS (SELECT * FROM marketing ORDER BY occurred_at DESC, id DESC LIMIT 1)
                UPDATE leads SET
                    first_touch_event_id = f.id, first_touch_source = f.source_type, first_touch_at = f.occurred_at,
                    first_touch_utm_source = f.utm_source, first_touch_utm_medium = f.utm_medium,
                    first_touch_utm_campaign = f.utm_campaign, first_touch_utm_term = f.utm_term,
                    first_touch_utm_content = f.utm_content,
                    last_touch_event_id = l.id, last_touch_source = l.source_type, last_touch_at = l.occurred_at,
                    last_touch_utm_source = l.utm_source, last_touch_utm_medium = l.utm_medium,
                    last_touch_utm_campaign = l.utm_campaign, last_touch_utm_term = l.utm_term,
                    last_touch_utm_content = l.utm_content
                FROM f, l WHERE leads.id = ?""")) {
            update.setLong(1, lead);
            update.setLong(2, lead);
            update.executeUpdate();
        }
    }

    private static void update(Connection c, String sql, long target, Array others) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(sql)) {
            update.setLong(1, target);
            update.setArray(2, others);
            update.executeUpdate();
        }
    }

    private static Object[] concat(long first, List<Long> rest) {
        Object[] all = new Object[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }
}
