package com.engarde.signupsync.sources.eventbrite;

import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.credentials.MissingCredential;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.sync.Deletions;
import com.engarde.signupsync.sync.KnownRecord;
import com.engarde.signupsync.sync.MissingRecords;
import com.engarde.signupsync.sync.SyncPage;
import com.engarde.signupsync.sync.SyncPass;
import com.engarde.signupsync.sync.SyncRecord;
import com.engarde.signupsync.sync.SyncSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Eventbrite attendees and orders as a pull source.
 * <p>
 * <b>Cursor design.</b> A pass reads the organization's attendees, then its orders, at organization level
 * ({@code /organizations/{id}/attendees/}, {@code /organizations/{id}/orders/}), not event by event: the
 * requests grow with the records changed, not with the number of events. Each listing asks
 * {@code changed_since} its newest {@code changed} already read less an overlap of at least 10 minutes
 * ({@link EventbriteCursor}), because Eventbrite's lists are eventually consistent; what the overlap reads
 * again is found unchanged. A listing is over when {@code has_more_items} is false, whatever continuation
 * token comes with it. The organization is the configured {@code organization_id}, else the token's first.
 * <p>
 * Deletions are not looked for: Eventbrite lists a cancelled or refunded record as a change.
 */
@Singleton
public class EventbriteSource implements SyncSource {

    private static final Logger LOG = LoggerFactory.getLogger(EventbriteSource.class);

    private final EventbriteSettings settings;
    private final SourceCredentials credentials;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;
    private EventbriteClient client;

    public EventbriteSource(EventbriteSettings settings, SourceCredentials credentials, RetryPolicy retry, Clock clock,
                            ObjectMapper mapper) {
        this.settings = settings;
        this.credentials = credentials;
        this.retry = retry;
        this.clock = clock;
        this.mapper = mapper;
    }

    @Override
    public String sourceType() {
        return EventbriteIntegration.EVENTBRITE.id();
    }

    /** Eventbrite lists a cancelled or refunded record as a change, never as a gap: none. */
    @Override
    public Deletions deletions() {
        return Deletions.NONE;
    }

    @Override
    public SyncPass open(JsonNode checkpoint) {
        Credentials found = credentials.find(sourceType()).orElseThrow(() -> new VendorException(EventbriteClient.VENDOR,
                0, "Eventbrite has no credentials configured (private_token)", null));
        String token;
        try {
            token = found.require("private_token");
        } catch (MissingCredential e) {
            throw new VendorException(EventbriteClient.VENDOR, 0, e.getMessage(), null);
        }
        return new Pass(client(token), found.field("organization_id").orElse(null), EventbriteCursor.parse(checkpoint));
    }

    private EventbriteClient client(String token) {
        // One client per container and token: its pacing spans consecutive runs.
        synchronized (this) {
            if (client == null || !client.uses(token)) {
                client = new EventbriteClient(settings, token, retry, clock, mapper);
            }
            return client;
        }
    }

    private final class Pass implements SyncPass {
        private final EventbriteClient api;
        private final String configured;
        private final EventbriteCursor stored;
        private EventbriteCursor cursor;
        private int number;

        Pass(EventbriteClient api, String configured, EventbriteCursor stored) {
            this.api = api;
            this.configured = configured;
            this.stored = stored;
        }

        @Override
        public SyncPage next(TimeBudget budget) {
            if (cursor == null) {
                cursor = begin(budget);
            }
            EventbriteCursor.Listing listing = cursor.listing();
            EventbriteClient.Page page;
            try {
                page = fetch(listing.since(), cursor.continuation(), budget);
            } catch (VendorException e) {
                if (cursor.continuation() == null || !EventbriteClient.BAD_CONTINUATION.equals(e.code())) {
                    throw e;
                }
                // The listing is read again from its window's start: a few pages twice, nothing lost.
                LOG.info("Eventbrite: the continuation of the {} listing was refused; reading it again",
                        EventbriteCursor.LISTINGS.get(cursor.stage()));
                cursor = cursor.restartListing();
                page = fetch(listing.since(), null, budget);
            }
            boolean orders = cursor.stage() == EventbriteCursor.ORDERS;
            List<SyncRecord> records = new ArrayList<>(page.items().size());
            Instant newest = null;
            for (JsonNode item : page.items()) {
                records.add(orders ? EventbriteMapper.order(item) : EventbriteMapper.attendee(item));
                Instant changed = EventbriteMapper.changed(item);
                if (changed != null && (newest == null || changed.isAfter(newest))) {
                    newest = changed;
                }
            }
            cursor = cursor.after(page.continuation(), newest);
            return new SyncPage(++number, records, null, cursor.json(), cursor.done());
        }

        private EventbriteClient.Page fetch(Instant since, String continuation, TimeBudget budget) {
            String organization = cursor.organization();
            return cursor.stage() == EventbriteCursor.ORDERS
                    ? api.orders(organization, since, continuation, budget)
                    : api.attendees(organization, since, continuation, budget);
        }

        /** Resumes the stored pass, or starts the next one over the configured (else the token's first) organization. */
        private EventbriteCursor begin(TimeBudget budget) {
            if (stored != null && !stored.done() && (configured == null || configured.equals(stored.organization()))) {
                return stored;
            }
            String organization = configured != null ? configured : firstOrganization(budget);
            EventbriteCursor next = EventbriteCursor.start(stored, organization, settings.overlap());
            LOG.info("Eventbrite: organization {}, attendees changed since {}, orders changed since {}", InputText.escaped(organization),
                    next.listings().get(0).since(), next.listings().get(1).since());
            return next;
        }

        private String firstOrganization(TimeBudget budget) {
            for (JsonNode organization : api.organizations(budget)) {
                String id = organization.path("id").asText("");
                if (!id.isEmpty()) {
                    return id;
                }
            }
            throw new VendorException(EventbriteClient.VENDOR, 200,
                    "the Eventbrite token belongs to no organization; set organization_id", null);
        }

        @Override
        public MissingRecords resolveMissing(SyncPage page, List<KnownRecord> missing, TimeBudget budget) {
            return MissingRecords.NONE;
        }
    }
}
