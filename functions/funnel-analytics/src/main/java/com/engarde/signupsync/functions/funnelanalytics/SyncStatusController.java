package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.sync.SyncStatusReport;
import com.engarde.signupsync.api.ApiException;
import com.engarde.signupsync.input.JsonFields;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** GET /sync/status/{source_type}: last run, running run, last success, counts, next scheduled time. */
@Controller("/sync/status")
@Tag(name = "sync")
public class SyncStatusController {

    private final SyncStatusReport report;

    public SyncStatusController(SyncStatusReport report) {
        this.report = report;
    }

    @Operation(summary = "A source's sync status", description = "The last run, the running one, the last success,"
            + " counts (with requests sent and failed records) and the next scheduled time.",
            security = @SecurityRequirement(name = "service-token"))
    @ApiResponse(responseCode = "200", description = "the status",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SyncStatusReport.Report.class)))
    @ApiResponse(responseCode = "400", description = "source_type empty, too long or with a control character",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid service token",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown source",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/{source_type}")
    public SyncStatusReport.Report status(@Parameter(description = "a source or destination type, as the integration registry lists them",
            schema = @Schema(maxLength = 40, example = "easyappointments")) @PathVariable("source_type") String sourceType) {
        String checked = JsonFields.checked("source_type", sourceType, 40);
        if (checked == null) {
            throw ApiException.invalid("source_type", "source_type is required");
        }
        return report.report(checked);
    }
}
