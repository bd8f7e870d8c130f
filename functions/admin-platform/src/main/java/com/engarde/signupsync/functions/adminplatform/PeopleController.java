package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.privacy.Erasures;
import com.engarde.signupsync.privacy.SubjectAccess;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Superusers' privacy routes: a person's subject access and erasure (docs/privacy.md). */
@Controller("/api/admin/people")
@Consumes(MediaType.ALL)
@Tag(name = "admin")
@SecurityRequirement(name = "admin-jwt")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid admin JWT (WWW-Authenticate: Bearer error=invalid_token)",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "not a superuser: these routes are for superusers only",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class PeopleController {

    private final SubjectAccess access;
    private final Erasures erasures;

    public PeopleController(SubjectAccess access, Erasures erasures) {
        this.access = access;
        this.erasures = erasures;
    }

    @Operation(summary = "Everything held about a person (subject access)",
            description = "Superusers only; audited (the audit row holds the counts, never the email). The lead,"
                    + " its events, conversions, EasyAppointments appointments, signup-queue entries and invitations,"
                    + " the stored webhook deliveries whose raw body names the email (in any letter case), the email"
                    + " list's state (what was sent to which Brevo list and when; what Brevo holds: lists, opt-outs,"
                    + " blocklist, gone), the usage users with this email and their newest 1000 usage records (all"
                    + " counted), the sync runs' failed records about the person, and whether the person is suppressed."
                    + " After an erasure the answer is empty and suppressed is true.")
    @ApiResponse(responseCode = "200", description = "the person's data", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AdminPlatformSchemas.PersonRecord.class)))
    @ApiResponse(responseCode = "400", description = "email missing or not an email address",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get
    public ObjectNode find(@Parameter(required = true, schema = @Schema(maxLength = 320, format = "email")) @Nullable @QueryValue String email,
                           @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return access.find(admin, email);
    }

    @Operation(summary = "Erase a person",
            description = "Superusers only; audited (by erasure id, never the email). Cannot be undone: a mistaken"
                    + " erasure is final, nothing is kept to restore from. In one transaction the person is added to"
                    + " the suppression list (a keyed hash of the email) and every table that holds them is cleared or"
                    + " anonymised: the lead, events, conversions and appointments stay as anonymous rows so that funnel"
                    + " totals do not change. Then the contact is deleted from Brevo. The answer is the erasure's"
                    + " progress: done, or running when a destination failed (its step says why); sending the same"
                    + " request again resumes it. From then on syncs, webhooks, events, usage records and list syncs"
                    + " never write the person again.")
    @ApiResponse(responseCode = "200", description = "the erasure finished: every step done",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Erasures.Progress.class)))
    @ApiResponse(responseCode = "202", description = "the database part is done and a destination step failed: the erasure"
            + " is running; send the request again to retry it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Erasures.Progress.class)))
    @ApiResponse(responseCode = "400", description = "email missing or not an email address",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Delete
    public HttpResponse<Erasures.Progress> erase(@Parameter(required = true, schema = @Schema(maxLength = 320, format = "email")) @Nullable @QueryValue String email,
                                                 @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        Erasures.Progress progress = erasures.erase(admin, email);
        return HttpResponse.status(progress.status().equals("done") ? HttpStatus.OK : HttpStatus.ACCEPTED).body(progress);
    }

    @Operation(summary = "An erasure's progress", description = "Per table (rows anonymised or deleted) and per destination"
            + " (attempts, last failure).")
    @ApiResponse(responseCode = "200", description = "the erasure", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Erasures.Progress.class)))
    @ApiResponse(responseCode = "400", description = "id is not a positive integer",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no such erasure",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/erasures/{id}")
    public Erasures.Progress progress(@Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1")) @PathVariable String id) {
        return erasures.progress(id);
    }
}
