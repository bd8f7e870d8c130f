package com.engarde.signupsync.functions.syncdispatch;

import com.engarde.signupsync.sync.SyncDispatch;
import com.engarde.signupsync.bus.SyncTrigger;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

import java.util.List;

/** POST /sync/all: a run of every active pull source, each carried out by its own sync function. */
@Controller("/sync")
@Consumes(MediaType.ALL)
public class SyncAllController {

    /** The runs asked for, one per active pull source. */
    public record Runs(List<SyncDispatch.Requested> runs) {
    }

    private final SyncDispatch dispatch;

    public SyncAllController(SyncDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Post("/all")
    public HttpResponse<Runs> syncAll() {
        return HttpResponse.accepted().body(new Runs(dispatch.requestAll(SyncTrigger.MANUAL)));
    }
}
