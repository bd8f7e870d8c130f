package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.status.ServiceStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** GET / names the service; GET /health says whether it can reach its database. */
@Controller
@Tag(name = "service", description = "Open: no token")
public class ServiceController {

    private final ServiceStatus status;

    public ServiceController(ServiceStatus status) {
        this.status = status;
    }

    @Operation(summary = "The service's name", security = {})
    @ApiResponse(responseCode = "200", description = "its name (the version is not told to anonymous callers)", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ServiceStatus.About.class),
            examples = @ExampleObject(value = "{\"service\":\"signup-sync\"}")))
    @ApiResponse(responseCode = "405", description = "a method other than GET or HEAD",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "Allow", description = "the methods this path answers", schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "400", description = "an empty, repeated or unreadable query parameter (the one input rule of every route)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get
    public ServiceStatus.About about() {
        return status.about();
    }

    @Operation(summary = "Whether the service reaches its database", security = {})
    @ApiResponse(responseCode = "200", description = "healthy", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ServiceStatus.Health.class),
            examples = @ExampleObject(value = "{\"status\":\"ok\",\"database\":\"ok\"}")))
    @ApiResponse(responseCode = "503", description = "the database is unreachable", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = ServiceStatus.Health.class)))
    @ApiResponse(responseCode = "405", description = "a method other than GET or HEAD",
            headers = @io.swagger.v3.oas.annotations.headers.Header(name = "Allow", description = "the methods this path answers", schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "400", description = "an empty, repeated or unreadable query parameter (the one input rule of every route)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/health")
    public HttpResponse<ServiceStatus.Health> health() {
        ServiceStatus.Health health = status.health();
        return HttpResponse.status(health.healthy() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }
}
