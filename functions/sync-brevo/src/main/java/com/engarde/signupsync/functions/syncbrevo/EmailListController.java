package com.engarde.signupsync.functions.syncbrevo;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.emaillist.EmailListRuns;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The master email list's runs, asked for by an admin: a source's leads, the bookers, or the platform users. */
@Controller("/api/admin")
@Consumes(MediaType.ALL)
@Tag(name = "admin")
@SecurityRequirement(name = "admin-jwt")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid admin JWT (WWW-Authenticate: Bearer error=invalid_token)",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "a valid token of someone who is neither a superuser nor a platform admin",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database or the bus is unavailable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class EmailListController {

    private static final String RUN_EXAMPLE = """
            {"destination":"brevo","run_id":41,"started":true,"status":"running","status_url":"/sync/status/brevo",\
            "scope":"source","source_type":"easyappointments","date_from":"2026-11-01","date_to":"2026-11-30","list_id":7}""";

    private final EmailListRuns runs;

    public EmailListController(EmailListRuns runs) {
        this.runs = runs;
    }

    @Operation(summary = "Sync the bookers to the email list",
            description = "Starts a run that upserts into the Brevo list (list_id, default BREVO_LIST_ID) everyone whose"
                    + " EasyAppointments appointment (not cancelled) starts in the UTC days date_from to date_to (default"
                    + " the last 30 days), with their attributes and segments. A person on the suppression list, or"
                    + " blocklisted or unsubscribed in Brevo, is never sent; an unchanged contact is not sent again."
                    + " While a run of the list goes, the request joins it (started false). Follow it at status_url."
                    + " Body a JSON object ({} for the defaults), at most 4 KB. Audited as email_list.sync.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = EmailListSchemas.BookersRequest.class),
            examples = @ExampleObject(value = "{\"date_from\":\"2026-11-01\",\"date_to\":\"2026-11-30\"}")))
    @ApiResponse(responseCode = "202", description = "the run asked for", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = EmailListRuns.Run.class), examples = @ExampleObject(value = RUN_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field (list_id when none is given and none is configured)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "Brevo has no API key configured, or the destination is inactive",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/easyappointments/sync-to-email-list")
    public HttpResponse<EmailListRuns.Run> syncBookers(@Body @Nullable byte[] body,
                                                       @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return HttpResponse.accepted().body(runs.syncBookers(admin, body));
    }

    @Operation(summary = "Sync leads to the email list",
            description = "Starts a run that upserts into the Brevo list (list_id, default BREVO_LIST_ID): every lead"
                    + " (scope all, the default), the leads a source brought in the UTC days date_from to date_to"
                    + " (scope source with source_type; for easyappointments its bookers), or the platform users,"
                    + " leads converted in the range (scope platform_users). The range defaults to the last 30 days."
                    + " Suppressed, blocklisted and unsubscribed people are never sent; unchanged contacts are not sent"
                    + " again. While a run of the list goes, the request joins it (started false). Body at most 4 KB."
                    + " Audited as email_list.sync.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = EmailListSchemas.SyncRequest.class),
            examples = @ExampleObject(value = "{\"scope\":\"source\",\"source_type\":\"zoom\",\"date_from\":\"2026-11-01\",\"date_to\":\"2026-11-30\"}")))
    @ApiResponse(responseCode = "202", description = "the run asked for", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = EmailListRuns.Run.class), examples = @ExampleObject(value = RUN_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "Brevo has no API key configured, or the destination is inactive",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/email-list/sync")
    public HttpResponse<EmailListRuns.Run> sync(@Body @Nullable byte[] body,
                                                @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return HttpResponse.accepted().body(runs.sync(admin, body));
    }
}
