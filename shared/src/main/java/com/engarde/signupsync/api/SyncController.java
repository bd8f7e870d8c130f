package com.engarde.signupsync.api;

import com.engarde.signupsync.input.JsonFields;
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
@Tag(name = "sync")
@SecurityRequirement(name = "service-token")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid service token",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database (or, for a sync, the bus) is unavailable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class SyncController {

    private final SyncDispatch dispatch;

    public SyncController(SyncDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Operation(summary = "Start a sync of one pull source",
            description = "Starts a run, or answers the one already running (started false), with 202, the run id and a Location to follow it. No body. For poshvip the run replays the stored deliveries that failed or were never settled.")
    @ApiResponse(responseCode = "202", description = "the run; Location: its status URL",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "Location", description = "the run's status URL, /sync/status/{source_type}", schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SyncDispatch.Requested.class),
                examples = @ExampleObject(value = """
                        {"source_type":"easyappointments","run_id":12,"started":true,"status":"running","status_url":"/sync/status/easyappointments"}""")))
    @ApiResponse(responseCode = "404", description = "unknown source",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "a push source without a replay, an inactive one, or one without credentials (the same words as verify)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "400", description = "a query string that is not valid percent-encoded UTF-8",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/{source_type}")
    public HttpResponse<SyncDispatch.Requested> sync(@Parameter(description = "a pull source with a sync function, or a webhook receiver with a replay", schema = @Schema(type = "string", extensions = @io.swagger.v3.oas.annotations.extensions.Extension(properties = @io.swagger.v3.oas.annotations.extensions.ExtensionProperty(name = "x-integration-kinds", value = "pull,push")))) @PathVariable("source_type") String sourceType) {
        // Checked before the database sees it: a NUL or an invisible character is the caller's to fix, in words.
        String checked = JsonFields.checked("source_type", sourceType, 40);
        if (checked == null) {
            throw ApiException.invalid("source_type", "source_type is required");
        }
        SyncDispatch.Requested requested = dispatch.request(checked, SyncTrigger.MANUAL);
        return HttpResponse.accepted(URI.create(requested.statusUrl())).body(requested);
    }
}
