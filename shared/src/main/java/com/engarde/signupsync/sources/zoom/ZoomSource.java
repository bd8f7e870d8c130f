package com.engarde.signupsync.sources.zoom;

import com.engarde.signupsync.input.InputText;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.credentials.MissingCredential;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.funnel.Utm;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.sync.Deletions;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Zoom webinars as a pull source.
 * <p>
 * <b>Cursor design.</b> Zoom has no "changed since" filter. A pass lists the account's active users and
 * their webinars, then for each webinar reads its registration tracking sources (whose registrants carry their
 * UTM), its registrants of every status (approved, pending, denied: Zoom answers approved ones only unless
 * asked) in pages of 300, which is how a status change is seen, then
 * the webinar's ended runs ({@code /past_webinars/{id}/instances}) and, for each run not read before, its
 * participants from the report with their registrant ids. An ended run does not change: the checkpoint
 * ({@link ZoomCursor}) remembers it, so a later pass makes no report call for it. A webinar that is gone
 * (3001) or a user without a webinar licence (3161) is a skipped record of the run, named in its log.
 * <p>
 * Deletions are not looked for: a registrant Zoom no longer lists keeps its registration.
 */
@Singleton
public class ZoomSource implements SyncSource {

    private static final Logger LOG = LoggerFactory.getLogger(ZoomSource.class);

    private final ZoomSettings settings;
    private final SourceCredentials credentials;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;
    private ZoomClient client;

    public ZoomSource(ZoomSettings settings, SourceCredentials credentials, RetryPolicy retry, Clock clock,
                      ObjectMapper mapper) {
        this.settings = settings;
        this.credentials = credentials;
        this.retry = retry;
        this.clock = clock;
        this.mapper = mapper;
    }

    @Override
    public String sourceType() {
        return ZoomIntegration.ZOOM.id();
    }

    /** Registrants and attendances are read webinar by webinar, in no key order, and Zoom keeps them: none. */
    @Override
    public Deletions deletions() {
        return Deletions.NONE;
    }

    @Override
    public SyncPass open(JsonNode checkpoint) {
        ZoomCursor cursor = ZoomCursor.parse(checkpoint);
        if (cursor == null || cursor.done()) {
            cursor = ZoomCursor.start(cursor == null ? new LinkedHashSet<>() : cursor.readRuns());
        }
        return new Pass(client(), cursor);
    }

    private ZoomClient client() {
        Credentials found = credentials.find(sourceType()).orElseThrow(() -> new VendorException(ZoomClient.VENDOR, 0,
                "Zoom has no credentials configured (account_id, client_id, client_secret)", null));
        String account;
        String id;
        String secret;
        try {
            account = found.require("account_id");
            id = found.require("client_id");
            secret = found.require("client_secret");
        } catch (MissingCredential e) {
            throw new VendorException(ZoomClient.VENDOR, 0, e.getMessage(), null);
        }
        // One client per container and credential: its token and its pacing span consecutive runs.
        synchronized (this) {
            if (client == null || !client.uses(account, id, secret)) {
                client = new ZoomClient(settings, account, id, secret, retry, clock, mapper);
            }
            return client;
        }
    }

    private final class Pass implements SyncPass {
        private final ZoomClient api;
        private ZoomCursor cursor;
        private int number;
        /** The current webinar's registrants, for joining its participants; read again if the pass resumed past them. */
        private final Map<String, ZoomMapper.Registrant> registrants = new HashMap<>();
        private String registrantsOf;
        private JsonNode instances;
        /** The current webinar's registrants who came by a tracking source, with its UTM; null until read. */
        private Map<String, Utm> attribution;

        Pass(ZoomClient api, ZoomCursor cursor) {
            this.api = api;
            this.cursor = cursor;
        }

        @Override
        public SyncPage next(TimeBudget budget) {
            List<SyncRecord> records = new ArrayList<>();
            if (!cursor.listed()) {
                cursor = cursor.listed(webinars(records, budget));
            }
            while (!cursor.done()) {
                String webinar = cursor.webinar();
                if (!webinar.equals(registrantsOf)) {
                    registrants.clear();
                    registrantsOf = webinar;
                    instances = null;
                    attribution = null;
                }
                try {
                    if (cursor.stage() < ZoomCursor.RUNS) {
                        if (registrantsPage(webinar, records, budget)) {
                            return page(records);
                        }
                    } else if (runPage(webinar, records, budget)) {
                        return page(records);
                    }
                } catch (VendorException e) {
                    if (!ZoomClient.NOT_FOUND.equals(e.code())) {
                        throw e;
                    }
                    records.add(SyncRecord.failed("webinar:" + webinar, null,
                            "webinar " + webinar + " was deleted or has expired (Zoom 3001); skipped"));
                    cursor = cursor.nextWebinar();
                    return page(records);
                }
            }
            return page(records);
        }

        private SyncPage page(List<SyncRecord> records) {
            return new SyncPage(++number, records, null, cursor.json(), cursor.done());
        }

        /** Every active user's webinars; users Zoom does not let host webinars are skipped records. */
        private List<String> webinars(List<SyncRecord> skipped, TimeBudget budget) {
            List<String> users = new ArrayList<>();
            String token = null;
            do {
                ZoomClient.Page page = api.users(token, budget);
                page.items().forEach(u -> users.add(u.path("id").asText()));
                token = page.next();
            } while (token != null);
            List<String> webinars = new ArrayList<>();
            for (String user : users) {
                try {
                    token = null;
                    do {
                        ZoomClient.Page page = api.webinars(user, token, budget);
                        page.items().forEach(w -> webinars.add(w.path("id").asText()));
                        token = page.next();
                    } while (token != null);
                } catch (VendorException e) {
                    if (!ZoomClient.NOT_LICENSED.equals(e.code())) {
                        throw e;
                    }
                    skipped.add(SyncRecord.failed("user:" + user, null,
                            "user " + user + " has no webinar licence (Zoom 3161); skipped"));
                }
            }
            LOG.info("Zoom: {} users, {} webinars, {} runs read before", users.size(), webinars.size(),
                    cursor.readRuns().size());
            return List.copyOf(new LinkedHashSet<>(webinars));
        }

        /** One page of registrants of the current status; true when it made records to hand out. */
        private boolean registrantsPage(String webinar, List<SyncRecord> records, TimeBudget budget) {
            String status = ZoomCursor.STATUSES.get(cursor.stage());
            ZoomClient.Page page;
            String token = cursor.token(clock.instant());
            try {
                page = api.registrants(webinar, status, token, budget);
            } catch (VendorException e) {
                if (token == null || !ZoomClient.EXPIRED_PAGE_TOKEN.equals(e.code())) {
                    throw e;
                }
                // The listing is restarted: its first pages are read again and found unchanged.
                LOG.info("Zoom: page token of webinar {} {} registrants expired; listing them again", InputText.escaped(webinar),
                        status);
                page = api.registrants(webinar, status, null, budget);
            }
            if (attribution == null && !page.items().isEmpty()) {
                attribution = attribution(webinar, budget);
            }
            for (JsonNode r : page.items()) {
                records.add(ZoomMapper.registrant(webinar, r, registrants,
                        attribution == null ? Utm.NONE : attribution.getOrDefault(r.path("id").asText(""), Utm.NONE)));
            }
            cursor = page.next() == null ? cursor.nextStage() : cursor.nextPage(page.next(), clock.instant());
            return !records.isEmpty();
        }

        /** The participants of the webinar's next unread run; false when every run was read. */
        private boolean runPage(String webinar, List<SyncRecord> records, TimeBudget budget) {
            if (instances == null) {
                instances = api.instances(webinar, budget);
            }
            for (JsonNode run : instances) {
                String uuid = run.path("uuid").asText("");
                if (uuid.isEmpty() || cursor.readRuns().contains(uuid)) {
                    continue;
                }
                if (registrants.isEmpty()) {
                    readRegistrants(webinar, budget);
                }
                List<JsonNode> rows = new ArrayList<>();
                String token = null;
                do {
                    ZoomClient.Page page = api.participants(uuid, token, budget);
                    page.items().forEach(rows::add);
                    token = page.next();
                } while (token != null);
                Instant start = ZoomMapper.time(run, "start_time");
                records.addAll(ZoomMapper.attendance(webinar, uuid, start, rows, registrants));
                cursor = cursor.read(uuid);
                return true;
            }
            cursor = cursor.nextWebinar();
            return !records.isEmpty();
        }

        /**
         * Who registered through which tracking source: one request for the webinar's sources, and for each source
         * with registrations its registrants (ids only), status by status until its registration count is found.
         * A webinar shared through one link only (most) costs the one request.
         */
        private Map<String, Utm> attribution(String webinar, TimeBudget budget) {
            Map<String, Utm> found = new HashMap<>();
            for (JsonNode source : api.trackingSources(webinar, budget)) {
                String id = source.path("id").asText("");
                int count = source.path("registration_count").asInt(-1);
                Utm utm = ZoomMapper.trackingUtm(source);
                if (id.isEmpty() || count == 0 || utm.equals(Utm.NONE)) {
                    continue;
                }
                int seen = 0;
                for (String status : ZoomCursor.STATUSES) {
                    if (count > 0 && seen >= count) {
                        break;
                    }
                    String token = null;
                    do {
                        ZoomClient.Page page = api.registrants(webinar, status, id, token, budget);
                        for (JsonNode r : page.items()) {
                            found.putIfAbsent(r.path("id").asText(""), utm);
                            seen++;
                        }
                        token = page.next();
                    } while (token != null);
                }
            }
            return found;
        }

        /** The registrants of a webinar whose registrant pages an earlier invocation read: only for the join. */
        private void readRegistrants(String webinar, TimeBudget budget) {
            for (String status : ZoomCursor.STATUSES) {
                String token = null;
                do {
                    ZoomClient.Page page = api.registrants(webinar, status, token, budget);
                    page.items().forEach(r -> ZoomMapper.registrant(webinar, r, registrants));
                    token = page.next();
                } while (token != null);
            }
        }

    }
}
