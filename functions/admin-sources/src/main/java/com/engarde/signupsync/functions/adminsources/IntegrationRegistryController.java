package com.engarde.signupsync.functions.adminsources;

import com.engarde.signupsync.admin.IntegrationRegistry;
import com.engarde.signupsync.api.ApiError;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** The integration registry; the route filter has checked the admin JWT. */
@Controller("/api/platform-integrations")
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
public class IntegrationRegistryController {

    private final IntegrationRegistry registry;

    public IntegrationRegistryController(IntegrationRegistry registry) {
        this.registry = registry;
    }

    @Operation(summary = "The integration registry",
            description = "Every declared integration: category, integration method (pull_api, webhook, destination), auth method, capabilities, required scopes, credential fields (never a value), documented rate limits with where they are documented, setup difficulty, documentation link; and now: configured or not and from where (stored, environment, none), the last verify, active, the last run, the next scheduled run.")
    @ApiResponse(responseCode = "200", description = "the integrations, by type", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AdminSourcesSchemas.Registry.class)))
    @ApiResponse(responseCode = "400", description = "an empty, repeated or unreadable query parameter (the one input rule of every route)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/registry")
    public Map<String, List<IntegrationRegistry.Entry>> registry() {
        return Map.of("integrations", registry.entries());
    }
}
