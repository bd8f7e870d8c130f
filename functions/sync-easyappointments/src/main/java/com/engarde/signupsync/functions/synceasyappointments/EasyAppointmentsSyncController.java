package com.engarde.signupsync.functions.synceasyappointments;

import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.bus.SyncTrigger;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.net.URI;

/** POST /sync/easyappointments: starts a run (or joins the one going) and answers 202 with where to follow it. */
@Controller("/sync")
@Consumes(MediaType.ALL)
public class EasyAppointmentsSyncController {

    private final SyncDispatch dispatch;

    public EasyAppointmentsSyncController(SyncDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Post("/easyappointments")
    public HttpResponse<SyncDispatch.Requested> sync() {
        SyncDispatch.Requested requested = dispatch.request(SourceType.EASYAPPOINTMENTS.id(), SyncTrigger.MANUAL);
        return HttpResponse.accepted(URI.create(requested.statusUrl())).body(requested);
    }
}
