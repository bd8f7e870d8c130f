package com.engarde.signupsync.emaillist;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.failure.Conflict;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.input.DayRange;
import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.sync.SyncStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Starts the master email list's runs: an admin's for a source's leads or the platform users in a range
 * ({@code POST /api/admin/email-list/sync}, and the bookers' {@code POST /api/admin/easyappointments/sync-to-email-list}),
 * and the daily one of every lead. A run goes on the engine as the list's destination carries it out; while one
 * runs, a request joins it (whatever it was asked to send) rather than starting a second. Each admin request is
 * audited as {@code email_list.sync}.
 */
@Singleton
public class EmailListRuns {

    private static final Logger LOG = LoggerFactory.getLogger(EmailListRuns.class);
    public static final long MAX_BODY_BYTES = 4 * 1024;

    private final Optional<EmailListDestination> destination;
    private final SyncDispatch dispatch;
    private final Database database;
    private final AuditLog audit;
    private final JsonBodies bodies;
    private final Clock clock;

    public EmailListRuns(Optional<EmailListDestination> destination, SyncDispatch dispatch, Database database,
                         AuditLog audit, JsonBodies bodies, Clock clock) {
        this.destination = destination;
        this.dispatch = dispatch;
        this.database = database;
        this.audit = audit;
        this.bodies = bodies;
        this.clock = clock;
    }

    /** A run asked for: which, whether this request started it, and what it sends. */
    public record Run(String destination, long runId, boolean started, SyncStatus status, String statusUrl,
                      String scope, @Nullable String sourceType, @Nullable LocalDate dateFrom, @Nullable LocalDate dateTo,
                      long listId) {
    }

    /** {@code POST /api/admin/easyappointments/sync-to-email-list}: the bookers whose appointments start in the range. */
    public Run syncBookers(AdminPrincipal admin, @Nullable byte[] body) {
        ObjectNode request = bodies.object(body, MAX_BODY_BYTES);
        return start(admin, source(request, EmailListScope.EASYAPPOINTMENTS, list(request)));
    }

    /** {@code POST /api/admin/email-list/sync}: {@code scope} all, source (with {@code source_type}) or platform_users. */
    public Run sync(AdminPrincipal admin, @Nullable byte[] body) {
        ObjectNode request = bodies.object(body, MAX_BODY_BYTES);
        long list = list(request);
        String scope = JsonFields.text(request, "scope", 20);
        EmailListScope.Kind kind = EmailListScope.Kind.fromId(scope == null ? "all" : scope);
        return start(admin, switch (kind) {
            case ALL -> {
                for (String field : new String[] {"source_type", "date_from", "date_to"}) {
                    if (request.hasNonNull(field)) {
                        throw new InvalidInput(field, field + " applies to scope source or platform_users, not all");
                    }
                }
                yield EmailListScope.all(list);
            }
            case SOURCE -> {
                String source = JsonFields.requiredText(request, "source_type", 40);
                if (SourceType.fromId(source).isEmpty()) {
                    throw new InvalidInput("source_type", "source_type must be one of " + SourceType.names());
                }
                yield source(request, source, list);
            }
            case PLATFORM_USERS -> {
                if (request.hasNonNull("source_type")) {
                    throw new InvalidInput("source_type", "source_type applies to scope source, not platform_users");
                }
                DayRange range = range(request);
                yield new EmailListScope(EmailListScope.Kind.PLATFORM_USERS, null, range.from(), range.to(), list);
            }
        });
    }

    /** The daily schedule: every lead, into the configured list; nothing when no list is configured. */
    public Optional<Run> syncDaily() {
        if (destination.isEmpty() || destination.get().defaultListId().isEmpty()) {
            LOG.info("no email list is configured (BREVO_LIST_ID): the daily list sync does nothing");
            return Optional.empty();
        }
        EmailListDestination list = destination.get();
        EmailListScope scope = EmailListScope.all(list.defaultListId().getAsLong());
        return Optional.of(run(scope, dispatch.requestDestination(list.destinationType(), SyncTrigger.SCHEDULE, scope.toJson())));
    }

    private Run start(AdminPrincipal admin, EmailListScope scope) {
        EmailListDestination list = destination.orElseThrow();
        Run run = run(scope, dispatch.requestDestination(list.destinationType(), SyncTrigger.MANUAL, scope.toJson()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scope", scope.kind().id());
        summary.put("source_type", scope.sourceType());
        summary.put("date_from", scope.dateFrom() == null ? null : scope.dateFrom().toString());
        summary.put("date_to", scope.dateTo() == null ? null : scope.dateTo().toString());
        summary.put("list_id", scope.listId());
        summary.put("run_id", run.runId());
        summary.put("started", run.started());
        database.transaction(connection -> {
            audit.record(connection, admin, "email_list.sync", "email_list", Long.toString(scope.listId()), summary);
            return null;
        });
        return run;
    }

    /** The answer names the run's own scope: a run joined may send something other than what was asked. */
    private Run run(EmailListScope asked, SyncDispatch.Requested requested) {
        EmailListScope scope = requested.started() ? asked
                : dispatch.startedFrom(requested.runId()).map(c -> EmailListScope.fromJson(c, asked.listId())).orElse(asked);
        return new Run(requested.sourceType(), requested.runId(), requested.started(), requested.status(),
                requested.statusUrl(), scope.kind().id(), scope.sourceType(), scope.dateFrom(), scope.dateTo(),
                scope.listId());
    }

    private long list(ObjectNode request) {
        if (destination.isEmpty()) {
            throw new Conflict("list_id", "no email list destination is deployed here");
        }
        Long asked = JsonFields.id(request, "list_id");
        if (asked != null) {
            return asked;
        }
        OptionalLong configured = destination.get().defaultListId();
        if (configured.isEmpty()) {
            throw new InvalidInput("list_id", "list_id is required: no default list is configured (BREVO_LIST_ID)");
        }
        return configured.getAsLong();
    }

    private EmailListScope source(ObjectNode request, String sourceType, long list) {
        DayRange range = range(request);
        return new EmailListScope(EmailListScope.Kind.SOURCE, sourceType, range.from(), range.to(), list);
    }

    /** date_from and date_to, UTC days, inclusive; the last 30 days by default. */
    private DayRange range(ObjectNode request) {
        return DayRange.of(request, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }
}
