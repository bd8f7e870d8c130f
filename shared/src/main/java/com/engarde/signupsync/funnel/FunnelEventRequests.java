package com.engarde.signupsync.funnel;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.JsonFields;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Turns one event object of the API into a validated {@link NewFunnelEvent}, or invalid input naming the field. */
@Singleton
public class FunnelEventRequests {

    public static final int MAX_EVENT_DATA_BYTES = 32 * 1024;
    public static final int NAME_LENGTH = 200;
    public static final int PHONE_LENGTH = 50;
    public static final int EXTERNAL_ID_LENGTH = 255;
    public static final int UTM_LENGTH = 500;

    private final Clock clock;
    private final ObjectMapper mapper;

    public FunnelEventRequests(Clock clock, ObjectMapper mapper) {
        this.clock = clock;
        this.mapper = mapper;
    }

    public NewFunnelEvent parse(ObjectNode body) {
        String sourceId = JsonFields.requiredText(body, "source_type", 40);
        SourceType source = SourceType.fromId(sourceId).orElseThrow(() -> new InvalidInput("source_type",
                "source_type must be one of " + SourceType.names()));
        String typeId = JsonFields.requiredText(body, "event_type", 40);
        EventType type = EventType.fromId(typeId).orElseThrow(() -> new InvalidInput("event_type",
                "event_type must be one of " + EventType.NAMES));
        Person person = person(body);
        // PostgreSQL keeps microseconds: an answer must say what is stored.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant occurredAt = JsonFields.instant(body, "occurred_at");
        if (occurredAt != null) {
            occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        }
        String late = occurredAt == null ? null : EventTimes.problem("occurred_at", occurredAt, now);
        if (late != null) {
            throw new InvalidInput("occurred_at", late);
        }
        Utm utm = new Utm(
                JsonFields.text(body, "utm_source", UTM_LENGTH),
                JsonFields.text(body, "utm_medium", UTM_LENGTH),
                JsonFields.text(body, "utm_campaign", UTM_LENGTH),
                JsonFields.text(body, "utm_term", UTM_LENGTH),
                JsonFields.text(body, "utm_content", UTM_LENGTH));
        ObjectNode eventData = JsonFields.object(body, "event_data");
        if (eventData == null) {
            eventData = mapper.createObjectNode();
        } else if (serializedSize(eventData) > MAX_EVENT_DATA_BYTES) {
            throw new InvalidInput("event_data", "event_data must be at most " + MAX_EVENT_DATA_BYTES + " bytes as JSON");
        }
        String externalId = JsonFields.identifier(body, "external_id", EXTERNAL_ID_LENGTH);
        if (externalId == null) {
            // Without the source's own id, a retry is recognized only if it carries the same occurred_at.
            externalId = derivedId(source, type, person.email(), occurredAt == null ? now : occurredAt);
        }
        return new NewFunnelEvent(source, type, externalId, occurredAt == null ? now : occurredAt, person, utm, eventData);
    }

    public Person person(ObjectNode body) {
        String email = Emails.normalize(JsonFields.requiredText(body, "email", 320));
        if (!Emails.isValid(email)) {
            throw new InvalidInput("email", "email is not a valid email address");
        }
        return new Person(email,
                JsonFields.text(body, "first_name", NAME_LENGTH),
                JsonFields.text(body, "last_name", NAME_LENGTH),
                JsonFields.text(body, "phone", PHONE_LENGTH));
    }

    private int serializedSize(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInput("event_data", "event_data could not be read");
        }
    }

    static String derivedId(SourceType source, EventType type, String email, Instant occurredAt) {
        // The first 128 bits: plenty against collisions within one source and event type.
        return "derived:" + Sha256.hex(source.id() + '|' + type.id() + '|' + email + '|' + occurredAt).substring(0, 32);
    }
}
