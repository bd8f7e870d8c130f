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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes funnel events set-wise: one statement upserts every lead of the batch, one inserts every event
 * (idempotent on the event key), one reads back the events that already existed. A batch of one and a sync
 * page of a thousand take the same path. The database trigger keeps first and last touch.
 */
@Singleton
public class FunnelEventWriter {

    /** See the upsert_leads function in V1: one round trip, index lookups whatever the table's size. */
    private static final String UPSERT_LEADS = "SELECT lead_id, lead_email FROM upsert_leads(?::text[], ?::text[], ?::text[], ?::text[])";

    private static final String LEAD_IDS = "SELECT id, email FROM leads WHERE email = ANY(?::text[])";

    private static final String INSERT_EVENTS = """
            INSERT INTO funnel_events (lead_id, source_type, event_type, external_id, occurred_at,
                                       utm_source, utm_medium, utm_campaign, utm_term, utm_content, event_data)
            SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::jsonb[])
            ON CONFLICT (source_type, external_id, event_type) DO NOTHING
            RETURNING id, source_type, external_id, event_type, created_at
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

    public FunnelEventWriter(Database database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
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
        Map<String, Long> leadIds = upsertLeads(connection, events);

        Map<EventKey, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            firstIndex.putIfAbsent(events.get(i).key(), i);
        }
        List<NewFunnelEvent> unique = firstIndex.values().stream().map(events::get).toList();
        Map<EventKey, FunnelEvent> created = insertEvents(connection, unique, leadIds);

        List<EventKey> missing = firstIndex.keySet().stream().filter(k -> !created.containsKey(k)).toList();
        Map<EventKey, FunnelEvent> existing = missing.isEmpty() ? Map.of() : existingEvents(connection, missing);

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

    private Map<EventKey, FunnelEvent> insertEvents(Connection connection, List<NewFunnelEvent> events,
                                                    Map<String, Long> leadIds) throws SQLException {
        int n = events.size();
        Long[] leads = new Long[n];
        String[] data = new String[n];
        for (int i = 0; i < n; i++) {
            leads[i] = leadIds.get(events.get(i).person().email());
            data[i] = json(events.get(i).eventData());
        }
        Map<EventKey, NewFunnelEvent> byKey = new HashMap<>(n * 2);
        events.forEach(e -> byKey.put(e.key(), e));
        Map<EventKey, FunnelEvent> created = new HashMap<>(n * 2);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            insert.setArray(1, connection.createArrayOf("bigint", leads));
            insert.setArray(2, textArray(connection, events, e -> e.source().id()));
            insert.setArray(3, textArray(connection, events, e -> e.type().id()));
            insert.setArray(4, textArray(connection, events, NewFunnelEvent::externalId));
            insert.setArray(5, textArray(connection, events, e -> e.occurredAt().toString()));
            insert.setArray(6, textArray(connection, events, e -> e.utm().source()));
            insert.setArray(7, textArray(connection, events, e -> e.utm().medium()));
            insert.setArray(8, textArray(connection, events, e -> e.utm().campaign()));
            insert.setArray(9, textArray(connection, events, e -> e.utm().term()));
            insert.setArray(10, textArray(connection, events, e -> e.utm().content()));
            insert.setArray(11, connection.createArrayOf("text", data));
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    EventKey key = new EventKey(rs.getString(2), rs.getString(3), rs.getString(4));
                    NewFunnelEvent e = byKey.get(key);
                    created.put(key, new FunnelEvent(rs.getLong(1), leadIds.get(e.person().email()),
                            e.person().email(), key.sourceType(), key.eventType(), key.externalId(), e.occurredAt(),
                            e.utm().source(), e.utm().medium(), e.utm().campaign(), e.utm().term(),
                            e.utm().content(), e.eventData(), rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return created;
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
