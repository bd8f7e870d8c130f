package com.engarde.signupsync.sources.brevo;

import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.emaillist.EmailListDestination;
import com.engarde.signupsync.emaillist.EmailListScope;
import com.engarde.signupsync.emaillist.Segments;
import com.engarde.signupsync.funnel.Emails;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.engarde.signupsync.http.VendorLimitReached;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.signup.Suppressions;
import com.engarde.signupsync.sync.DestinationPass;
import com.engarde.signupsync.sync.SentBatch;
import com.engarde.signupsync.sync.SentRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The master email list: the leads of an {@link EmailListScope} upserted into a Brevo list as a destination run on
 * the engine (see shared/sources/brevo.md and docs/email-list.md). A run has two phases, each a series of batches
 * checkpointed by the engine:
 * <ol>
 *   <li><b>read</b>: what the account changed since the last read ({@code GET /v3/contacts?modifiedSince=},
 *       1,000 a page, the first run everything), kept as {@code brevo_contacts}: who Brevo holds, in which lists,
 *       blocklisted or unsubscribed;</li>
 *   <li><b>send</b>: the scope's leads in id order, {@code brevo.list.batch-size} (at most 150) a batch, cursor
 *       {@code {"after": leadId}}, then {@code "complete": true}. Per lead:
 *     <ul>
 *       <li>a person on the suppression list, or an erased lead, is never sent (counted suppressed);</li>
 *       <li>a contact Brevo holds blocklisted, or unsubscribed from this list, is left as Brevo has it: adding it
 *           to the list would subscribe it again;</li>
 *       <li>a contact Brevo held once and no longer does is never created again: Brevo's deletion erased its
 *           opt-out ({@code gone});</li>
 *       <li>a contact whose attributes hash to what was last sent to this list is not sent;</li>
 *       <li>a changed contact Brevo holds: {@code POST /v3/contacts/batch} (100 a request); that endpoint fails
 *           whole with 404 {@code document_not_found} when one contact is unknown, so a failed batch is split in
 *           halves until each contact fails alone; one not in the list yet then
 *           {@code POST /v3/contacts/lists/{id}/contacts/add} (150 a request, which answers who failed);</li>
 *       <li>a contact Brevo does not hold: {@code POST /v3/contacts} with the list and {@code updateEnabled}
 *           (201 created, 204 updated); an SMS another contact holds ({@code duplicate_parameter} or
 *           {@code invalid_parameter}, by message) is sent once more without it.</li>
 *     </ul></li>
 * </ol>
 * Attributes are upper case: FIRSTNAME, LASTNAME, SMS (only an E.164 number), TOTAL_BOOKINGS, LAST_BOOKING,
 * SERVICES, SOURCE and the segments SEGMENT and RECENCY ({@link Segments}). Requests are paced to
 * {@code brevo.rate-limit} and to what each answer's {@code x-sib-ratelimit-*} headers announce; a 429 storm that
 * outlasts the retries hands the run over to a continuation after the reset, losing nothing.
 */
@Singleton
@Requires(condition = BrevoListDeployed.class)
public final class BrevoListDestination implements EmailListDestination {

    public static final String TYPE = "brevo";
    /** Brevo's limit for one list addition. */
    public static final int MAX_LIST_ADD = 150;
    /** Contacts per batch update: Brevo states no maximum; 100 is what its documentation commonly cites. */
    static final int UPDATE_CHUNK = 100;
    static final int READ_PAGE = 1000;
    /** Re-read what changed this long before the last read began: Brevo's clock and ours may differ. */
    static final Duration READ_OVERLAP = Duration.ofHours(1);

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern ALREADY_HELD = Pattern.compile("(?i)already (associated|exist)");

    private final Database database;
    private final Suppressions suppressions;
    private final SourceCredentials credentials;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper json;
    private final URI base;
    private final OptionalLong listId;
    private final int batchSize;
    private final VendorHttp.Settings settings;

    BrevoListDestination(Database database, Suppressions suppressions, SourceCredentials credentials, RetryPolicy retry,
                         Clock clock, ObjectMapper json,
                         @Value("${brevo.api.url:`https://api.brevo.com/v3/`}") String base,
                         @Value("${brevo.list.id:}") String listId,
                         @Value("${brevo.list.batch-size:150}") int batchSize,
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
        if (listId == null || listId.isBlank()) {
            this.listId = OptionalLong.empty();
        } else if (listId.strip().matches("[1-9][0-9]{0,17}")) {
            this.listId = OptionalLong.of(Long.parseLong(listId.strip()));
        } else {
            throw new IllegalArgumentException("BREVO_LIST_ID must be a Brevo list id (a positive number)");
        }
        if (batchSize < 1 || batchSize > MAX_LIST_ADD) {
            throw new IllegalArgumentException("brevo.list.batch-size must be between 1 and " + MAX_LIST_ADD);
        }
        this.batchSize = batchSize;
        this.settings = new VendorHttp.Settings(connectTimeout, requestTimeout,
                VendorHttp.RateLimit.parse(rateLimit, "brevo.rate-limit"));
    }

    @Override
    public String destinationType() {
        return TYPE;
    }

    @Override
    public OptionalLong defaultListId() {
        return listId;
    }

    @Override
    public DestinationPass open(JsonNode checkpoint) {
        String key = credentials.find(TYPE).flatMap(c -> c.field("api_key"))
                .orElseThrow(() -> new VendorException("Brevo", 0, "Brevo has no API key (BREVO_API_KEY or stored credentials)", null));
        if ((checkpoint == null || !checkpoint.hasNonNull("list_id")) && listId.isEmpty()) {
            throw new VendorException("Brevo", 0, "no list to send to: BREVO_LIST_ID is not set and the run names none", null);
        }
        EmailListScope scope = EmailListScope.fromJson(checkpoint, listId.orElse(0));
        VendorHttp http = new VendorHttp("Brevo", VendorAuth.header("api-key", key), settings, retry, clock,
                answer -> VendorHttp.jsonMessage(json, answer, "message"), BrevoErrors.reading(json, settings.rateLimit()));
        boolean fresh = checkpoint == null || checkpoint.path("complete").asBoolean(false) || !checkpoint.has("phase");
        if (fresh) {
            return new Pass(http, scope, true, 0, null, null, false, 0);
        }
        boolean reading = "read".equals(checkpoint.path("phase").asText());
        Instant readFrom = checkpoint.hasNonNull("read_from") ? Instant.parse(checkpoint.get("read_from").asText()) : null;
        Instant since = checkpoint.hasNonNull("since") ? Instant.parse(checkpoint.get("since").asText()) : null;
        return new Pass(http, scope, reading, checkpoint.path("offset").asInt(0), readFrom, since, readFrom != null,
                checkpoint.path("after").asLong(0));
    }

    /** What the account holds of one person, as the last read or send left it. */
    private record Held(boolean blocklisted, Set<Long> lists, Set<Long> unsubscribed, boolean gone) {
    }

    /** One lead as the list gets it; {@code held} null when Brevo is not known to hold the contact. */
    private record Contact(long leadId, String email, ObjectNode attributes, byte[] contentHash, byte[] sentHash,
                           Held held, boolean suppressed) {
        String id() {
            return Long.toString(leadId);
        }
    }

    /** What a batch leaves to record with its checkpoint. */
    private record Outcomes(Map<String, byte[]> sent, Set<String> gone, List<ObjectNode> read, Instant readUntil) {
    }

    private final class Pass implements DestinationPass {
        private final VendorHttp http;
        private final EmailListScope scope;
        private final Map<Integer, Outcomes> toRecord = new ConcurrentHashMap<>();
        private boolean reading;
        private int offset;
        private Instant readFrom;
        /** Read what changed since then; null reads everything. Known once the read began. */
        private Instant since;
        private boolean sinceKnown;
        /** The read this pass made is committed (or the pass made none). */
        private boolean readSettled;
        private long after;
        private int number;

        Pass(VendorHttp http, EmailListScope scope, boolean reading, int offset, Instant readFrom, Instant since,
             boolean sinceKnown, long after) {
            this.http = http;
            this.scope = scope;
            this.reading = reading;
            this.offset = offset;
            this.readFrom = readFrom;
            this.since = since;
            this.sinceKnown = sinceKnown;
            this.after = after;
        }

        @Override
        public SentBatch sendNext(TimeBudget budget) {
            number++;
            try {
                return reading ? readNext(budget) : sendBatch(budget);
            } catch (VendorException e) {
                if (e.status() == 429 && !(e instanceof VendorLimitReached)) {
                    // The retries did not outlast the storm: the run goes on after a reset, from this batch.
                    throw new VendorLimitReached("Brevo", 429, e.getMessage(), clock.instant().plus(Duration.ofMinutes(1)));
                }
                throw e;
            }
        }

        /** One page of what the account changed since the last read (everything, the first time). */
        private SentBatch readNext(TimeBudget budget) {
            if (readFrom == null) {
                // As the database keeps it (microseconds), so that the send can find it committed.
                readFrom = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            }
            if (!sinceKnown) {
                since = lastRead();
                sinceKnown = true;
            }
            StringBuilder query = new StringBuilder("contacts?limit=").append(READ_PAGE).append("&offset=").append(offset)
                    .append("&sort=asc");
            if (since != null) {
                query.append("&modifiedSince=").append(URLEncoder.encode(since.toString(), StandardCharsets.UTF_8));
            }
            JsonNode page = readJson(http.get(base.resolve(query.toString()), budget));
            List<ObjectNode> contacts = new ArrayList<>();
            for (JsonNode c : page.path("contacts")) {
                if (c.isObject()) {
                    contacts.add((ObjectNode) c);
                }
            }
            boolean last = page.path("contacts").size() < READ_PAGE;
            offset += page.path("contacts").size();
            toRecord.put(number, new Outcomes(Map.of(), Set.of(), contacts, last ? readFrom : null));
            ObjectNode cursor = scope.toJson();
            if (last) {
                reading = false;
                cursor.put("phase", "send").put("after", 0);
            } else {
                cursor.put("phase", "read").put("offset", offset).put("read_from", readFrom.toString());
                if (since != null) {
                    cursor.put("since", since.toString());
                }
            }
            return new SentBatch(number, List.of(), cursor, false);
        }

        /**
         * The engine records a batch while the next one is sent: the first send of a pass that read the account waits
         * until the read's last page is committed (its read_until), so that no contact is judged on state not yet
         * written, such as an opt-out just read.
         */
        private void awaitRead(TimeBudget budget) {
            if (readFrom == null || readSettled) {
                return;
            }
            Timestamp expected = Timestamp.from(readFrom);
            for (int attempt = 0; ; attempt++) {
                boolean committed = database.read(connection -> {
                    try (PreparedStatement select = connection.prepareStatement(
                            "SELECT 1 FROM brevo_contact_reads WHERE account = 'default' AND read_until = ?")) {
                        select.setTimestamp(1, expected);
                        try (ResultSet rs = select.executeQuery()) {
                            return rs.next();
                        }
                    }
                });
                if (committed) {
                    readSettled = true;
                    return;
                }
                if (attempt >= 600 || !budget.allows(clock.instant(), Duration.ofSeconds(1))) {
                    throw new IllegalStateException("the read of the Brevo account was not recorded; the run goes on from it");
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the read of the Brevo account was recorded", e);
                }
            }
        }

        private Instant lastRead() {
            return database.read(connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT read_until FROM brevo_contact_reads WHERE account = 'default'");
                     ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getTimestamp(1).toInstant().minus(READ_OVERLAP) : null;
                }
            });
        }

        private SentBatch sendBatch(TimeBudget budget) {
            awaitRead(budget);
            List<Contact> batch = database.read(this::read);
            if (batch.isEmpty()) {
                return new SentBatch(number, List.of(), cursor(true), true);
            }
            Map<String, SentRecord> outcomes = new LinkedHashMap<>();
            Map<String, byte[]> sent = new HashMap<>();
            Set<String> gone = new HashSet<>();
            List<Contact> update = new ArrayList<>();
            List<Contact> create = new ArrayList<>();
            for (Contact c : batch) {
                Held held = c.held();
                boolean optedOut = held != null && (held.blocklisted() || held.unsubscribed().contains(scope.listId()));
                if (c.suppressed()) {
                    outcomes.put(c.id(), SentRecord.suppressed(c.id()));
                } else if (optedOut || (held != null && held.gone())
                        || (c.sentHash() != null && Sha256.same(c.sentHash(), c.contentHash()))) {
                    outcomes.put(c.id(), SentRecord.unchanged(c.id()));
                } else if (held != null) {
                    update.add(c);
                } else {
                    create.add(c);
                }
            }
            List<Contact> updated = new ArrayList<>();
            for (int i = 0; i < update.size(); i += UPDATE_CHUNK) {
                updateSplitting(update.subList(i, Math.min(update.size(), i + UPDATE_CHUNK)), budget, outcomes, updated, gone);
            }
            List<Contact> toAdd = updated.stream().filter(c -> !c.held().lists().contains(scope.listId())).toList();
            addToList(toAdd, budget, outcomes);
            for (Contact c : updated) {
                outcomes.putIfAbsent(c.id(), SentRecord.updated(c.id()));
            }
            for (Contact c : create) {
                outcomes.put(c.id(), create(c, budget));
            }
            for (Contact c : batch) {
                SentRecord outcome = outcomes.get(c.id());
                if (outcome.outcome() == SentRecord.Outcome.CREATED || outcome.outcome() == SentRecord.Outcome.UPDATED) {
                    sent.put(c.email(), c.contentHash());
                }
            }
            after = batch.get(batch.size() - 1).leadId();
            toRecord.put(number, new Outcomes(sent, gone, List.of(), null));
            boolean last = batch.size() < batchSize;
            return new SentBatch(number, batch.stream().map(c -> outcomes.get(c.id())).toList(), cursor(last), last);
        }

        private JsonNode cursor(boolean complete) {
            ObjectNode cursor = scope.toJson().put("phase", "send").put("after", after);
            return complete ? cursor.put("complete", true) : cursor;
        }

        @Override
        public void recorded(Connection connection, SentBatch batch) throws SQLException {
            Outcomes outcomes = toRecord.remove(batch.number());
            if (outcomes == null) {
                return;
            }
            Timestamp now = Timestamp.from(clock.instant());
            if (!outcomes.read().isEmpty()) {
                recordRead(connection, outcomes.read(), now);
            }
            if (outcomes.readUntil() != null) {
                try (PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO brevo_contact_reads (account, read_until) VALUES ('default', ?)
                        ON CONFLICT (account) DO UPDATE SET read_until = EXCLUDED.read_until""")) {
                    upsert.setTimestamp(1, Timestamp.from(outcomes.readUntil()));
                    upsert.executeUpdate();
                }
            }
            if (!outcomes.sent().isEmpty()) {
                try (PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO email_list_contacts (email_hash, list_id, content_hash, sent_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (email_hash, list_id) DO UPDATE SET content_hash = EXCLUDED.content_hash,
                            sent_at = EXCLUDED.sent_at""");
                     PreparedStatement held = connection.prepareStatement("""
                        INSERT INTO brevo_contacts (email_hash, list_ids, seen_at) VALUES (?, ARRAY[?::bigint], ?)
                        ON CONFLICT (email_hash) DO UPDATE SET seen_at = EXCLUDED.seen_at,
                            list_ids = CASE WHEN ?::bigint = ANY(brevo_contacts.list_ids) THEN brevo_contacts.list_ids
                                            ELSE brevo_contacts.list_ids || ?::bigint END""")) {
                    for (Map.Entry<String, byte[]> e : outcomes.sent().entrySet()) {
                        byte[] hash = Sha256.digest(e.getKey());
                        upsert.setBytes(1, hash);
                        upsert.setLong(2, scope.listId());
                        upsert.setBytes(3, e.getValue());
                        upsert.setTimestamp(4, now);
                        upsert.addBatch();
                        held.setBytes(1, hash);
                        held.setLong(2, scope.listId());
                        held.setTimestamp(3, now);
                        held.setLong(4, scope.listId());
                        held.setLong(5, scope.listId());
                        held.addBatch();
                    }
                    upsert.executeBatch();
                    held.executeBatch();
                }
            }
            if (!outcomes.gone().isEmpty()) {
                try (PreparedStatement mark = connection.prepareStatement(
                        "UPDATE brevo_contacts SET gone = true, seen_at = ? WHERE email_hash = ?")) {
                    for (String email : outcomes.gone()) {
                        mark.setTimestamp(1, now);
                        mark.setBytes(2, Sha256.digest(email));
                        mark.addBatch();
                    }
                    mark.executeBatch();
                }
            }
        }

        /** The contacts of one read page, by the hash of the email's normal form; the address itself is not kept. */
        private void recordRead(Connection connection, List<ObjectNode> contacts, Timestamp now) throws SQLException {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO brevo_contacts (email_hash, blocklisted, list_ids, unsubscribed_list_ids, gone, seen_at)
                    VALUES (?, ?, ?, ?, false, ?)
                    ON CONFLICT (email_hash) DO UPDATE SET blocklisted = EXCLUDED.blocklisted,
                        list_ids = EXCLUDED.list_ids, unsubscribed_list_ids = EXCLUDED.unsubscribed_list_ids,
                        gone = false, seen_at = EXCLUDED.seen_at""")) {
                for (ObjectNode c : contacts) {
                    String email = Emails.normalize(c.path("email").asText(null));
                    if (email == null) {
                        continue;
                    }
                    upsert.setBytes(1, Sha256.digest(email));
                    upsert.setBoolean(2, c.path("emailBlacklisted").asBoolean(false));
                    upsert.setArray(3, connection.createArrayOf("bigint", ids(c.path("listIds"))));
                    upsert.setArray(4, connection.createArrayOf("bigint", ids(c.path("listUnsubscribed"))));
                    upsert.setTimestamp(5, now);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        }

        private List<Contact> read(Connection connection) throws SQLException {
            List<Contact> contacts = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT l.id, l.email, l.first_name, l.last_name, l.phone, l.first_touch_source, l.erased_at,
                           ap.bookings, ap.services, ap.last_booking, c.content_hash,
                           h.email_hash IS NOT NULL AS held, h.blocklisted, h.list_ids, h.unsubscribed_list_ids, h.gone
                    FROM leads l
                    LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE a.outcome <> 'cancelled') AS bookings,
                            array_agg(DISTINCT a.service_name ORDER BY a.service_name)
                                FILTER (WHERE a.service_name IS NOT NULL AND a.outcome <> 'cancelled') AS services,
                            max(a.start_at) FILTER (WHERE a.outcome <> 'cancelled') AS last_booking
                        FROM easyappointments_appointments a WHERE a.lead_id = l.id) ap ON true
                    LEFT JOIN email_list_contacts c
                        ON c.email_hash = sha256(convert_to(l.email, 'UTF8')) AND c.list_id = ?
                    LEFT JOIN brevo_contacts h ON h.email_hash = sha256(convert_to(l.email, 'UTF8'))
                    WHERE l.id > ? AND\s""" + scope.condition() + " ORDER BY l.id LIMIT ?")) {
                select.setLong(1, scope.listId());
                select.setLong(2, after);
                int next = scope.bind(select, 3);
                select.setInt(next, batchSize);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Timestamp last = rs.getTimestamp("last_booking");
                        java.sql.Array services = rs.getArray("services");
                        ObjectNode attributes = attributes(rs.getString("first_name"), rs.getString("last_name"),
                                rs.getString("phone"), rs.getString("first_touch_source"), rs.getInt("bookings"),
                                services == null ? List.of() : Arrays.asList((String[]) services.getArray()),
                                last == null ? null : last.toInstant());
                        byte[] content = Sha256.digest(scope.listId() + "\n" + attributes);
                        Held held = rs.getBoolean("held")
                                ? new Held(rs.getBoolean("blocklisted"), longs(rs.getArray("list_ids")),
                                        longs(rs.getArray("unsubscribed_list_ids")), rs.getBoolean("gone"))
                                : null;
                        // An erased lead is an anonymous row kept for the funnel's counts: never a contact.
                        contacts.add(new Contact(rs.getLong("id"), rs.getString("email"), attributes, content,
                                rs.getBytes("content_hash"), held, rs.getTimestamp("erased_at") != null));
                    }
                }
            }
            Set<String> suppressed = suppressions.suppressed(connection, contacts.stream().map(Contact::email).toList());
            return contacts.stream().map(c -> !c.suppressed() && suppressed.contains(c.email())
                    ? new Contact(c.leadId(), c.email(), c.attributes(), c.contentHash(), c.sentHash(), c.held(), true)
                    : c).toList();
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

        /**
         * One batch update; when Brevo fails it whole (404 for an unknown contact, 400 for one it refuses), its
         * halves are sent apart until each contact fails alone: an unknown one is {@code gone}, never created again.
         */
        private void updateSplitting(List<Contact> contacts, TimeBudget budget, Map<String, SentRecord> outcomes,
                                     List<Contact> updated, Set<String> gone) {
            ObjectNode body = json.createObjectNode();
            ArrayNode list = body.putArray("contacts");
            for (Contact c : contacts) {
                list.addObject().put("email", c.email()).set("attributes", c.attributes());
            }
            try {
                http.post(base.resolve("contacts/batch"), bytes(body), budget);
                updated.addAll(contacts);
            } catch (VendorException e) {
                if (e.status() != 404 && e.status() != 400) {
                    throw e;
                }
                if (contacts.size() > 1) {
                    int half = contacts.size() / 2;
                    updateSplitting(contacts.subList(0, half), budget, outcomes, updated, gone);
                    updateSplitting(contacts.subList(half, contacts.size()), budget, outcomes, updated, gone);
                    return;
                }
                Contact c = contacts.get(0);
                if (e.status() == 404) {
                    gone.add(c.email());
                    outcomes.put(c.id(), SentRecord.failed(c.id(),
                            "Brevo no longer holds this contact (deleted there); it is not created again"));
                } else {
                    outcomes.put(c.id(), SentRecord.failed(c.id(), refusal(e)));
                }
            }
        }

        /** Contacts Brevo holds outside the list, 150 a request; Brevo answers which it could not add. */
        private void addToList(List<Contact> contacts, TimeBudget budget, Map<String, SentRecord> outcomes) {
            for (int i = 0; i < contacts.size(); i += MAX_LIST_ADD) {
                List<Contact> chunk = contacts.subList(i, Math.min(contacts.size(), i + MAX_LIST_ADD));
                ObjectNode body = json.createObjectNode();
                ArrayNode emails = body.putArray("emails");
                chunk.forEach(c -> emails.add(c.email()));
                JsonNode answer = readJson(http.post(base.resolve("contacts/lists/" + scope.listId() + "/contacts/add"),
                        bytes(body), budget));
                Set<String> failed = new HashSet<>();
                for (JsonNode email : answer.path("contacts").path("failure")) {
                    failed.add(email.asText().toLowerCase(Locale.ROOT));
                }
                for (Contact c : chunk) {
                    if (failed.contains(c.email().toLowerCase(Locale.ROOT))) {
                        outcomes.put(c.id(), SentRecord.failed(c.id(), "Brevo did not add it to the list"));
                    }
                }
            }
        }

        /** A contact Brevo is not known to hold: created (or, held after all, updated) with the list. */
        private SentRecord create(Contact contact, TimeBudget budget) {
            ObjectNode attributes = contact.attributes().deepCopy();
            try {
                return upsert(contact, attributes, budget);
            } catch (VendorException e) {
                if (e.status() == 400 && attributes.has("SMS") && smsHeldElsewhere(e)) {
                    attributes.remove("SMS");
                    try {
                        return upsert(contact, attributes, budget);
                    } catch (VendorException again) {
                        if (again.status() == 400) {
                            return SentRecord.failed(contact.id(), refusal(again));
                        }
                        throw again;
                    }
                }
                if (e.status() == 400) {
                    return SentRecord.failed(contact.id(), refusal(e));
                }
                throw e;
            }
        }

        private SentRecord upsert(Contact contact, ObjectNode attributes, TimeBudget budget) {
            ObjectNode body = json.createObjectNode();
            body.put("email", contact.email());
            body.set("attributes", attributes);
            body.putArray("listIds").add(scope.listId());
            body.put("updateEnabled", true);
            byte[] answer = http.post(base.resolve("contacts"), bytes(body), budget);
            // 201 {"id": n} for a new contact, 204 without a body for one updated.
            return answer.length == 0 ? SentRecord.updated(contact.id()) : SentRecord.created(contact.id());
        }
    }

    private byte[] bytes(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode readJson(byte[] body) {
        try {
            return body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new VendorException("Brevo", 200, "Brevo answered with a body that is not JSON", null);
        }
    }

    private static Long[] ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode id : array) {
            if (id.canConvertToLong()) {
                ids.add(id.asLong());
            }
        }
        return ids.toArray(Long[]::new);
    }

    private static Set<Long> longs(java.sql.Array array) throws SQLException {
        return array == null ? Set.of() : new HashSet<>(Arrays.asList((Long[]) array.getArray()));
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null && !value.isBlank()) {
            node.put(name, value.strip());
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
}
