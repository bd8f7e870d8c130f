package com.engarde.signupsync.sources.easyappointments;

import com.engarde.signupsync.appointments.Appointment;
import com.engarde.signupsync.appointments.Appointments;
import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.credentials.MissingCredential;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.http.VendorHttp;
import com.engarde.signupsync.funnel.EventType;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.FailedRecord;
import com.engarde.signupsync.sync.KnownRecord;
import com.engarde.signupsync.sync.MissingRecords;
import com.engarde.signupsync.sync.RawFingerprint;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.sync.SortKey;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.SyncSource;
import com.engarde.signupsync.http.VendorException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EasyAppointments as a pull source.
 * <p>
 * <b>Cursor design.</b> The API has no "changed since" filter and appointments have no visible update time,
 * so every run reads a listing sorted by id, in passes of two kinds:
 * <ul>
 *   <li>a <b>window pass</b> (most days): appointments starting on or after today minus
 *       {@code EASYAPPOINTMENTS_WINDOW_DAYS} (API filter {@code from}). New bookings, status changes,
 *       reschedules and cancellations happen to upcoming and recent appointments, so the window sees them,
 *       and each appointment is read again after it ends, which is when it becomes completed;</li>
 *   <li>a <b>full pass</b> (the first run, then every {@code EASYAPPOINTMENTS_FULL_PASS_EVERY}): every
 *       appointment, to catch edits and deletions of old ones.</li>
 * </ul>
 * The checkpoint ({@link EasyAppointmentsCursor}) holds the pass, its next page and the highest id read, so a
 * run that stops (time budget, crash) resumes on the next page. Re-reading costs little: the engine skips
 * records whose mapping has not changed without writing.
 * <p>
 * <b>Deletions.</b> A customer's cancellation on the booking page hard-deletes the appointment. A page sorted
 * by id covers the id range from the previous page's highest id to its own (the last page: to the end); a
 * stored appointment in that range that the page does not list is missing. On a full pass it is gone, unless
 * the listing may have shifted under us (pages are offsets: a deletion in an earlier page moves later rows
 * back by one), which only affects ids below the page's first id on pages after the first: those, and every
 * missing appointment of a window pass (it may have been moved out of the window), are confirmed one by one
 * with {@code GET /appointments/{id}}, 404 meaning deleted. A deleted upcoming appointment gets an
 * {@code appointment_cancelled} event, so it does not linger as booked; a deleted past one is only marked.
 */
@Singleton
public class EasyAppointmentsSource implements SyncSource {

    private static final Logger LOG = LoggerFactory.getLogger(EasyAppointmentsSource.class);

    private final EasyAppointmentsSettings settings;
    private final SourceCredentials credentials;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final AppointmentMapper appointments;
    private final Appointments kept;
    private final String mappingVersion;
    private EasyAppointmentsClient client;

    @jakarta.inject.Inject
    public EasyAppointmentsSource(EasyAppointmentsSettings settings, SourceCredentials credentials, RetryPolicy retry,
                                  Clock clock, ObjectMapper mapper, Appointments kept) {
        this(settings, credentials, retry, clock, mapper, kept, AppointmentMapper.VERSION);
    }

    /** As the bean, with another mapping version in the raw fingerprints (a test standing in for a changed mapping). */
    public EasyAppointmentsSource(EasyAppointmentsSettings settings, SourceCredentials credentials, RetryPolicy retry,
                                  Clock clock, ObjectMapper mapper, Appointments kept, String mappingVersion) {
        this.mappingVersion = mappingVersion;
        this.settings = settings;
        this.kept = kept;
        this.credentials = credentials;
        this.retry = retry;
        this.clock = clock;
        this.mapper = mapper;
        this.appointments = new AppointmentMapper(settings);
    }

    @Override
    public String sourceType() {
        return EasyAppointmentsIntegration.EASYAPPOINTMENTS.id();
    }

    @Override
    public Deletions deletions() {
        return Deletions.SORTED_LISTING;
    }

    @Override
    public SyncPass open(JsonNode checkpoint) {
        EasyAppointmentsCursor cursor = EasyAppointmentsCursor.parse(checkpoint);
        if (cursor == null || cursor.done()) {
            Instant now = clock.instant();
            Instant lastFull = cursor == null ? null : cursor.lastFullPassAt();
            boolean full = lastFull == null || !now.isBefore(lastFull.plus(settings.fullPassEvery()));
            cursor = full ? EasyAppointmentsCursor.fullPass(now, lastFull)
                    : EasyAppointmentsCursor.windowPass(LocalDate.ofInstant(now, ZoneOffset.UTC)
                            .minusDays(settings.windowDays()), now, lastFull);
        }
        LOG.info("EasyAppointments: {} pass{}, from page {}", cursor.full() ? "full" : "window",
                cursor.full() ? "" : " from " + cursor.from(), cursor.page());
        return new Pass(client(), cursor);
    }

    private EasyAppointmentsClient client() {
        // Read at every run, so that a rotated key (or one an admin stored) is used without a restart.
        Credentials found = credentials.find(sourceType()).orElseThrow(() -> new VendorException(
                EasyAppointmentsClient.VENDOR, 0, "EasyAppointments has no credentials configured (url, api_key)", null));
        URI base;
        String apiKey;
        try {
            base = EasyAppointmentsSettings.apiBase(found.require("url"));
            apiKey = found.require("api_key");
            VendorHttp.requireSafeBase(base);
        } catch (MissingCredential | IllegalArgumentException e) {
            throw new VendorException(EasyAppointmentsClient.VENDOR, 0, e.getMessage(), null);
        }
        // One client per container, instance and key: its pacing to the rate limit spans consecutive runs.
        synchronized (this) {
            if (client == null || !client.uses(base, apiKey)) {
                client = new EasyAppointmentsClient(settings.http(), base, apiKey, retry, clock, mapper);
            }
            return client;
        }
    }

    private final class Pass implements SyncPass {
        private final EasyAppointmentsClient api;
        private EasyAppointmentsCursor cursor;
        private volatile AppointmentMapper.Catalog catalog;
        /** The mapping version, settings and catalog every appointment's raw fingerprint of this pass covers. */
        private volatile RawFingerprint rawContext;
        /**
         * For servers that ignore with=customer: every customer, listed by page the first time an appointment
         * comes without one; a customer created since is fetched on its own.
         */
        private final Map<Long, JsonNode> customers = new ConcurrentHashMap<>();
        private volatile boolean customersListed;
        /** Appointments mapped and not yet written: by external id, written with the page that lists them. */
        private final Map<String, Appointment> mapped = new ConcurrentHashMap<>();
        /** Each page's missing appointments found deleted, written with that page. */
        private final Map<Integer, List<Long>> deleted = new ConcurrentHashMap<>();
        /** The external ids each page wrote, until a later page shows it committed. */
        private final Map<Integer, List<String>> pageIds = new ConcurrentHashMap<>();
        /** Each page's missing appointments found still there (mapped again), written with that page. */
        private final Map<Integer, List<String>> refound = new ConcurrentHashMap<>();

        Pass(EasyAppointmentsClient api, EasyAppointmentsCursor cursor) {
            this.api = api;
            this.cursor = cursor;
        }

        @Override
        public SyncPage next(TimeBudget budget) {
            if (catalog == null) {
                catalog = new AppointmentMapper.Catalog(api.services(budget), api.providerZones(budget), settings.timezone());
                rawContext = AppointmentMapper.rawContext(mappingVersion, settings, catalog);
            }
            int length = settings.pageSize();
            List<EasyAppointmentsClient.Listed> page = api.appointmentListing(cursor.page(), length, cursor.from(), budget);
            List<SyncRecord> records = new ArrayList<>(page.size());
            long maxId = Long.MIN_VALUE;
            long previous = Long.MIN_VALUE;
            boolean ascending = true;
            for (EasyAppointmentsClient.Listed listed : page) {
                Long id = listed.id();
                if (id != null && listed.customerAttached()) {
                    // The customer comes inside the appointment's bytes: those and the pass's context are all its
                    // mapping reads, so their hash recognises it unchanged without reading it.
                    byte[] raw = rawContext.record(listed.page(), listed.offset(), listed.length());
                    records.add(SyncRecord.raw(Long.toString(id), SortKey.of(id), raw,
                            () -> map(api.tree(listed), clock.instant(), budget)));
                } else {
                    JsonNode appointment = api.tree(listed);
                    records.add(map(appointment, clock.instant(), budget));
                    id = appointment.path("id").canConvertToLong() ? appointment.path("id").asLong() : null;
                }
                if (id != null) {
                    ascending &= id > previous;
                    previous = id;
                    maxId = Math.max(maxId, id);
                }
            }
            boolean last = page.size() < length;
            SyncPage.KeyRange range = null;
            if (ascending) {
                range = SyncPage.KeyRange.between(SortKey.of(cursor.lastId()), last ? null : SortKey.of(maxId));
                if (cursor.from() != null) {
                    range = range.happeningFrom(windowStart());
                }
            } else {
                LOG.warn("EasyAppointments page {} is not sorted by id; deletions are not looked for on it", cursor.page());
            }
            int number = cursor.page();
            cursor = cursor.after(maxId, last);
            return new SyncPage(number, records, range, cursor.json(), last);
        }

        private SyncRecord map(JsonNode appointment, Instant now, TimeBudget budget) {
            JsonNode customer = appointment.get("customer");
            if (customer == null && appointment.path("customerId").canConvertToLong()) {
                long customerId = appointment.get("customerId").asLong();
                listCustomers(budget);
                customer = customers.computeIfAbsent(customerId, id -> api.customer(id, budget).orElse(null));
            }
            AppointmentMapper.Mapped result = appointments.map(appointment, customer, catalog, now);
            if (result.appointment() != null) {
                mapped.put(result.record().externalId(), result.appointment());
            }
            return result.record();
        }

        /** The page's appointments as the admin views keep them, committed with the page's events. */
        @Override
        public void written(Connection connection, SyncPage page, List<FailedRecord> failed) throws SQLException {
            Set<String> refused = new HashSet<>();
            failed.forEach(f -> refused.add(f.externalId()));
            List<String> ids = new ArrayList<>();
            page.records().forEach(r -> ids.add(r.externalId()));
            ids.addAll(refound.getOrDefault(page.number(), List.of()));
            // Read, not taken: the engine calls this again for the same page when it rewrites it record by record.
            forgetBefore(page.number());
            pageIds.computeIfAbsent(page.number(), n -> new ArrayList<>()).addAll(ids);
            List<Appointment> toSave = new ArrayList<>(ids.size());
            for (String id : ids) {
                Appointment appointment = mapped.get(id);
                if (appointment != null && !refused.contains(id)) {
                    toSave.add(appointment);
                }
            }
            kept.save(connection, toSave);
            kept.remove(connection, deleted.getOrDefault(page.number(), List.of()));
        }

        /** Pages before {@code number} were committed (or the run stopped): what they held is no longer needed. */
        private void forgetBefore(int number) {
            pageIds.keySet().removeIf(n -> {
                if (n >= number) {
                    return false;
                }
                pageIds.get(n).forEach(mapped::remove);
                deleted.remove(n);
                refound.remove(n);
                return true;
            });
        }

        private void listCustomers(TimeBudget budget) {
            if (customersListed) {
                return;
            }
            synchronized (customers) {
                if (!customersListed) {
                    customers.putAll(api.customers(budget));
                    customersListed = true;
                    LOG.info("EasyAppointments does not attach customers to appointments; {} customers listed",
                            customers.size());
                }
            }
        }

        /** Stored appointments starting before this lie outside a window pass's listing; with margin for timezones. */
        private Instant windowStart() {
            return cursor.from().atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(14 * 3600);
        }

        @Override
        public MissingRecords resolveMissing(SyncPage page, List<KnownRecord> missing, TimeBudget budget) {
            long firstId = page.records().stream().filter(r -> r.sortKey() != null)
                    .mapToLong(r -> r.sortKey().asLong()).min().orElse(Long.MAX_VALUE);
            boolean full = page.range().happeningFrom() == null;
            Instant now = clock.instant();
            List<MissingRecords.Gone> gone = new ArrayList<>();
            List<SyncRecord> found = new ArrayList<>();
            List<KnownRecord> toConfirm = new ArrayList<>();
            for (KnownRecord k : missing) {
                boolean listingCannotHaveShifted = page.number() == 1 || k.sortKey().asLong() > firstId;
                if (full && listingCannotHaveShifted) {
                    gone.add(gone(k, now));
                } else {
                    toConfirm.add(k);
                }
            }
            if (page.records().isEmpty() && !gone.isEmpty()) {
                // An empty listing where appointments were: make sure the API is not just answering nothing.
                KnownRecord probe = missing.get(0);
                if (api.appointment(Long.parseLong(probe.externalId()), budget).isPresent()) {
                    throw new VendorException(EasyAppointmentsClient.VENDOR, 200, "EasyAppointments listed no appointments"
                            + " on page " + page.number() + " although appointment " + probe.externalId()
                            + " exists; not treating " + missing.size() + " stored appointments as deleted", null);
                }
            }
            for (KnownRecord k : toConfirm) {
                Optional<JsonNode> current = api.appointment(Long.parseLong(k.externalId()), budget);
                if (current.isPresent()) {
                    found.add(map(current.get(), now, budget));
                } else {
                    gone.add(gone(k, now));
                }
            }
            deleted.put(page.number(), gone.stream().map(g -> Long.parseLong(g.externalId())).toList());
            refound.put(page.number(), found.stream().map(SyncRecord::externalId).toList());
            if (!gone.isEmpty()) {
                LOG.info("EasyAppointments: {} appointment(s) deleted at the source, first {}", gone.size(),
                        InputText.escaped(gone.get(0).externalId()));
            }
            return new MissingRecords(gone, found);
        }

        private MissingRecords.Gone gone(KnownRecord k, Instant now) {
            if (k.happensAt() != null && k.happensAt().isBefore(now)) {
                // A past appointment deleted in a clean-up: it happened; only the record is marked.
                return new MissingRecords.Gone(k.externalId(), null, null);
            }
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("appointment_id", Long.parseLong(k.externalId()));
            data.put("status", "deleted");
            return new MissingRecords.Gone(k.externalId(), EventType.APPOINTMENT_CANCELLED, data);
        }
    }
}
