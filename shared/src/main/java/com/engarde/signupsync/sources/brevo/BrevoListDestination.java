package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.emaillist.Segments;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.signup.Suppressions;
import com.engarde.signupsync.sync.DestinationPass;
import com.engarde.signupsync.sync.SentBatch;
import com.engarde.signupsync.sync.SentRecord;
import com.engarde.signupsync.sync.SyncDestination;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The master email list: every lead upserted into the Brevo list {@code BREVO_LIST_ID} as a destination run on
 * the engine (see shared/sources/brevo.md). Leads are sent in id order, {@code brevo.list.batch-size} a batch,
 * cursor {@code {"after": leadId}}, and {@code "complete": true} after the last batch, from which the next run
 * walks the whole list again (only what changed is sent); each contact is {@code POST /v3/contacts} with {@code updateEnabled: true}
 * (201 created, 204 updated) and its attributes upper case: FIRSTNAME, LASTNAME, SMS (only an E.164 number),
 * TOTAL_BOOKINGS, LAST_BOOKING, SERVICES, SOURCE and the segments SEGMENT and RECENCY ({@link Segments}).
 * <ul>
 *   <li>a contact whose attributes hash to what was last sent to this list ({@code email_list_contacts}) is not
 *       sent again;</li>
 *   <li>a person on the suppression list is never sent;</li>
 *   <li>before sending, {@code GET /v3/contacts/{email}}: a contact blocklisted ({@code emailBlacklisted}) or
 *       unsubscribed from the list ({@code listUnsubscribed}) is left as Brevo has it, since an upsert with the
 *       list would subscribe them again;</li>
 *   <li>a 400 fails that contact alone (an SMS number another contact holds, {@code duplicate_parameter} or
 *       {@code invalid_parameter} by message, is sent once more without it); anything else stops the batch,
 *       which the next invocation sends again;</li>
 *   <li>pacing to 10 requests a second ({@code brevo.rate-limit}), and a 429 waits {@code x-sib-ratelimit-reset}.</li>
 * </ul>
 * Suppressed and blocklisted contacts count as unchanged: nothing was sent for them.
 */
@Singleton
@Requires(property = "brevo.list.id")
public final class BrevoListDestination implements SyncDestination {

    public static final String TYPE = "brevo";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern ALREADY_HELD = Pattern.compile("(?i)already (associated|exist)");

    private final Database database;
    private final Suppressions suppressions;
    private final SourceCredentials credentials;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper json;
    private final URI base;
    private final long listId;
    private final int batchSize;
    private final VendorHttp.Settings settings;

    BrevoListDestination(Database database, Suppressions suppressions, SourceCredentials credentials, RetryPolicy retry,
                         Clock clock, ObjectMapper json,
                         @Value("${brevo.api.url:`https://api.brevo.com/v3/`}") String base,
                         @Value("${brevo.list.id}") String listId,
                         @Value("${brevo.list.batch-size:50}") int batchSize,
                         @Value("${brevo.rate-limit:10/1s}") String rateLimit,
                         @Value("${brevo.connect-timeout:5s}") Duration connectTimeout,
                         @Value("${brevo.request-timeout:30s}") Duration requestTimeout) {
        this.database = database;
        this.suppressions = suppressions;
        this.credentials = credentials;
        this.retry = retry;
        this.clock = clock;
        this.json = json;
        this.base = VendorHttp.requireSafeBase(URI.create(base.endsWith("/") ? base : base + "/"));
        if (!listId.strip().matches("[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException("BREVO_LIST_ID must be a Brevo list id (a positive number)");
        }
        this.listId = Long.parseLong(listId.strip());
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("brevo.list.batch-size must be between 1 and 1000");
        }
        this.batchSize = batchSize;
        this.settings = new VendorHttp.Settings(connectTimeout, requestTimeout,
                VendorHttp.RateLimit.parse(rateLimit, "brevo.rate-limit"));
    }

    @Override
    public String destinationType() {
        return TYPE;
    }

    public long listId() {
        return listId;
    }

    @Override
    public DestinationPass open(JsonNode checkpoint) {
        String key = credentials.find(TYPE).flatMap(c -> c.field("api_key"))
                .orElseThrow(() -> new VendorException("Brevo", 0, "Brevo has no API key (BREVO_API_KEY or stored credentials)", null));
        VendorHttp http = new VendorHttp("Brevo", VendorAuth.header("api-key", key), settings, retry, clock,
                answer -> VendorHttp.jsonMessage(json, answer, "message"), BrevoErrors.reading(json));
        boolean resume = checkpoint != null && !checkpoint.path("complete").asBoolean(false);
        return new Pass(http, resume ? checkpoint.path("after").asLong(0) : 0);
    }

    /** One lead as the list gets it. */
    private record Contact(long leadId, String email, ObjectNode attributes, byte[] contentHash, byte[] sentHash,
                           boolean suppressed) {
    }

    private final class Pass implements DestinationPass {
        private final VendorHttp http;
        /** Content hashes to record per batch number, written with the batch's checkpoint. */
        private final Map<Integer, Map<String, byte[]>> toRecord = new ConcurrentHashMap<>();
        private long after;
        private int number;

        Pass(VendorHttp http, long after) {
            this.http = http;
            this.after = after;
        }

        @Override
        public SentBatch sendNext(TimeBudget budget) {
            number++;
            List<Contact> batch = database.read(this::read);
            if (batch.isEmpty()) {
                return new SentBatch(number, List.of(), cursor(after, true), true);
            }
            List<SentRecord> sent = new ArrayList<>(batch.size());
            Map<String, byte[]> hashes = new java.util.HashMap<>();
            for (Contact contact : batch) {
                String id = Long.toString(contact.leadId());
                if (contact.suppressed() || (contact.sentHash() != null && Sha256.same(contact.sentHash(), contact.contentHash()))) {
                    sent.add(SentRecord.unchanged(id));
                    continue;
                }
                SentRecord outcome = send(contact, budget);
                if (outcome.outcome() != SentRecord.Outcome.FAILED) {
                    hashes.put(contact.email(), contact.contentHash());
                }
                sent.add(outcome);
            }
            after = batch.get(batch.size() - 1).leadId();
            toRecord.put(number, hashes);
            boolean last = batch.size() < batchSize;
            return new SentBatch(number, sent, cursor(after, last), last);
        }

        @Override
        public void recorded(Connection connection, SentBatch batch) throws SQLException {
            Map<String, byte[]> hashes = toRecord.remove(batch.number());
            if (hashes == null || hashes.isEmpty()) {
                return;
            }
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO email_list_contacts (email_hash, list_id, content_hash, sent_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (email_hash, list_id) DO UPDATE SET content_hash = EXCLUDED.content_hash,
                        sent_at = EXCLUDED.sent_at""")) {
                for (Map.Entry<String, byte[]> e : hashes.entrySet()) {
                    upsert.setBytes(1, Sha256.digest(e.getKey()));
                    upsert.setLong(2, listId);
                    upsert.setBytes(3, e.getValue());
                    upsert.setTimestamp(4, Timestamp.from(clock.instant()));
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }

        private List<Contact> read(Connection connection) throws SQLException {
            List<Contact> contacts = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT l.id, l.email, l.first_name, l.last_name, l.phone, l.first_touch_source,
                           ap.bookings, ap.services, ap.last_booking, c.content_hash
                    FROM leads l
                    LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE a.outcome <> 'cancelled') AS bookings,
                            array_agg(DISTINCT a.service_name ORDER BY a.service_name)
                                FILTER (WHERE a.service_name IS NOT NULL AND a.outcome <> 'cancelled') AS services,
                            max(a.start_at) FILTER (WHERE a.outcome <> 'cancelled') AS last_booking
                        FROM easyappointments_appointments a WHERE a.lead_id = l.id) ap ON true
                    LEFT JOIN email_list_contacts c
                        ON c.email_hash = sha256(convert_to(l.email, 'UTF8')) AND c.list_id = ?
                    WHERE l.id > ? ORDER BY l.id LIMIT ?""")) {
                select.setLong(1, listId);
                select.setLong(2, after);
                select.setInt(3, batchSize);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Timestamp last = rs.getTimestamp("last_booking");
                        java.sql.Array services = rs.getArray("services");
                        ObjectNode attributes = attributes(rs.getString("first_name"), rs.getString("last_name"),
                                rs.getString("phone"), rs.getString("first_touch_source"), rs.getInt("bookings"),
                                services == null ? List.of() : Arrays.asList((String[]) services.getArray()),
                                last == null ? null : last.toInstant());
                        byte[] content = Sha256.digest(listId + "\n" + attributes);
                        contacts.add(new Contact(rs.getLong("id"), rs.getString("email"), attributes, content,
                                rs.getBytes("content_hash"), false));
                    }
                }
            }
            Set<String> suppressed = suppressions.suppressed(connection, contacts.stream().map(Contact::email).toList());
            return contacts.stream().map(c -> suppressed.contains(c.email())
                    ? new Contact(c.leadId(), c.email(), c.attributes(), c.contentHash(), c.sentHash(), true) : c).toList();
        }

        private ObjectNode attributes(String first, String last, String phone, String source, int bookings,
                                      List<String> services, Instant lastBooking) {
            ObjectNode a = json.createObjectNode();
            putText(a, "FIRSTNAME", first);
            putText(a, "LASTNAME", last);
            String sms = phone == null ? null : phone.replaceAll("[\\s().-]", "");
            if (sms != null && sms.startsWith("00")) {
                sms = "+" + sms.substring(2);
            }
            if (sms != null && E164.matcher(sms).matches()) {
                a.put("SMS", sms);
            }
            a.put("TOTAL_BOOKINGS", bookings);
            if (lastBooking != null) {
                a.put("LAST_BOOKING", lastBooking.atOffset(ZoneOffset.UTC).toLocalDate().toString());
            }
            if (!services.isEmpty()) {
                a.put("SERVICES", String.join(", ", services));
            }
            putText(a, "SOURCE", source);
            Segments.byBookings(bookings).ifPresent(s -> a.put("SEGMENT", s.value()));
            Segments.byRecency(lastBooking, clock.instant()).ifPresent(s -> a.put("RECENCY", s.value()));
            return a;
        }

        private static void putText(ObjectNode node, String name, String value) {
            if (value != null && !value.isBlank()) {
                node.put(name, value.strip());
            }
        }

        /** One contact: left alone when Brevo has it blocklisted or unsubscribed, otherwise upserted into the list. */
        private SentRecord send(Contact contact, TimeBudget budget) {
            String id = Long.toString(contact.leadId());
            try {
                java.util.Optional<byte[]> held = http.find(base.resolve("contacts/"
                        + URLEncoder.encode(contact.email(), StandardCharsets.UTF_8).replace("+", "%20")), budget);
                if (held.isPresent() && optedOut(json.readTree(held.get()))) {
                    return SentRecord.unchanged(id);
                }
            } catch (VendorException e) {
                if (e.status() == 400) {
                    return SentRecord.failed(id, refusal(e));
                }
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException("Brevo answered a contact with a body that is not JSON", e);
            }
            ObjectNode attributes = contact.attributes().deepCopy();
            try {
                return upsert(id, contact.email(), attributes, budget);
            } catch (VendorException e) {
                if (e.status() == 400 && attributes.has("SMS") && smsHeldElsewhere(e)) {
                    attributes.remove("SMS");
                    try {
                        return upsert(id, contact.email(), attributes, budget);
                    } catch (VendorException again) {
                        if (again.status() == 400) {
                            return SentRecord.failed(id, refusal(again));
                        }
                        throw again;
                    }
                }
                if (e.status() == 400) {
                    return SentRecord.failed(id, refusal(e));
                }
                throw e;
            }
        }

        private boolean optedOut(JsonNode held) {
            if (held.path("emailBlacklisted").asBoolean(false)) {
                return true;
            }
            for (JsonNode list : held.path("listUnsubscribed")) {
                if (list.asLong() == listId) {
                    return true;
                }
            }
            return false;
        }

        private SentRecord upsert(String id, String email, ObjectNode attributes, TimeBudget budget) {
            ObjectNode body = json.createObjectNode();
            body.put("email", email);
            body.set("attributes", attributes);
            body.putArray("listIds").add(listId);
            body.put("updateEnabled", true);
            byte[] answer;
            try {
                answer = http.post(base.resolve("contacts"), json.writeValueAsBytes(body), budget);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // 201 {"id": n} for a new contact, 204 without a body for one updated.
            return answer.length == 0 ? SentRecord.updated(id) : SentRecord.created(id);
        }
    }

    /** Brevo's "already associated with another Contact" / "Contact already exist", whichever code it comes under. */
    private static boolean smsHeldElsewhere(VendorException e) {
        String code = e.code() == null ? "" : e.code();
        return (code.equals("duplicate_parameter") || code.equals("invalid_parameter"))
                && e.getMessage() != null && ALREADY_HELD.matcher(e.getMessage()).find();
    }

    /** The status and code only: Brevo's message may quote the address. */
    private static String refusal(VendorException e) {
        return "Brevo refused it: " + e.status() + (e.code() == null ? "" : " " + e.code().toLowerCase(Locale.ROOT));
    }

    private static JsonNode cursor(long after, boolean complete) {
        ObjectNode cursor = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("after", after);
        return complete ? cursor.put("complete", true) : cursor;
    }
}
