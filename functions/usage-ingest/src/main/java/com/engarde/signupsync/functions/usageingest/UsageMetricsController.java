package com.engarde.signupsync.functions.usageingest;

import com.engarde.signupsync.input.JsonBodies;
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
import com.engarde.signupsync.platform.UsageIngest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/** The backend's usage reports. The body arrives raw: the service owns parsing and every error. */
@Controller("/usage")
@Consumes(MediaType.ALL)
@Tag(name = "usage", description = "Platform usage the En Garde backend reports")
@SecurityRequirement(name = "service-token")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid service token",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database (or, for a sync, the bus) is unavailable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class UsageMetricsController {

    private final UsageIngest ingest;
    private final JsonBodies bodies;

    public UsageMetricsController(UsageIngest ingest, JsonBodies bodies) {
        this.ingest = ingest;
        this.bodies = bodies;
    }

    @Operation(summary = "Report usage records",
            description = "1 to 1,000 records; each is checked on its own (a bad one is an error item naming its field); a record whose idempotency_key its tenant already used is a duplicate and changes nothing; a record naming another tenant's brand_id, or falling on a day whose raw records are past their retention, is an error item. Body at most 6 MB.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Object.class),
            examples = @ExampleObject(value = """
                    {"records":[{"idempotency_key":"req-7f3a-0001","occurred_at":"2026-05-31T23:59:59Z","tenant_id":"5b0c8a4e-1f6d-4c1e-9a57-2d7f0b8e4c11","tenant_name":"Acme","plan_tier":"pro","provider":"openai","model":"gpt-4o","input_tokens":1200,"output_tokens":300,"cost_usd":"0.004500"}]}""")))
    @ApiResponse(responseCode = "200", description = "every record's outcome", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = UsageIngest.Outcome.class),
                examples = @ExampleObject(value = """
                        {"created":1,"duplicates":0,"errors":0,"results":[{"index":0,"status":"created","idempotency_key":"req-7f3a-0001"}]}""")))
    @ApiResponse(responseCode = "400", description = "not a JSON object with 1 to 1,000 records",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 6 MB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/metrics")
    public UsageIngest.Outcome metrics(@Body @Nullable byte[] body) {
        return ingest.record(bodies.exactObject(body, UsageIngest.MAX_BODY_BYTES));
    }
}
