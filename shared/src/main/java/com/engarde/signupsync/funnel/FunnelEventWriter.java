package com.engarde.signupsync.funnel;

import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes funnel events set-wise: one statement upserts the leads of the events not stored yet and inserts
 * those events (idempotent on the event key); stored events are read back only when some key was not created.
 * A batch of one and a sync page of a thousand take the same path. The database triggers keep first and last
 * touch and the analytics.
 */
@Singleton
public class FunnelEventWriter {

    /** See the upsert_leads function in V1: one round trip, index lookups whatever the table's size. */
    private static final String UPSERT_LEADS = "SELECT lead_id, lead_email FROM upsert_leads(?::text[], ?::text[], ?::text[], ?::text[])";

    private static final String LEAD_IDS = "SELECT id, email FROM leads WHERE email = ANY(?::text[])";

    /**
     * A sync's write: a record's events are inserted, or updated where the source changed them (event data,
     * UTM). occurred_at is kept as first written: first and last touch were derived from it.
     */
    private static final String UPSERT_EVENTS = """
            INSERT INTO funnel_events AS e (lead_id, source_type, event_type, external_id, occurred_at,
                                            utm_source, utm_medium, utm_campaign, utm_term, utm_content, event_data)
            SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::jsonb[])
            ON CONFLICT (source_type, external_id, event_type) DO UPDATE SET
                event_data = EXCLUDED.event_data, utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium,
                utm_campaign = EXCLUDED.utm_campaign, utm_term = EXCLUDED.utm_term, utm_content = EXCLUDED.utm_content,
                updated_at = now()
            WHERE (e.event_data, e.utm_source, e.utm_medium, e.utm_campaign, e.utm_term, e.utm_content)
                  IS DISTINCT FROM (EXCLUDED.event_data, EXCLUDED.utm_source, EXCLUDED.utm_medium,
                                    EXCLUDED.utm_campaign, EXCLUDED.utm_term, EXCLUDED.utm_content)
            RETURNING (xmax = 0) AS inserted
            """;

    private static final String FOLLOW_UPS = """
            INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at, event_data)
            SELECT DISTINCT ON (f.external_id, f.event_type) e.lead_id, e.source_type, f.event_type, f.external_id,
                   f.occurred_at, f.data
            FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::jsonb[]) AS f(external_id, event_type, occurred_at, data)
            JOIN funnel_events e ON e.source_type = ? AND e.external_id = f.external_id
            ORDER BY f.external_id, f.event_type, e.id
            ON CONFLICT (source_type, external_id, event_type) DO NOTHING
            """;

    static final String EVENT_COLUMNS = """
            e.id, e.lead_id, l.email, e.source_type, e.event_type, e.external_id, e.occurred_at, e.utm_source,
            e.utm_medium, e.utm_campaign, e.utm_term, e.utm_content, e.event_data::text AS event_data, e.created_at
            """;

    private static final String EXISTING_EVENTS = "SELECT " + EVENT_COLUMNS + """
            FROM unnest(?::text[], ?::text[], ?::text[]) AS k(source_type, external_id, event_type)
            JOIN funnel_events e USING (source_type, external_id, event_type)
            JOIN leads l ON l.id = e.lead_id
            """;

    private final Database database;
    private final ObjectMapper mapper;
    private final ErasedPeople erased;
    /**
     * Set once a write found an erasure recorded; from then on this container looks people up before it writes.
     * Only ever set: an erasure that was recorded once makes the lookup necessary, and a lookup is never wrong.
     */
    private volatile boolean erasuresRecorded;

    public FunnelEventWriter(Database database, ObjectMapper mapper, ErasedPeople erased) {
        this.database = database;
        this.mapper = mapper;
        this.erased = erased;
    }

    /** Which of these people (emails' normal forms) were erased: their events are never written. */
    public Set<String> erased(Connection connection, Collection<String> emails) throws SQLException {
        return erased.erased(connection, emails);
    }

    /** Writes the events in a transaction of their own. */
    public List<WrittenEvent> write(List<NewFunnelEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return database.transaction(connection -> write(connection, events));
    }

    /**
     * Writes the events inside the caller's transaction; the answer is in the order of {@code events}. Of
     * several events with one key, the first is the one created and the rest are duplicates of it.
     */
    public List<WrittenEvent> write(Connection connection, List<NewFunnelEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        if (!erasuresRecorded) {
            // While no one was ever erased (the common case), the check and the write are one statement (V38).
            List<WrittenEvent> written = writeNotErased(connection, events, true);
            if (written != null) {
                return written;
            }
            erasuresRecorded = true;
        }
        Set<String> gone = erased(connection, events.stream().map(e -> e.person().email()).toList());
        if (gone.isEmpty()) {
            return writeNotErased(connection, events, false);
        }
        List<NewFunnelEvent> kept = events.stream().filter(e -> !gone.contains(e.person().email())).toList();
        Iterator<WrittenEvent> written = (kept.isEmpty() ? List.<WrittenEvent>of()
                : writeNotErased(connection, kept, false)).iterator();
        List<WrittenEvent> results = new ArrayList<>(events.size());
        for (NewFunnelEvent event : events) {
            results.add(gone.contains(event.person().email()) ? WrittenEvent.erased() : written.next());
        }
        return results;
    }

    /**
     * Writes events of people known not to be erased; with {@code unlessErased}, of people not looked up yet, and
     * then only if no erasure is recorded at all: null when one is, and nothing was written.
     */
    private List<WrittenEvent> writeNotErased(Connection connection, List<NewFunnelEvent> events, boolean unlessErased)
            throws SQLException {
        Map<EventKey, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            firstIndex.putIfAbsent(events.get(i).key(), i);
        }
        List<NewFunnelEvent> unique = firstIndex.values().stream().map(events::get).toList();
        // One statement: the leads of events not stored yet, and those events (see write_funnel_events, V34).
        // Stored events are read only for the keys it did not create: duplicates, or a concurrent writer's.
        Map<EventKey, FunnelEvent> first = writeNew(connection, unique, unlessErased);
        if (first == null) {
            return null;
        }
        Map<EventKey, FunnelEvent> created = new HashMap<>(first);
        Map<EventKey, FunnelEvent> existing = new HashMap<>();
        List<EventKey> missing = unique.stream().map(NewFunnelEvent::key).filter(k -> !created.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            existing.putAll(existingEvents(connection, missing));
            // Neither created nor stored: its lead was committed by a concurrent transaction after the
            // statement's snapshot was taken (the upsert saw the conflict, the snapshot not the row). A new
            // statement sees it.
            List<NewFunnelEvent> again = unique.stream()
                    .filter(e -> !created.containsKey(e.key()) && !existing.containsKey(e.key())).toList();
            if (!again.isEmpty()) {
                created.putAll(writeNew(connection, again, false));
                List<EventKey> still = again.stream().map(NewFunnelEvent::key)
                        .filter(k -> !created.containsKey(k)).toList();
                if (!still.isEmpty()) {
                    existing.putAll(existingEvents(connection, still));
                }
            }
        }

        List<WrittenEvent> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventKey key = events.get(i).key();
            FunnelEvent fresh = created.get(key);
            if (fresh != null && firstIndex.get(key) == i) {
                results.add(new WrittenEvent(true, fresh));
            } else {
                results.add(new WrittenEvent(false, fresh != null ? fresh : existing.get(key)));
            }
        }
        return results;
    }

    /** What an upsert did: events inserted, stored events whose data it changed, events of erased people left out. */
    public record Upserted(int inserted, int updated, int suppressed) {
    }

    /**
     * Writes a sync's events inside the caller's transaction: new ones are inserted, stored ones get the
     * source's current event data and UTM when they differ, identical ones are left untouched. Of several
     * events with one key, the last is written.
     */
    public Upserted upsert(Connection connection, List<NewFunnelEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return new Upserted(0, 0, 0);
        }
        Set<String> gone = erased(connection, events.stream().map(e -> e.person().email()).toList());
        Map<EventKey, NewFunnelEvent> byKey = new LinkedHashMap<>(events.size() * 2);
        int suppressed = 0;
        for (NewFunnelEvent e : events) {
            if (gone.contains(e.person().email())) {
                suppressed++;
            } else {
                byKey.put(e.key(), e);
            }
        }
        if (byKey.isEmpty()) {
            return new Upserted(0, 0, suppressed);
        }
        List<NewFunnelEvent> unique = new ArrayList<>(byKey.values());
        Map<String, Long> leadIds = upsertLeads(connection, unique);
        int n = unique.size();
        Long[] leads = new Long[n];
        String[] data = new String[n];
        for (int i = 0; i < n; i++) {
            leads[i] = leadIds.get(unique.get(i).person().email());
            data[i] = json(unique.get(i).eventData());
        }
        int inserted = 0;
        int updated = 0;
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_EVENTS)) {
            upsert.setArray(1, connection.createArrayOf("bigint", leads));
            upsert.setArray(2, textArray(connection, unique, e -> e.source().id()));
            upsert.setArray(3, textArray(connection, unique, e -> e.type().id()));
            upsert.setArray(4, textArray(connection, unique, NewFunnelEvent::externalId));
            upsert.setArray(5, textArray(connection, unique, e -> e.occurredAt().toString()));
            upsert.setArray(6, textArray(connection, unique, e -> e.utm().source()));
            upsert.setArray(7, textArray(connection, unique, e -> e.utm().medium()));
            upsert.setArray(8, textArray(connection, unique, e -> e.utm().campaign()));
            upsert.setArray(9, textArray(connection, unique, e -> e.utm().term()));
            upsert.setArray(10, textArray(connection, unique, e -> e.utm().content()));
            upsert.setArray(11, connection.createArrayOf("text", data));
            try (ResultSet rs = upsert.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        inserted++;
                    } else {
                        updated++;
                    }
                }
            }
        }
        return new Upserted(inserted, updated, suppressed);
    }

    /** An event about a record the source no longer describes (it deleted it): it goes to the record's lead. */
    public record FollowUp(String externalId, EventType type, Instant occurredAt, JsonNode eventData) {
    }

    /**
     * Writes follow-up events for the lead of each record's earlier events of {@code source}; a record with
     * no earlier event gets none (there is no person to give it to). Idempotent like every event write.
     */
    public int writeFollowUps(Connection connection, SourceType source, List<FollowUp> followUps) throws SQLException {
        if (followUps.isEmpty()) {
            return 0;
        }
        String[] data = new String[followUps.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = json(followUps.get(i).eventData());
        }
        try (PreparedStatement insert = connection.prepareStatement(FOLLOW_UPS)) {
            insert.setArray(1, textArray(connection, followUps, FollowUp::externalId));
            insert.setArray(2, textArray(connection, followUps, f -> f.type().id()));
            insert.setArray(3, textArray(connection, followUps, f -> f.occurredAt().toString()));
            insert.setArray(4, connection.createArrayOf("text", data));
            insert.setString(5, source.id());
            return insert.executeUpdate();
        }
    }

    /**
     * Deletes the events of {@code type} of these records of {@code source}: a derived step (an appointment's
     * completion) whose ground went away. The analytics triggers recompute the leads concerned.
     */
    public int withdraw(Connection connection, SourceType source, EventType type, List<String> externalIds)
            throws SQLException {
        if (externalIds.isEmpty()) {
            return 0;
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM funnel_events WHERE source_type = ? AND event_type = ? AND external_id = ANY(?::text[])")) {
            delete.setString(1, source.id());
            delete.setString(2, type.id());
            delete.setArray(3, connection.createArrayOf("text", externalIds.toArray(String[]::new)));
            return delete.executeUpdate();
        }
    }

    private static final String WRITE_NEW = """
            SELECT w_event_id, w_lead_id, w_source, w_external_id, w_type, w_created_at
            FROM write_funnel_events(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                     ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::jsonb[])
            """;

    /** The same, unless an erasure is recorded: then one row with a null event id, and nothing written (V38). */
    private static final String WRITE_NEW_UNLESS_ERASED = WRITE_NEW.replace("FROM write_funnel_events(",
            "FROM write_funnel_events_unless_erased(");

    /**
     * Writes the events whose key is not stored, with their leads, in one statement; answers those it created.
     * With {@code unlessErased}, null if an erasure is recorded (nothing was written).
     */
    private Map<EventKey, FunnelEvent> writeNew(Connection connection, List<NewFunnelEvent> events, boolean unlessErased)
            throws SQLException {
        int n = events.size();
        String[] data = new String[n];
        Map<EventKey, NewFunnelEvent> byKey = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            data[i] = json(events.get(i).eventData());
            byKey.put(events.get(i).key(), events.get(i));
        }
        Map<EventKey, FunnelEvent> created = new HashMap<>(n * 2);
        try (PreparedStatement write = connection.prepareStatement(unlessErased ? WRITE_NEW_UNLESS_ERASED : WRITE_NEW)) {
            write.setArray(1, textArray(connection, events, e -> e.person().email()));
            write.setArray(2, textArray(connection, events, e -> e.person().firstName()));
            write.setArray(3, textArray(connection, events, e -> e.person().lastName()));
            write.setArray(4, textArray(connection, events, e -> e.person().phone()));
            write.setArray(5, textArray(connection, events, e -> e.source().id()));
            write.setArray(6, textArray(connection, events, e -> e.type().id()));
            write.setArray(7, textArray(connection, events, NewFunnelEvent::externalId));
            write.setArray(8, textArray(connection, events, e -> e.occurredAt().toString()));
            write.setArray(9, textArray(connection, events, e -> e.utm().source()));
            write.setArray(10, textArray(connection, events, e -> e.utm().medium()));
            write.setArray(11, textArray(connection, events, e -> e.utm().campaign()));
            write.setArray(12, textArray(connection, events, e -> e.utm().term()));
            write.setArray(13, textArray(connection, events, e -> e.utm().content()));
            write.setArray(14, connection.createArrayOf("text", data));
            try (ResultSet rs = write.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (rs.wasNull()) {
                        return null;
                    }
                    EventKey key = new EventKey(rs.getString(3), rs.getString(4), rs.getString(5));
                    NewFunnelEvent e = byKey.get(key);
                    created.put(key, new FunnelEvent(id, rs.getLong(2), e.person().email(),
                            key.sourceType(), key.eventType(), key.externalId(), e.occurredAt(), e.utm().source(),
                            e.utm().medium(), e.utm().campaign(), e.utm().term(), e.utm().content(), e.eventData(),
                            rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return created;
    }

    private Map<String, Long> upsertLeads(Connection connection, List<NewFunnelEvent> events) throws SQLException {
        // Sorted, so that concurrent batches lock leads in the same order and cannot deadlock.
        TreeMap<String, Person> people = new TreeMap<>();
        for (NewFunnelEvent event : events) {
            people.merge(event.person().email(), event.person(), FunnelEventWriter::merge);
        }
        List<Person> list = new ArrayList<>(people.values());
        Array emails = textArray(connection, list, Person::email);
        Map<String, Long> ids = new HashMap<>(list.size() * 2);
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_LEADS)) {
            upsert.setArray(1, emails);
            upsert.setArray(2, textArray(connection, list, Person::firstName));
            upsert.setArray(3, textArray(connection, list, Person::lastName));
            upsert.setArray(4, textArray(connection, list, Person::phone));
            readIds(upsert, ids);
        }
        if (ids.size() < list.size()) {
            // A lead a concurrent transaction committed after this statement's snapshot was taken: the upsert
            // saw the conflict, the snapshot did not see the row. A new statement sees it.
            try (PreparedStatement select = connection.prepareStatement(LEAD_IDS)) {
                select.setArray(1, emails);
                readIds(select, ids);
            }
        }
        return ids;
    }

    private static void readIds(PreparedStatement statement, Map<String, Long> ids) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.put(rs.getString(2), rs.getLong(1));
            }
        }
    }

    /** Later values win where they are given, as they do against the stored lead. */
    private static Person merge(Person earlier, Person later) {
        return new Person(later.email(),
                later.firstName() != null ? later.firstName() : earlier.firstName(),
                later.lastName() != null ? later.lastName() : earlier.lastName(),
                later.phone() != null ? later.phone() : earlier.phone());
    }

    private Map<EventKey, FunnelEvent> existingEvents(Connection connection, List<EventKey> keys) throws SQLException {
        Map<EventKey, FunnelEvent> found = new HashMap<>(keys.size() * 2);
        try (PreparedStatement select = connection.prepareStatement(EXISTING_EVENTS)) {
            select.setArray(1, textArray(connection, keys, EventKey::sourceType));
            select.setArray(2, textArray(connection, keys, EventKey::externalId));
            select.setArray(3, textArray(connection, keys, EventKey::eventType));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    FunnelEvent event = read(rs);
                    found.put(event.key(), event);
                }
            }
        }
        return found;
    }

    /** Reads a row selected with {@link #EVENT_COLUMNS}. */
    FunnelEvent read(ResultSet rs) throws SQLException {
        return new FunnelEvent(rs.getLong("id"), rs.getLong("lead_id"), rs.getString("email"),
                rs.getString("source_type"), rs.getString("event_type"), rs.getString("external_id"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getString("utm_source"), rs.getString("utm_medium"),
                rs.getString("utm_campaign"), rs.getString("utm_term"), rs.getString("utm_content"),
                parse(rs.getString("event_data")), rs.getTimestamp("created_at").toInstant());
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event_data is not JSON", e);
        }
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event_data cannot be written as JSON", e);
        }
    }

    private static <T> Array textArray(Connection connection, List<T> items, Function<T, String> field)
            throws SQLException {
        String[] values = new String[items.size()];
        Arrays.setAll(values, i -> field.apply(items.get(i)));
        return connection.createArrayOf("text", values);
    }
}
