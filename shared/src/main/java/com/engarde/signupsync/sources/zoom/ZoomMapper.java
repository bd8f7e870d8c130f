package com.engarde.signupsync.sources.zoom;

import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.VendorText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zoom records as funnel events. A registrant (any status) is one record, its registrant id, mapping to
 * {@code event_registered} with the status in the event data, so that a later approval or denial updates
 * it, and the UTM of the tracking source it registered through, if any. An ended run's participants become one {@code event_attended} per person per run: Zoom lists one row
 * per join session, so rows are merged by registrant id (else by email), their durations summed.
 */
final class ZoomMapper {

    /** A registrant as far as the attendance join needs it. */
    record Registrant(String id, Person person) {
    }

    private ZoomMapper() {
    }

    /**
     * The UTM of a registration tracking source: the {@code utm_*} parameters of its tracking URL, and its
     * {@code source_name} (the platform the link was shared on, e.g. "LinkedIn") as the source where the URL
     * names none.
     */
    static Utm trackingUtm(JsonNode source) {
        return Utm.fromLink(VendorText.clean(source.path("tracking_url").asText(null)))
                .withSourceIfAbsent(VendorText.blankToNull(source.path("source_name").asText(null)));
    }

    /** One registrant of {@code webinarId}; failed when it has no id or no valid email. */
    static SyncRecord registrant(String webinarId, JsonNode r, Map<String, Registrant> seen) {
        return registrant(webinarId, r, seen, Utm.NONE);
    }

    /** As {@link #registrant(String, JsonNode, Map)}, registered through a tracking source with {@code utm}. */
    static SyncRecord registrant(String webinarId, JsonNode r, Map<String, Registrant> seen, Utm utm) {
        String id = VendorText.id(r.path("id").asText(""));
        if (id.isEmpty()) {
            return SyncRecord.failed("webinar:" + webinarId + ":(no id)", null, "registrant without an id");
        }
        Person person = person(r.path("email").asText(""), r.path("first_name").asText(null),
                r.path("last_name").asText(null), r.path("phone").asText(null));
        if (person == null) {
            return SyncRecord.failed(id, null, "registrant " + id + " has no valid email address");
        }
        seen.put(id, new Registrant(id, person));
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("webinar_id", webinarId);
        data.put("registrant_id", id);
        data.put("status", VendorText.clean(r.path("status").asText("approved")));
        Instant created = time(r, "create_time");
        if (created != null) {
            data.put("create_time", created.toString());
        }
        NewFunnelEvent event = new NewFunnelEvent(ZoomIntegration.ZOOM, EventType.EVENT_REGISTERED, webinarId + ":" + id,
                created, person, utm, data);
        return SyncRecord.mapped(id, null, created, List.of(event));
    }

    /**
     * The participants of the ended run {@code runUuid} of {@code webinarId}, one record per person: joined to
     * {@code registrants} by registrant id, else by email; people with neither an email nor a registration
     * cannot be a lead and fail alone.
     */
    static List<SyncRecord> attendance(String webinarId, String runUuid, Instant runStart, List<JsonNode> rows,
                                       Map<String, Registrant> registrants) {
        Map<String, Registrant> byEmail = new LinkedHashMap<>();
        registrants.values().forEach(r -> byEmail.putIfAbsent(r.person().email(), r));
        record Stay(Person person, String registrantId, long seconds, Instant firstJoin, Instant lastLeave, int sessions) {
        }
        Map<String, Stay> stays = new LinkedHashMap<>();
        List<SyncRecord> failed = new ArrayList<>();
        int unnamed = 0;
        for (JsonNode row : rows) {
            Registrant registrant = registrants.get(row.path("registrant_id").asText(""));
            Person person = person(row.path("user_email").asText(""), null, null, null);
            if (registrant == null && person != null) {
                registrant = byEmail.get(person.email());
            }
            if (registrant != null) {
                person = registrant.person();
            } else if (person == null) {
                unnamed++;
                continue;
            }
            String key = registrant != null ? registrant.id() : person.email();
            Instant join = time(row, "join_time");
            Instant leave = time(row, "leave_time");
            long seconds = Math.max(0, row.path("duration").asLong(0));
            String registrantId = registrant == null ? null : registrant.id();
            Person who = person;
            stays.merge(key, new Stay(who, registrantId, seconds, join, leave, 1), (a, b) -> new Stay(a.person(),
                    a.registrantId(), a.seconds() + b.seconds(), earliest(a.firstJoin(), b.firstJoin()),
                    latest(a.lastLeave(), b.lastLeave()), a.sessions() + b.sessions()));
        }
        if (unnamed > 0) {
            failed.add(SyncRecord.failed("run:" + runUuid + ":anonymous", null, unnamed
                    + " participant session(s) without an email or a registration (not a lead)"));
        }
        List<SyncRecord> records = new ArrayList<>(stays.size() + failed.size());
        stays.forEach((key, stay) -> {
            String externalId = "attended:" + runUuid + ":" + key;
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("webinar_id", webinarId);
            data.put("run_uuid", runUuid);
            if (runStart != null) {
                data.put("run_start", runStart.toString());
            }
            if (stay.registrantId() != null) {
                data.put("registrant_id", stay.registrantId());
            }
            data.put("duration_seconds", stay.seconds());
            data.put("sessions", stay.sessions());
            if (stay.firstJoin() != null) {
                data.put("first_join", stay.firstJoin().toString());
            }
            if (stay.lastLeave() != null) {
                data.put("last_leave", stay.lastLeave().toString());
            }
            Instant at = stay.firstJoin() != null ? stay.firstJoin() : runStart;
            records.add(SyncRecord.mapped(externalId, null, at, List.of(new NewFunnelEvent(ZoomIntegration.ZOOM,
                    EventType.EVENT_ATTENDED, webinarId + ":" + runUuid + ":" + key, at, stay.person(), Utm.NONE, data))));
        });
        records.addAll(failed);
        return records;
    }

    private static Person person(String email, String first, String last, String phone) {
        return VendorText.person(email, first, last, phone);
    }

    static Instant time(JsonNode node, String field) {
        return VendorText.instant(node, field);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
