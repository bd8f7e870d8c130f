package com.engarde.signupsync.sync;

import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * sync_records: per source record, the fingerprint of what the engine last wrote for it and of the raw form it
 * came from, its listing key and
 * when it happens, and whether the source deleted it. Reading a page's worth is one index range scan.
 */
@Singleton
class SyncedRecords {

    private static final String COLUMNS = "external_id, sort_key, happens_at, fingerprint, deleted_at, raw_fingerprint";

    /** A record's row as the engine writes it after a page ({@code rawFingerprint} null: not known). */
    record Row(String externalId, SortKey sortKey, Instant happensAt, byte[] fingerprint, byte[] rawFingerprint) {
    }

    /**
     * Records whose raw form changed but map to what was written: only their raw fingerprint is kept, so that the
     * next run recognises them unmapped. Rows already holding it are not rewritten.
     */
    void keepRawFingerprints(Connection connection, String sourceType, Map<String, byte[]> raw) throws SQLException {
        if (raw.isEmpty()) {
            return;
        }
        String[] ids = new String[raw.size()];
        byte[][] fingerprints = new byte[raw.size()][];
        int i = 0;
        for (Map.Entry<String, byte[]> e : raw.entrySet()) {
            ids[i] = e.getKey();
            fingerprints[i++] = e.getValue();
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE sync_records r SET raw_fingerprint = k.raw_fingerprint
                FROM unnest(?::text[], ?::bytea[]) AS k(external_id, raw_fingerprint)
                WHERE r.source_type = ? AND r.external_id = k.external_id
                  AND r.raw_fingerprint IS DISTINCT FROM k.raw_fingerprint
                """)) {
            update.setArray(1, connection.createArrayOf("text", ids));
            update.setArray(2, connection.createArrayOf("bytea", fingerprints));
            update.setString(3, sourceType);
            update.executeUpdate();
        }
    }

    /**
     * Stored records with keys in the range (and, for a range of records happening from a time, from then on),
     * and those of {@code alsoIds}: one statement, so that an unchanged page costs one round trip to read.
     */
    Map<String, KnownRecord> inRange(Connection connection, String sourceType, SyncPage.KeyRange range,
                                     Collection<String> alsoIds) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM sync_records WHERE source_type = ? AND ((sort_key IS NOT NULL"
                + (range.after() == null ? "" : " AND sort_key > ?")
                + (range.upTo() == null ? "" : " AND sort_key <= ?")
                + (range.happeningFrom() == null ? "" : " AND (happens_at IS NULL OR happens_at >= ?)") + ")"
                + (alsoIds.isEmpty() ? "" : " OR external_id = ANY(?::text[])") + ")";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            select.setString(i++, sourceType);
            if (range.after() != null) {
                select.setBytes(i++, SortKey.stored(range.after()));
            }
            if (range.upTo() != null) {
                select.setBytes(i++, SortKey.stored(range.upTo()));
            }
            if (range.happeningFrom() != null) {
                select.setTimestamp(i++, Timestamp.from(range.happeningFrom()));
            }
            if (!alsoIds.isEmpty()) {
                select.setArray(i, connection.createArrayOf("text", alsoIds.toArray()));
            }
            return read(select);
        }
    }

    /** Every stored record of the source that is not marked deleted (a complete snapshot's candidates). */
    Map<String, KnownRecord> present(Connection connection, String sourceType) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM sync_records WHERE source_type = ? AND deleted_at IS NULL")) {
            select.setString(1, sourceType);
            return read(select);
        }
    }

    /** Stored records by external id. */
    Map<String, KnownRecord> byIds(Connection connection, String sourceType, Collection<String> externalIds)
            throws SQLException {
        if (externalIds.isEmpty()) {
            return Map.of();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM sync_records WHERE source_type = ? AND external_id = ANY(?::text[])")) {
            select.setString(1, sourceType);
            select.setArray(2, connection.createArrayOf("text", externalIds.toArray()));
            return read(select);
        }
    }

    /** Records the page wrote: inserted, or updated with their new fingerprint (and no longer deleted). */
    void upsert(Connection connection, String sourceType, List<Row> rows, Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] ids = new String[n];
        byte[][] keys = new byte[n][];
        String[] windows = new String[n];
        byte[][] fingerprints = new byte[n][];
        byte[][] raws = new byte[n][];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.externalId();
            keys[i] = SortKey.stored(row.sortKey());
            windows[i] = row.happensAt() == null ? null : row.happensAt().toString();
            fingerprints[i] = row.fingerprint();
            raws[i] = row.rawFingerprint();
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO sync_records AS r (source_type, external_id, sort_key, happens_at, fingerprint,
                                               raw_fingerprint, first_synced_at, last_changed_at)
                SELECT ?, k.external_id, k.sort_key, k.happens_at, k.fingerprint, k.raw_fingerprint, ?, ?
                FROM unnest(?::text[], ?::bytea[], ?::timestamptz[], ?::bytea[], ?::bytea[])
                     AS k(external_id, sort_key, happens_at, fingerprint, raw_fingerprint)
                ON CONFLICT (source_type, external_id) DO UPDATE SET sort_key = EXCLUDED.sort_key,
                    happens_at = EXCLUDED.happens_at, fingerprint = EXCLUDED.fingerprint,
                    raw_fingerprint = EXCLUDED.raw_fingerprint, deleted_at = NULL,
                    last_changed_at = EXCLUDED.last_changed_at
                """)) {
            upsert.setString(1, sourceType);
            upsert.setTimestamp(2, Timestamp.from(now));
            upsert.setTimestamp(3, Timestamp.from(now));
            upsert.setArray(4, connection.createArrayOf("text", ids));
            upsert.setArray(5, connection.createArrayOf("bytea", keys));
            upsert.setArray(6, connection.createArrayOf("text", windows));
            upsert.setArray(7, connection.createArrayOf("bytea", fingerprints));
            upsert.setArray(8, connection.createArrayOf("bytea", raws));
            upsert.executeUpdate();
        }
    }

    /** Marks records the source deleted. */
    void markDeleted(Connection connection, String sourceType, List<String> externalIds, Instant now)
            throws SQLException {
        if (externalIds.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE sync_records SET deleted_at = ?,"
                + " last_changed_at = ? WHERE source_type = ? AND external_id = ANY(?::text[]) AND deleted_at IS NULL")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setTimestamp(2, Timestamp.from(now));
            update.setString(3, sourceType);
            Array ids = connection.createArrayOf("text", externalIds.toArray());
            update.setArray(4, ids);
            update.executeUpdate();
        }
    }

    private static Map<String, KnownRecord> read(PreparedStatement select) throws SQLException {
        Map<String, KnownRecord> known = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Timestamp happens = rs.getTimestamp(3);
                Timestamp deleted = rs.getTimestamp(5);
                known.put(rs.getString(1), new KnownRecord(rs.getString(1), SortKey.fromStored(rs.getBytes(2)),
                        happens == null ? null : happens.toInstant(), rs.getBytes(4),
                        deleted == null ? null : deleted.toInstant(), rs.getBytes(6)));
            }
        }
        return known;
    }
}
