package com.engarde.signupsync.sources.easyappointments;

import com.engarde.signupsync.appointments.Appointment;
import com.engarde.signupsync.appointments.Outcome;
import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.NewFunnelEvent;
import com.engarde.signupsync.funnel.Person;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.sync.RawFingerprint;
import com.engarde.signupsync.sync.SortKey;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.VendorText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An EasyAppointments appointment as funnel events, with its customer as the lead:
 * <ul>
 *   <li>{@code appointment_booked} at the booking time ({@code book}), for every appointment;</li>
 *   <li>{@code appointment_cancelled} when its status is one of the cancelled statuses, at the time the sync
 *       first saw it (or the appointment's start, if that is earlier: a backfill of old cancellations);</li>
 * </ul>
 * and the appointment as the admin views keep it, its status read by the configured status map. Whether it
 * was attended is not the mapper's to say: {@code appointment_completed} follows the outcome ({@code Appointments}).
 * Times are naive in the API: {@code start}/{@code end} in the provider's timezone, {@code book} in the
 * instance's. Event data carries the appointment as the funnel needs it; not notes, not the manage-link hash.
 */
final class AppointmentMapper {

    /** Years a booking can plausibly have; PostgreSQL would refuse some beyond them, and none is real. */
    private static final int MIN_YEAR = 1900;
    private static final int MAX_YEAR = 9999;

    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("uuuu-MM-dd[ ]['T']HH:mm[:ss]")
            .withResolverStyle(ResolverStyle.STRICT);

    /** What every appointment of a pass is read against. */
    record Catalog(Map<Long, Appointment.Service> services, Map<Long, ZoneId> providerZones, ZoneId instanceZone) {
        ZoneId zoneOf(long providerId) {
            return providerZones.getOrDefault(providerId, instanceZone);
        }
    }

    /**
     * The mapping's version, part of every appointment's raw fingerprint: raise it with any change to what
     * {@link #map} makes of an appointment (or to what {@link EasyAppointmentsSettings#mappingSettings()} or
     * {@link #rawContext} cover), so that the next run maps every appointment again instead of taking the ones the
     * vendor did not change for unchanged.
     */
    static final String VERSION = "easyappointments-appointment-1";

    private final EasyAppointmentsSettings settings;

    /**
     * What an appointment's raw fingerprint covers besides its own bytes (which hold its customer, attached): the
     * mapping version, the settings the mapping reads, and the whole catalog (services, provider timezones, the
     * instance's timezone), in a fixed order. A change to any of them maps every appointment again.
     */
    static RawFingerprint rawContext(String version, EasyAppointmentsSettings settings, Catalog catalog) {
        StringBuilder services = new StringBuilder();
        new TreeMap<>(catalog.services()).forEach((id, s) -> services.append(id).append('\u0001').append(s.name())
                .append('\u0001').append(s.price() == null ? null : s.price().toPlainString()).append('\u0001')
                .append(s.currency()).append('\u0001').append(s.durationMinutes()).append('\u0002'));
        StringBuilder zones = new StringBuilder();
        new TreeMap<>(catalog.providerZones()).forEach((id, zone) -> zones.append(id).append('\u0001')
                .append(zone.getId()).append('\u0002'));
        return RawFingerprint.context(version, settings.mappingSettings(), catalog.instanceZone().getId(),
                services.toString(), zones.toString());
    }

    AppointmentMapper(EasyAppointmentsSettings settings) {
        this.settings = settings;
    }

    /** The sync's record and, unless it failed, the appointment to keep. */
    record Mapped(SyncRecord record, Appointment appointment) {
        static Mapped failed(SyncRecord record) {
            return new Mapped(record, null);
        }
    }

    /** The appointment's record; {@code customer} is the API's customer, when the appointment did not carry it. */
    Mapped map(JsonNode appointment, JsonNode customer, Catalog catalog, Instant now) {
        JsonNode idNode = appointment.path("id");
        if (!idNode.canConvertToLong()) {
            return Mapped.failed(SyncRecord.failed(idNode.isMissingNode() ? "(no id)" : idNode.asText(), null, "appointment has no numeric id"));
        }
        long appointmentId = idNode.asLong();
        String externalId = Long.toString(appointmentId);
        SortKey key = SortKey.of(appointmentId);
        try {
            if (customer == null || customer.isNull() || customer.isMissingNode()) {
                return Mapped.failed(SyncRecord.failed(externalId, key, appointment.hasNonNull("customerId")
                        ? "customer " + appointment.get("customerId").asText() + " was not found" : "appointment has no customer"));
            }
            String email = Emails.normalize(text(customer, "email", "email"));
            if (email == null || email.isEmpty()) {
                return Mapped.failed(SyncRecord.failed(externalId, key, "customer " + customer.path("id").asText("?") + " has no email address"));
            }
            if (!Emails.isValid(email)) {
                return Mapped.failed(SyncRecord.failed(externalId, key, "customer " + customer.path("id").asText("?")
                        + " has an email address that is not valid"));
            }
            Person person = new Person(email, text(customer, "first_name", "firstName"),
                    text(customer, "last_name", "lastName"), phone(customer));

            long providerId = appointment.path("providerId").asLong(-1);
            ZoneId providerZone = catalog.zoneOf(providerId);
            Instant book = time(appointment, "book", catalog.instanceZone());
            Instant start = time(appointment, "start", providerZone);
            Instant end = time(appointment, "end", providerZone);
            String status = VendorText.clean(appointment.path("status").asText(""));
            if (status.length() > 512) {
                status = status.substring(0, 512);
            }

            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("appointment_id", appointmentId);
            data.put("status", status);
            data.put("book", book.toString());
            data.put("start", start.toString());
            data.put("end", end.toString());
            data.put("timezone", providerZone.getId());
            Appointment.Service service = Appointment.Service.NONE;
            if (appointment.hasNonNull("serviceId")) {
                long serviceId = appointment.get("serviceId").asLong();
                data.put("service_id", serviceId);
                Appointment.Service listed = catalog.services().get(serviceId);
                String name = listed == null || listed.name() == null ? null
                        : listed.name().length() > 512 ? listed.name().substring(0, 512) : listed.name();
                service = listed == null ? new Appointment.Service(serviceId, null, null, null, null)
                        : new Appointment.Service(serviceId, name, listed.price(), listed.currency(), listed.durationMinutes());
                if (name != null) {
                    data.put("service", name);
                }
            }
            if (providerId >= 0) {
                data.put("provider_id", providerId);
            }
            long customerId = customer.path("id").asLong();
            data.put("customer_id", customerId);

            Outcome outcome = settings.outcomeOf(status);
            List<NewFunnelEvent> events = new ArrayList<>(2);
            events.add(event(EventType.APPOINTMENT_BOOKED, externalId, book, person, data));
            if (outcome == Outcome.CANCELLED) {
                events.add(event(EventType.APPOINTMENT_CANCELLED, externalId, start.isBefore(now) ? start : now, person, data));
            }
            Appointment kept = new Appointment(appointmentId, book, start, end, providerZone.getId(), status, outcome,
                    service, providerId >= 0 ? providerId : null,
                    new Appointment.Customer(customerId, email, person.firstName(), person.lastName(), person.phone()));
            return new Mapped(SyncRecord.mapped(externalId, key, start, events), kept);
        } catch (MalformedField e) {
            return Mapped.failed(SyncRecord.failed(externalId, key, e.getMessage()));
        }
    }

    private static NewFunnelEvent event(EventType type, String externalId, Instant at, Person person, ObjectNode data) {
        return new NewFunnelEvent(EasyAppointmentsIntegration.EASYAPPOINTMENTS, type, externalId, at, person, Utm.NONE, data);
    }

    private static Instant time(JsonNode appointment, String field, ZoneId zone) {
        String value = appointment.path(field).asText("").strip();
        if (value.isEmpty()) {
            throw new MalformedField(field + " is missing");
        }
        LocalDateTime parsed;
        try {
            parsed = LocalDateTime.parse(value, NAIVE);
        } catch (DateTimeParseException e) {
            throw new MalformedField(field + " '" + (value.length() > 40 ? value.substring(0, 40) : value)
                    + "' is not a date-time (YYYY-MM-DD HH:MM:SS)");
        }
        if (parsed.getYear() < MIN_YEAR || parsed.getYear() > MAX_YEAR) {
            throw new MalformedField(field + " is out of range (year " + parsed.getYear() + ")");
        }
        return parsed.atZone(zone).toInstant();
    }

    /** The attached customer is the raw database row (snake_case); the customers API is camelCase. */
    private static String text(JsonNode customer, String raw, String api) {
        JsonNode node = customer.hasNonNull(raw) ? customer.get(raw) : customer.get(api);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = VendorText.clean(node.asText()).strip();
        return value.isEmpty() ? null : value.length() > 200 ? value.substring(0, 200) : value;
    }

    private static String phone(JsonNode customer) {
        for (String field : new String[] {"phone_number", "phone", "mobile_number", "mobile"}) {
            String value = text(customer, field, field);
            if (value != null) {
                return value.length() > 50 ? value.substring(0, 50) : value;
            }
        }
        return null;
    }

    private static final class MalformedField extends RuntimeException {
        MalformedField(String message) {
            super(message, null, false, false);
        }
    }
}
