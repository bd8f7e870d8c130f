package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.funnel.Conversions;
import com.engarde.signupsync.funnel.FunnelIngest;
import com.engarde.signupsync.funnel.WrittenEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/** The backend's writes into the funnel. Bodies arrive raw: the services own parsing and every error. */
@Controller("/funnel")
@Consumes(MediaType.ALL)
public class FunnelEventsController {

    private final FunnelIngest ingest;
    private final Conversions conversions;

    public FunnelEventsController(FunnelIngest ingest, Conversions conversions) {
        this.ingest = ingest;
        this.conversions = conversions;
    }

    @Post("/event")
    public HttpResponse<WrittenEvent> event(@Body @Nullable byte[] body) {
        WrittenEvent written = ingest.record(body);
        return HttpResponse.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK).body(written);
    }

    @Post("/events")
    public FunnelIngest.BatchOutcome events(@Body @Nullable byte[] body) {
        return ingest.recordBatch(body);
    }

    @Post("/conversion")
    public HttpResponse<Conversions.Outcome> conversion(@Body @Nullable byte[] body) {
        Conversions.Outcome outcome = conversions.convert(body);
        return HttpResponse.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK).body(outcome);
    }
}
