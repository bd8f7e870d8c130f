package com.engarde.signupsync.functions.usagerollup;

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
import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.platform.UsageRollupRequests;
import com.engarde.signupsync.platform.UsageRollups;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;

/** POST /api/admin/platform/usage/rollups: an admin recomputes the rollups of a date range now. */
@Controller("/api/admin/platform/usage")
@Consumes(MediaType.ALL)
@Tag(name = "admin")
@SecurityRequirement(name = "admin-jwt")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid admin JWT (WWW-Authenticate: Bearer error=invalid_token)",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "a valid token of someone who is neither a superuser nor a platform admin",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class UsageRollupController {

    private final UsageRollupRequests requests;
    private final UsageRollups rollups;
    private final JsonBodies bodies;

    public UsageRollupController(UsageRollupRequests requests, UsageRollups rollups, JsonBodies bodies) {
        this.requests = requests;
        this.rollups = rollups;
        this.bodies = bodies;
    }

    @Operation(summary = "Recompute the usage rollups of a date range",
            description = "At most 92 days, each from 2000-01-01 to 9999-11-30; body at most 4 KB. Ends with the check against the raw records: differences must be empty. Audited as usage.rollup.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Object.class),
            examples = @ExampleObject(value = """
                    {"date_from":"2026-03-01","date_to":"2026-03-31"}""")))
    @ApiResponse(responseCode = "200", description = "the days and months recomputed, and the differences found", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = UsageRollups.Run.class)))
    @ApiResponse(responseCode = "400", description = "a bad date, a day outside 2000-01-01..9999-11-30 or a range over 92 days, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/rollups")
    public UsageRollups.Run rollup(@Body @Nullable byte[] body,
                                   @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return rollups.roll(admin, requests.range(bodies.object(body, UsageRollupRequests.MAX_BODY_BYTES)));
    }
}
