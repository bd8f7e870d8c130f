package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.signup.SignupQueue;
import io.micronaut.core.annotation.Nullable;
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

/** EasyAppointments' bookers into the signup queue. */
@Controller("/api/admin/easyappointments")
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
public class BookersController {

    private final SignupQueue queue;

    public BookersController(SignupQueue queue) {
        this.queue = queue;
    }

    @Operation(summary = "Queue the bookers",
            description = "Everyone with a synced appointment (not cancelled) starting in the UTC days from date_from to"
                    + " date_to (default the last 30 days) joins the pending signup queue, once each, with total bookings,"
                    + " services, last booking and phone, unless already a platform user (converted), queued before, or"
                    + " on the suppression list. auto_invite approves and invites the added at once (at most 100). Body"
                    + " a JSON object ({} for the defaults), at most 4 KB. Audited as signup_queue.add.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueueSchemas.BookersRequest.class),
            examples = @ExampleObject(value = "{\"date_from\":\"2026-03-01\",\"date_to\":\"2026-03-31\",\"auto_invite\":false}")))
    @ApiResponse(responseCode = "200", description = "what was done, counted", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SignupQueue.Added.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/add-bookers-to-queue")
    public SignupQueue.Added addBookers(@Body @Nullable byte[] body, @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return queue.addBookers(admin, body);
    }
}
