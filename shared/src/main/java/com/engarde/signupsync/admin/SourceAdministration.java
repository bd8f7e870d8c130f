package com.engarde.signupsync.admin;

import com.engarde.signupsync.crypto.PersonKey;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.failure.Conflict;
import com.engarde.signupsync.failure.Forbidden;
import io.swagger.v3.oas.annotations.media.Schema;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.manifest.FunctionManifests;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.TimeBudgetExhausted;
import com.engarde.signupsync.config.SecretValues;
import com.engarde.signupsync.credentials.CredentialCheck;
import com.engarde.signupsync.credentials.CredentialOrigin;
import com.engarde.signupsync.credentials.CredentialShape;
import com.engarde.signupsync.credentials.Credentials;
import com.engarde.signupsync.credentials.NoCredentials;
import com.engarde.signupsync.credentials.MissingCredential;
import com.engarde.signupsync.credentials.SealedCredentials;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.crypto.SealBroken;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.http.VendorException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What admins do with sources: list them with where their credentials come from (never the values), store
 * sealed credentials, verify them with one real vendor call, activate or deactivate a source, and re-seal
 * every stored credential under the current encryption key. Every write that succeeds commits with exactly one
 * audit row (a repeat that changes nothing too); one that fails leaves none.
 */
@Singleton
public class SourceAdministration {

    /** One source as the admin listing shows it. */
    public record SourceView(String sourceType, String displayName, String kind, @Nullable Boolean active,
                             CredentialStatus credentials,
                             @Nullable @Schema(type = "object", nullable = true) Verification verification,
                             @Nullable Instant lastRunAt, @Nullable String lastRunStatus, @Nullable Instant lastSuccessAt) {
    }

    /** Configured or not, and from where: stored, environment or none. {@code readable} is false for a stored row that does not open. */
    public record CredentialStatus(boolean configured, String origin, List<String> fields, boolean readable) {
    }

    /** The outcome of the last verify call; {@code message} is the vendor's error in plain words. */
    public record Verification(Instant verifiedAt, boolean succeeded, @Nullable String message) {
    }

    public record Stored(String sourceType, List<String> fields, String keyVersion) {
    }

    /**
     * A rotation's outcome: {@code resealed}, what this call moved to the current key; {@code sources}, every
     * stored source with its state afterwards ({@code resealed} now, or {@code already_current}).
     */
    public record Rotation(String keyVersion, List<String> resealed, List<SourceKeyState> sources) {
    }

    public record SourceKeyState(String sourceType, String state) {
        static final String RESEALED = "resealed";
        static final String ALREADY_CURRENT = "already_current";
    }

    private static final Logger LOG = LoggerFactory.getLogger(SourceAdministration.class);
    private static final long BODY_LIMIT = 16 * 1024;
    private static final int MESSAGE_LIMIT = 500;
    private static final java.util.regex.Pattern SOURCE_TYPE = java.util.regex.Pattern.compile("^[a-z][a-z0-9_]{1,39}$");

    private final Database database;
    private final SourceCredentials credentials;
    private final SealedCredentials sealed;
    private final Map<String, CredentialCheck> checks = new LinkedHashMap<>();
    private final AuditLog audit;
    private final JsonBodies bodies;
    private final FunctionManifests manifests;
    private final SecretValues settings;
    private final Clock clock;
    private final Duration verifyBudget;

    private final PersonKey personKey;

    public SourceAdministration(Database database, SourceCredentials credentials, SealedCredentials sealed,
                                List<CredentialCheck> checks, AuditLog audit, JsonBodies bodies,
                                FunctionManifests manifests, SecretValues settings, Clock clock,
                                @Value("${signup.sync.verify.budget:20s}") Duration verifyBudget, PersonKey personKey) {
        this.database = database;
        this.personKey = personKey;
        this.credentials = credentials;
        this.sealed = sealed;
        checks.forEach(check -> this.checks.put(check.sourceType(), check));
        this.audit = audit;
        this.bodies = bodies;
        this.manifests = manifests;
        this.settings = settings;
        this.clock = clock;
        this.verifyBudget = verifyBudget;
    }

    public List<SourceView> list() {
        Map<String, Verification> verifications = verifications();
        List<SourceView> views = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("""
                    SELECT s.source_type, s.display_name, s.kind, s.active, last.started_at, last.status, ok.finished_at
                    FROM funnel_sources s
                    LEFT JOIN LATERAL (SELECT started_at, status FROM funnel_sync_logs l WHERE l.source_type = s.source_type
                                       ORDER BY started_at DESC LIMIT 1) last ON true
                    LEFT JOIN LATERAL (SELECT finished_at FROM funnel_sync_logs l WHERE l.source_type = s.source_type
                                       AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1) ok ON true
                    ORDER BY s.source_type""");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    listed.add(type);
                    String kind = rs.getString(3);
                    views.add(new SourceView(type, rs.getString(2), kind, "destination".equals(kind) ? null : rs.getBoolean(4), status(type),
                            verifications.get(type), instant(rs.getTimestamp(5)), rs.getString(6),
                            instant(rs.getTimestamp(7))));
                }
            }
            return null;
        });
        // Declared integrations without a funnel_sources row (a destination until its runs need one).
        for (Integration integration : Integrations.declared().all()) {
            if (!listed.contains(integration.type())) {
                views.add(new SourceView(integration.type(), integration.displayName(), integration.kind().sourceKind(),
                        null, status(integration.type()), verifications.get(integration.type()), null, null, null));
            }
        }
        return views;
    }

    /** Checks the body against the source's shape and stores it sealed; invalid input naming the field when it does not fit. */
    public Stored storeCredentials(AdminPrincipal admin, String sourceType, byte[] body) {
        CredentialShape shape = shape(sourceType);
        ObjectNode object = bodies.object(body, BODY_LIMIT);
        Map<String, String> fields = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (!value.isNull() && !value.isTextual()) {
                throw new InvalidInput(field.getKey(), field.getKey() + " must be a string");
            }
            if (value.isTextual()) {
                fields.put(field.getKey(), value.textValue());
            }
        });
        Map<String, String> checked = shape.check(fields);
        String version = database.transaction(c -> {
            Map<String, String> toStore = new LinkedHashMap<>(checked);
            Optional<String> rotated = shape.rotatedSecret();
            if (rotated.isPresent() && !toStore.containsKey("previous_" + rotated.get())) {
                keepPreviousSecret(c, sourceType, rotated.get(), toStore);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("fields", List.copyOf(toStore.keySet()));
            Optional<String> urlField = shape.urlField();
            if (urlField.isPresent()) {
                String url = toStore.get(urlField.get());
                boolean changed = !url.equals(currentUrl(c, sourceType, urlField.get()).orElse(null));
                if (changed && !admin.superuser()) {
                    // The URL decides where the sync sends the key from inside the network: a superuser's choice.
                    throw new Forbidden(urlField.get(), "changing the " + sourceType + " "
                            + urlField.get() + " is for superusers only; store the keys with the URL unchanged");
                }
                details.put("host", java.net.URI.create(url).getHost());
                details.put("url_changed", changed);
            }
            sealed.store(c, sourceType, toStore, admin.name());
            audit.record(c, admin, "source.credentials.store", "source", sourceType, details);
            return sealed.keyVersion();
        });
        return new Stored(sourceType, List.copyOf(checked.keySet()), version);
    }

    /** One real call to the vendor with the source's current credentials; the outcome is recorded and answered. */
    public Verification verify(AdminPrincipal admin, String sourceType) {
        shape(sourceType);
        CredentialCheck check = checks.get(sourceType);
        if (check == null) {
            boolean webhook = Integrations.declared().find(sourceType).map(Integration::kind)
                    .filter(kind -> kind == Integration.Kind.WEBHOOK).isPresent();
            throw new InvalidInput("type", webhook
                    ? sourceType + " has no API to call: its webhook secret is checked on every delivery it signs"
                    : sourceType + " cannot be verified yet: no check is built for it");
        }
        Credentials found = credentials.find(sourceType).orElseThrow(() -> new NoCredentials(sourceType, "type"));
        Instant started = clock.instant();
        String failure = null;
        try {
            check.check(found, TimeBudget.of(started, verifyBudget, Duration.ZERO));
        } catch (VendorException | MissingCredential | TimeBudgetExhausted e) {
            // The vendor's or the network's words (a timeout, a refused connection), never a credential.
            failure = plainWords(e.getMessage());
        } catch (IllegalArgumentException e) {
            // A URL the vendor HTTP policy will not call (not https off loopback, not a URL at all).
            failure = plainWords("the configured address cannot be called: " + e.getMessage());
        } catch (RuntimeException e) {
            // Anything else is ours, not the vendor's: said in words, its type only in the log.
            failure = "the call did not complete; the function's log has the cause";
            LOG.warn("verify {}: {}", sourceType, e.getClass().getSimpleName());
        }
        Verification outcome = new Verification(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), failure == null, failure);
        database.transaction(c -> {
            try (PreparedStatement upsert = c.prepareStatement("""
                    INSERT INTO source_verifications (source_type, verified_at, succeeded, message) VALUES (?, ?, ?, ?)
                    ON CONFLICT (source_type) DO UPDATE SET verified_at = EXCLUDED.verified_at,
                        succeeded = EXCLUDED.succeeded, message = EXCLUDED.message""")) {
                upsert.setString(1, sourceType);
                upsert.setTimestamp(2, Timestamp.from(outcome.verifiedAt()));
                upsert.setBoolean(3, outcome.succeeded());
                upsert.setString(4, outcome.message());
                upsert.executeUpdate();
            }
            audit.record(c, admin, "source.verify", "source", sourceType, Map.of("succeeded", outcome.succeeded(),
                    "origin", found.origin().name().toLowerCase(java.util.Locale.ROOT)));
            return null;
        });
        return outcome;
    }

    /** {@code {"active": true|false}}; a pull source without a deployed sync function cannot be activated. */
    public SourceView setActive(AdminPrincipal admin, String sourceType, byte[] body) {
        if (!SOURCE_TYPE.matcher(sourceType).matches()) {
            throw new NotFound("type", "unknown source type");
        }
        ObjectNode object = bodies.object(body, BODY_LIMIT);
        JsonNode active = object.get("active");
        if (active == null || !active.isBoolean()) {
            throw new InvalidInput("active", "active must be true or false");
        }
        object.fieldNames().forEachRemaining(name -> {
            if (!name.equals("active")) {
                throw new InvalidInput(name, "only active can be changed; " + name + " cannot");
            }
        });
        boolean wanted = active.booleanValue();
        database.transaction(c -> {
            String kind;
            boolean current;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT kind, active FROM funnel_sources WHERE source_type = ? FOR UPDATE")) {
                select.setString(1, sourceType);
                try (ResultSet rs = select.executeQuery()) {
                    // A destination's row only carries its run log (brevo's since the email list); it has no switch either.
                    if (!rs.next() || "destination".equals(rs.getString(1))) {
                        if (CredentialShape.of(sourceType).isPresent()) {
                            throw new Conflict("active", sourceType + " is a destination and has no"
                                    + " active switch: it is used while its credentials are configured");
                        }
                        throw new NotFound("type", "unknown source type '" + sourceType + "'");
                    }
                    kind = rs.getString(1);
                    current = rs.getBoolean(2);
                }
            }
            if (wanted && "pull".equals(kind) && !deployedSyncs().contains(sourceType)) {
                throw new Conflict("active", sourceType + " cannot be activated: no sync function for it"
                        + " (sync-" + sourceType + ") is deployed");
            }
            if (wanted != current) {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE funnel_sources SET active = ? WHERE source_type = ?")) {
                    update.setBoolean(1, wanted);
                    update.setString(2, sourceType);
                    update.executeUpdate();
                }
            }
            audit.record(c, admin, wanted ? "source.activate" : "source.deactivate", "source", sourceType,
                    Map.of("changed", wanted != current));
            return null;
        });
        return list().stream().filter(v -> v.sourceType().equals(sourceType)).findFirst().orElseThrow();
    }

    /**
     * Re-seals every stored credential under the current key, all in one transaction. Run it after making the
     * new key current and the old one previous; afterwards the previous key can be dropped.
     */
    public Rotation rotateKey(AdminPrincipal admin) {
        return database.transaction(c -> {
            List<String> resealed = sealed.reseal(c);
            // The suppression list's key is sealed too; it moves with the credentials, its hashes never change.
            personKey.reseal(c);
            String version = sealed.keyVersion();
            List<SourceKeyState> states = sealed.storedSources(c).stream().map(s -> new SourceKeyState(s,
                    resealed.contains(s) ? SourceKeyState.RESEALED : SourceKeyState.ALREADY_CURRENT)).toList();
            audit.record(c, admin, "encryption_key.rotate", "encryption_key", version, Map.of("resealed", resealed));
            return new Rotation(version, resealed, states);
        });
    }

    private CredentialShape shape(String sourceType) {
        return CredentialShape.of(sourceType).orElseThrow(() -> new NotFound("type",
                "unknown source type '" + sourceType + "' (sources with credentials: "
                        + String.join(", ", CredentialShape.values().stream().map(CredentialShape::sourceType).toList())
                        + ")"));
    }

    private CredentialStatus status(String sourceType) {
        if (CredentialShape.of(sourceType).isEmpty()) {
            return new CredentialStatus(false, "none", List.of(), true);
        }
        try {
            Optional<Credentials> found = credentials.find(sourceType);
            return found.map(c -> new CredentialStatus(true, origin(c.origin()), List.copyOf(c.fields().keySet()), true))
                    .orElse(new CredentialStatus(false, "none", List.of(), true));
        } catch (SealBroken e) {
            return new CredentialStatus(true, "stored", List.of(), false);
        }
    }

    private static String origin(CredentialOrigin origin) {
        return origin == CredentialOrigin.STORED ? "stored" : "environment";
    }

    private Map<String, Verification> verifications() {
        return database.read(c -> {
            Map<String, Verification> found = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT source_type, verified_at, succeeded, message FROM source_verifications");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new Verification(rs.getTimestamp(2).toInstant(), rs.getBoolean(3),
                            rs.getString(4)));
                }
            }
            return found;
        });
    }

    /** Pull sources whose sync function is deployed: on this classpath (local run), or as the deploy names them. */
    private Set<String> deployedSyncs() {
        Set<String> deployed = new HashSet<>(manifests.busSources());
        settings.setting("SIGNUP_SYNC_DEPLOYED_SYNCS").ifPresent(list -> Arrays.stream(list.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).forEach(deployed::add));
        return deployed;
    }

    /** The URL in use now: the stored one, else the environment's. */
    private Optional<String> currentUrl(Connection c, String sourceType, String field) throws SQLException {
        Optional<Map<String, String>> stored;
        try {
            stored = sealed.storedFields(c, sourceType);
        } catch (SealBroken unreadable) {
            return Optional.empty();
        }
        if (stored.isPresent()) {
            return Optional.ofNullable(stored.get().get(field));
        }
        return credentials.find(sourceType).flatMap(found -> found.field(field));
    }

    private void keepPreviousSecret(Connection c, String sourceType, String field, Map<String, String> toStore)
            throws SQLException {
        Optional<String> old = sealed.storedFields(c, sourceType).map(f -> f.get(field))
                .or(() -> credentials.find(sourceType).flatMap(f -> f.field(field)));
        old.filter(o -> !o.equals(toStore.get(field)))
                .ifPresent(o -> toStore.put("previous_" + field, o));
    }

    private static String plainWords(String message) {
        String text = message == null ? "the vendor refused the call" : message.strip();
        return text.length() > MESSAGE_LIMIT ? text.substring(0, MESSAGE_LIMIT - 3) + "..." : text;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
