package com.engarde.signupsync.api;

import com.engarde.signupsync.bus.SyncTrigger;
import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.sync.SyncSource;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.net.URI;

/**
 * POST /sync/{source_type} for every pull source, written once: starts a run (or joins the one going) and
 * answers 202 with where to follow it; the run is carried out on the bus. Present in a function that holds a
 * {@link SyncSource}; which path reaches which function is the manifests' business.
 */
@Controller("/sync")
@Consumes(MediaType.ALL)
@Requires(beans = SyncSource.class)
public class SyncController {

    private final SyncDispatch dispatch;

    public SyncController(SyncDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Post("/{source_type}")
    public HttpResponse<SyncDispatch.Requested> sync(@PathVariable("source_type") String sourceType) {
        SyncDispatch.Requested requested = dispatch.request(sourceType, SyncTrigger.MANUAL);
        return HttpResponse.accepted(URI.create(requested.statusUrl())).body(requested);
    }
}
