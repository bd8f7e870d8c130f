package com.engarde.signupsync.sync;

import com.engarde.signupsync.failure.Conflict;
import com.engarde.signupsync.failure.DependencyUnavailable;
import com.engarde.signupsync.credentials.NoCredentials;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import com.engarde.signupsync.sync.internal.SyncRunLog;
import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.bus.EventBus;
import com.engarde.signupsync.bus.SyncRequested;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks for syncs: starts (or joins) a run per source and puts a SyncRequested event for each new run on the
 * bus, where the source's sync function carries it out. Used by POST /sync/{source}, POST /sync/all and the
 * daily schedule. A run already going is answered as it is, not started twice.
 */
@Singleton
public class SyncDispatch {

    private static final Logger LOG = LoggerFactory.getLogger(SyncDispatch.class);

    private final FunnelSources sources;
    private final SyncRunLog runs;
    private final EventBus bus;
    private final SourceCredentials credentials;
    /** Asked only about a push source, so that a pull sync or the daily dispatch builds no connector. */
    private final BeanProvider<SyncSource> connectors;

    public SyncDispatch(FunnelSources sources, SyncRunLog runs, EventBus bus, SourceCredentials credentials,
                        BeanProvider<SyncSource> connectors) {
        this.sources = sources;
        this.runs = runs;
        this.bus = bus;
        this.credentials = credentials;
        this.connectors = connectors;
    }

    /**
     * A requested sync: the run that carries it out, and whether this request started it (or handed over a
     * continuation whose wait is over). {@code notBefore}: the run is a continuation waiting for a vendor's quota
     * to reset, carried out no earlier than then; a request before then starts nothing.
     */
    public record Requested(String sourceType, long runId, boolean started, SyncStatus status, String statusUrl,
                            @Nullable java.time.Instant notBefore) {
        static Requested of(SyncRun run, boolean started) {
            return new Requested(run.sourceType(), run.id(), started, run.status(), "/sync/status/" + run.sourceType(),
                    run.notBefore());
        }
    }

    /**
     * Starts or joins a run of one pull source, or of the replay of a push source's stored deliveries; not found for
     * an unknown source, a conflict for a push source without a replay, an inactive one or one without credentials.
     */
    public Requested request(String sourceType, SyncTrigger trigger) {
        FunnelSources.Source source = sources.require(sourceType);
        // A push source's sync is the replay of what its vendor sent, where a connector here replays it.
        boolean replay = !source.pulled() && connectors.stream()
                .anyMatch(c -> c.sourceType().equals(sourceType) && !c.readsVendor());
        if (!source.pulled() && !replay) {
            throw new Conflict("source_type", sourceType + " sends its data to us (" + source.kind()
                    + "); there is nothing to pull");
        }
        if (!source.active()) {
            throw new Conflict("source_type", sourceType + " is not active");
        }
        // Refused now, as verify refuses, rather than accepted and failed by the run a moment later.
        if (!replay && credentials.find(sourceType).isEmpty()) {
            throw new NoCredentials(sourceType, "source_type");
        }
        return dispatch(List.of(sourceType), trigger, null).get(0);
    }

    /** Starts or joins a run of every active pull source, as the daily schedule does. */
    public List<Requested> requestAll(SyncTrigger trigger) {
        List<String> pull = sources.activePull();
        return dispatch(pull, trigger, null);
    }

    /**
     * Starts a run of a destination whose first checkpoint is {@code start} (what the run is to send), or joins the
     * one already going, whatever it was asked to send; a conflict for an inactive destination or one without
     * credentials.
     */
    public Requested requestDestination(String destinationType, SyncTrigger trigger, JsonNode start) {
        FunnelSources.Source destination = sources.require(destinationType);
        if (!destination.active()) {
            throw new Conflict("source_type", destinationType + " is not active");
        }
        if (credentials.find(destinationType).isEmpty()) {
            throw new NoCredentials(destinationType, "source_type");
        }
        return dispatch(List.of(destinationType), trigger, start).get(0);
    }

    /** The checkpoint a run started from: for a destination's run, what it was asked to send. */
    public Optional<JsonNode> startedFrom(long runId) {
        return runs.find(runId).map(SyncRun::cursorBefore);
    }

    private List<Requested> dispatch(List<String> sourceTypes, SyncTrigger trigger, @Nullable JsonNode cursor) {
        List<Requested> answers = new ArrayList<>();
        List<SyncRequested> events = new ArrayList<>();
        for (String sourceType : sourceTypes) {
            SyncRunLog.Start start = cursor == null ? runs.start(sourceType, trigger) : runs.start(sourceType, trigger, cursor);
            if (start.abandoned() != null) {
                LOG.warn("run {} of {} had stopped without ending; run {} takes over from its checkpoint",
                        start.abandoned(), sourceType, start.run().id());
            }
            answers.add(Requested.of(start.run(), start.started()));
            if (start.started()) {
                events.add(new SyncRequested(sourceType, trigger, start.run().id()));
            }
        }
        try {
            bus.publish(events);
        } catch (RuntimeException e) {
            LOG.error("SyncRequested events could not be published", e);
            // Nobody will carry these runs out: end them now rather than leave them running until they go stale.
            events.forEach(event -> runs.abandon(event.runId(), "could not be handed to the event bus"));
            throw new DependencyUnavailable("bus_unavailable", "the sync could not be handed to the event bus; retry later");
        }
        return answers;
    }
}
