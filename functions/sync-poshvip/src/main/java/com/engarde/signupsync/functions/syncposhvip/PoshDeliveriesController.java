package com.engarde.signupsync.functions.syncposhvip;

import com.engarde.signupsync.api.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.engarde.signupsync.input.JsonFields;
import com.engarde.signupsync.api.QueryParameters;
import com.engarde.signupsync.sources.poshvip.PoshDeliveryProcessor;
import com.engarde.signupsync.sources.poshvip.PoshDeliveryReplay;
import com.engarde.signupsync.webhooks.DeliveryReport;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.util.List;

/**
 * Posh.VIP's stored deliveries: listed, shown, one replayed. Replaying all that are due is the sync,
 * {@code POST /sync/poshvip}, answered by the generic sync route. Parameters are read as text and checked here
 * (see {@link QueryParameters}), so that no value reaches the framework's binder.
 */
@Controller("/sync/poshvip")
@Consumes(MediaType.ALL)
@Tag(name = "sync")
@SecurityRequirement(name = "service-token")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid service token",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unavailable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class PoshDeliveriesController {

    // Query parameters the route reads from the request are also its arguments, unused: micronaut-openapi
    // ignores the schema of a method-level @Parameter, so only an argument documents a parameter\'s type.

    private final PoshDeliveryReplay replay;

    public PoshDeliveriesController(PoshDeliveryReplay replay) {
        this.replay = replay;
    }

    /** Re-processes one delivery whatever its status; every delivery due is replayed by POST /sync/poshvip. */
    @Operation(summary = "Replay one stored Posh.VIP delivery",
            description = "Processes the delivery again, whatever its status (idempotent: a processed one changes nothing), and answers the outcome. No body. Every failed or unsettled delivery is replayed by POST /sync/poshvip.")
    @ApiResponse(responseCode = "200", description = "the outcome", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = """
                    {"delivery_id":42,"status":"processed","settled_now":false,"events_created":0,"events_existing":1}""")))
    @ApiResponse(responseCode = "400", description = "id is not a positive integer in ASCII digits",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown delivery",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/deliveries/{id}/replay")
    public PoshDeliveryProcessor.Outcome replay(@Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1")) @PathVariable String id) {
        return replay.replayOne(JsonFields.positiveId("delivery_id", id));
    }

    @Operation(summary = "List stored Posh.VIP deliveries",
            description = "Newest first, with their status and reason.")
    @ApiResponse(responseCode = "200", description = "the deliveries", content = @Content(mediaType = "application/json",
            array = @io.swagger.v3.oas.annotations.media.ArraySchema(schema = @Schema(implementation = DeliveryReport.class))))
    @ApiResponse(responseCode = "400", description = "a parameter empty, repeated, not ASCII digits or out of range, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/deliveries")
    public List<DeliveryReport> deliveries(@Parameter(description = "only deliveries of this status", schema = @Schema(type = "string", maxLength = 40, example = "failed")) @Nullable @QueryValue("status") String status,
            @Parameter(description = "page size", schema = @Schema(type = "integer", minimum = "1", maximum = "200")) @Nullable @QueryValue("limit") String limit,
            @Parameter(description = "the page before this id", schema = @Schema(type = "integer", format = "int64", minimum = "1")) @Nullable @QueryValue("before_id") String beforeId,
            HttpRequest<?> request) {
        return replay.recent(QueryParameters.text(request, "status", 40),
                QueryParameters.between(request, "limit", 1, PoshDeliveryReplay.MAX_LIST),
                QueryParameters.id(request, "before_id"));
    }

    @Operation(summary = "One stored delivery, with its raw body")
    @ApiResponse(responseCode = "200", description = "the delivery", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = DeliveryReport.class)))
    @ApiResponse(responseCode = "400", description = "id is not a positive integer in ASCII digits",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown delivery",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/deliveries/{id}")
    public DeliveryReport delivery(@Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1")) @PathVariable String id) {
        return replay.one(JsonFields.positiveId("delivery_id", id));
    }
}
