package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.signup.SignupQueue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.HashMap;
import java.util.Map;

/** The signup queue: who waits for an admin's decision, the decisions, and the invitations they issue. */
@Controller("/api/admin/signup-queue")
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
public class SignupQueueController {

    private static final String ID = "^[0-9]{1,19}$";
    private final SignupQueue queue;

    public SignupQueueController(SignupQueue queue) {
        this.queue = queue;
    }

    @Operation(summary = "The signup queue",
            description = "Oldest first, in stable pages (follow next_cursor); each entry with what an admin decides on"
                    + " and its latest invitation (never its token).")
    @ApiResponse(responseCode = "200", description = "one page", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueue.Page.class)))
    @ApiResponse(responseCode = "400", description = "a bad parameter, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get
    public SignupQueue.Page list(
            @Parameter(schema = @Schema(type = "string", allowableValues = {"pending", "approved", "rejected", "accepted"})) @Nullable @QueryValue("status") String status,
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50")) @Nullable @QueryValue("page_size") String pageSize,
            @Parameter(description = "next_cursor of the page before", schema = @Schema(type = "string", maxLength = 100)) @Nullable @QueryValue("cursor") String cursor,
            HttpRequest<?> request) {
        Map<String, String> params = new HashMap<>();
        request.getParameters().forEach((name, values) -> params.put(name, values.isEmpty() ? null : values.get(0)));
        return queue.list(params);
    }

    @Operation(summary = "Queue the leads of a source",
            description = "Everyone the source brought in the UTC days from date_from to date_to (default the last 30"
                    + " days; for easyappointments its bookers by appointment start, for the others their funnel"
                    + " events) joins the pending queue, once each, unless already a platform user (converted), queued"
                    + " before, or on the suppression list. auto_invite approves and invites the added at once (at most"
                    + " 100). Body at most 4 KB. Audited as signup_queue.add.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueueSchemas.AddRequest.class),
            examples = @ExampleObject(value = "{\"source_type\":\"zoom\",\"date_from\":\"2026-03-01\",\"date_to\":\"2026-03-31\"}")))
    @ApiResponse(responseCode = "200", description = "what was done, counted", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueue.Added.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/add")
    public SignupQueue.Added add(@Body @Nullable byte[] body, @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return queue.addLeads(admin, body);
    }

    @Operation(summary = "Approve and invite",
            description = "Issues an invitation (expires_in_days 1 to 30, default 7) and emails it through Brevo's"
                    + " template. The approval stands when sending fails: the answer's invitation says email_sent false"
                    + " and why, and the invitation can be resent. Body a JSON object ({} for the defaults), at most 4 KB. Audited as"
                    + " signup_queue.approve.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueueSchemas.InvitationRequest.class),
            examples = @ExampleObject(value = "{\"expires_in_days\":14}")))
    @ApiResponse(responseCode = "200", description = "the entry, approved, with its invitation", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueue.Entry.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no queue entry has this id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "already decided, or the person is on the suppression list",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/{id}/approve")
    public SignupQueue.Entry approve(@Parameter(description = "the queue entry's id", schema = @Schema(type = "string", pattern = ID)) @PathVariable("id") String id,
                                     @Body @Nullable byte[] body,
                                     @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return queue.approve(admin, id, body);
    }

    @Operation(summary = "Reject",
            description = "With a reason (at most 500 characters). Body at most 4 KB. Audited as signup_queue.reject"
                    + " (the reason's length, not its text).")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueueSchemas.RejectRequest.class),
            examples = @ExampleObject(value = "{\"reason\":\"not a fencer\"}")))
    @ApiResponse(responseCode = "200", description = "the entry, rejected", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueue.Entry.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no queue entry has this id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "already decided",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/{id}/reject")
    public SignupQueue.Entry reject(@Parameter(description = "the queue entry's id", schema = @Schema(type = "string", pattern = ID)) @PathVariable("id") String id,
                                    @Body @Nullable byte[] body,
                                    @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return queue.reject(admin, id, body);
    }

    @Operation(summary = "Resend the invitation",
            description = "A new token and expiry (expires_in_days, default 7), emailed again; the previous token no"
                    + " longer redeems. Only an approved entry's. Body a JSON object ({} for the defaults), at most 4 KB. Audited as invitation.resend.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueueSchemas.InvitationRequest.class),
            examples = @ExampleObject(value = "{\"expires_in_days\":7}")))
    @ApiResponse(responseCode = "200", description = "the entry with its new invitation", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueue.Entry.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no queue entry has this id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the entry is not approved (pending, rejected, or accepted), or the person is suppressed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/{id}/invitation/resend")
    public SignupQueue.Entry resend(@Parameter(description = "the queue entry's id", schema = @Schema(type = "string", pattern = ID)) @PathVariable("id") String id,
                                    @Body @Nullable byte[] body,
                                    @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return queue.resend(admin, id, body);
    }

    @Operation(summary = "Revoke the invitation",
            description = "The live invitation no longer redeems; the entry stays approved and can be resent. Audited as"
                    + " invitation.revoke.")
    @ApiResponse(responseCode = "200", description = "the entry with its revoked invitation", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueue.Entry.class)))
    @ApiResponse(responseCode = "400", description = "a bad id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no queue entry has this id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the entry is not approved, or has no live invitation",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/{id}/invitation/revoke")
    public SignupQueue.Entry revoke(@Parameter(description = "the queue entry's id", schema = @Schema(type = "string", pattern = ID)) @PathVariable("id") String id,
                                    @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return queue.revoke(admin, id);
    }
}
