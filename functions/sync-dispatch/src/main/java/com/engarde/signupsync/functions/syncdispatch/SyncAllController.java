package com.engarde.signupsync.functions.syncdispatch;

import com.engarde.signupsync.api.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "sync", description = "Pull-source syncs and the Posh.VIP replay")
@SecurityRequirement(name = "service-token")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid service token",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database (or, for a sync, the bus) is unavailable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class SyncAllController {

    /** The runs asked for, one per active pull source. */
    public record Runs(List<SyncDispatch.Requested> runs) {
    }

    private final SyncDispatch dispatch;

    public SyncAllController(SyncDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Operation(summary = "Sync every active pull source",
            description = "Puts one SyncRequested event per active pull source on the bus; each source function carries out its run. No body.")
    @ApiResponse(responseCode = "202", description = "the runs asked for", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Runs.class),
                examples = @ExampleObject(value = """
                        {"runs":[{"source_type":"easyappointments","run_id":12,"started":true,"status":"running","status_url":"/sync/status/easyappointments"}]}""")))
    @ApiResponse(responseCode = "400", description = "a query string that is not valid percent-encoded UTF-8",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/all")
    public HttpResponse<Runs> syncAll() {
        return HttpResponse.accepted().body(new Runs(dispatch.requestAll(SyncTrigger.MANUAL)));
    }
}
