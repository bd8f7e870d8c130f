package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.api.ApiError;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The backend's writes into the funnel. Bodies arrive raw: the services own parsing and every error. */
@Controller("/funnel")
@Consumes(MediaType.ALL)
@Tag(name = "funnel", description = "Events and conversions the En Garde backend posts")
@SecurityRequirement(name = "service-token")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid service token",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class FunnelEventsController {

    private final FunnelIngest ingest;
    private final Conversions conversions;
    private final JsonBodies bodies;

    public FunnelEventsController(FunnelIngest ingest, Conversions conversions, JsonBodies bodies) {
        this.ingest = ingest;
        this.conversions = conversions;
        this.bodies = bodies;
    }

    @Operation(summary = "Record one funnel event", description = "Idempotent on source_type + external_id +"
            + " event_type: the same event again answers 200 with created false and the stored event. The body is at"
            + " most 256 KB.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = FunnelEventsSchemas.Event.class),
            examples = @ExampleObject(name = "zoom registration", value = """
                    {"source_type":"zoom","event_type":"event_registered","email":"Ada.Lovelace@example.com",\
                    "first_name":"Ada","last_name":"Lovelace","occurred_at":"2026-03-01T10:00:00Z",\
                    "external_id":"webinar-42:registrant-7","utm_source":"linkedin","utm_medium":"social",\
                    "utm_campaign":"spring-launch","event_data":{"webinar_id":"42"}}""")))
    @ApiResponse(responseCode = "201", description = "recorded",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WrittenEvent.class)))
    @ApiResponse(responseCode = "200", description = "already recorded: created false and the stored event",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WrittenEvent.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field; nothing stored",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class),
                    examples = @ExampleObject(value = """
                            {"error":"invalid_request","message":"email is not a valid email address","field":"email"}""")))
    @ApiResponse(responseCode = "413", description = "body over 256 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/event")
    public HttpResponse<WrittenEvent> event(@Body @Nullable byte[] body) {
        WrittenEvent written = ingest.record(bodies.object(body, FunnelIngest.MAX_EVENT_BODY_BYTES));
        return HttpResponse.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK).body(written);
    }

    @Operation(summary = "Record up to 500 events", description = "Each item is validated and stored on its own:"
            + " the answer lists per item created, duplicate (with the stored event's id) or error (with the field)."
            + " A refused item is that item's error, never the batch's. The body is at most 6 MB.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = FunnelEventsSchemas.Batch.class),
            examples = @ExampleObject(name = "one good, one bad", value = """
                    {"events":[{"source_type":"referral","event_type":"lead_captured","email":"grace@example.com",\
                    "external_id":"ref-1"},{"source_type":"manual","event_type":"lead_captured","email":"alan@example.com",\
                    "occurred_at":"2999-01-01T00:00:00Z"}]}""")))
    @ApiResponse(responseCode = "200", description = "every item's outcome, in order",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = FunnelIngest.BatchOutcome.class),
                    examples = @ExampleObject(value = """
                            {"created":1,"duplicates":0,"errors":1,"results":[{"index":0,"status":"created",\
                            "event_id":17,"lead_id":9},{"index":1,"status":"error","error":"invalid_request",\
                            "message":"occurred_at must be between 1970-01-01T00:00:00Z and not more than a day in the future",\
                            "field":"occurred_at"}]}""")))
    @ApiResponse(responseCode = "400", description = "not a JSON object with 1 to 500 events",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 6 MB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/events")
    public FunnelIngest.BatchOutcome events(@Body @Nullable byte[] body) {
        return ingest.recordBatch(bodies.envelope(body, FunnelIngest.MAX_BATCH_BODY_BYTES));
    }

    @Operation(summary = "Record a conversion", description = "The lead became a platform user: the answer carries"
            + " its attribution as of converted_at (first_touch, last_touch, seconds_to_conversion). The body is at"
            + " most 64 KB.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = FunnelEventsSchemas.Conversion.class),
            examples = @ExampleObject(name = "by email", value = """
                    {"email":"ada.lovelace@example.com","platform_user_id":"user-1001","tenant_id":"tenant-7",\
                    "converted_at":"2026-03-15T09:30:00Z"}""")))
    @ApiResponse(responseCode = "201", description = "recorded",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Conversions.Outcome.class)))
    @ApiResponse(responseCode = "200", description = "already recorded: the original conversion",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Conversions.Outcome.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown lead_id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the user or the lead already converted with another",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over " + Conversions.MAX_BODY_BYTES / 1024 + " KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/conversion")
    public HttpResponse<Conversions.Outcome> conversion(@Body @Nullable byte[] body) {
        Conversions.Outcome outcome = conversions.convert(bodies.object(body, Conversions.MAX_BODY_BYTES));
        return HttpResponse.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK).body(outcome);
    }
}
