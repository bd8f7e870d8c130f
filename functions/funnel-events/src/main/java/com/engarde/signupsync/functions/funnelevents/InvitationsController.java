package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.signup.Invitations;
import io.micronaut.core.annotation.Nullable;
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

/** The En Garde backend redeems an invitation at signup. */
@Controller("/invitations")
@Consumes(MediaType.ALL)
@Tag(name = "funnel")
@SecurityRequirement(name = "service-token")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid service token",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\", scope=\"<the route's scope>\"", schema = @Schema(type = "string")),
        description = "a known service token that does not hold the route's scope",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class InvitationsController {

    private final Invitations invitations;

    public InvitationsController(Invitations invitations) {
        this.invitations = invitations;
    }

    @Operation(summary = "Redeem an invitation",
            description = "At signup, with the token from the invitation link: a pending, unexpired invitation is"
                    + " redeemed once (of two concurrent redemptions exactly one wins) and its queue entry becomes"
                    + " accepted; the person's later POST /funnel/conversion ties their funnel to it. Body at most 4 KB.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = RedeemRequest.class),
            examples = @ExampleObject(value = "{\"token\":\"q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c\"}")))
    @ApiResponse(responseCode = "200", description = "redeemed: who was invited", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Invitations.Redeemed.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "the same answer for a token that is unknown, expired, used or revoked",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/redeem")
    public Invitations.Redeemed redeem(@Body @Nullable byte[] body) {
        return invitations.redeem(body);
    }

    /** The request body, for the API document only. */
    @Schema(name = "InvitationRedeemRequest")
    record RedeemRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200,
            description = "the token from the invitation link (43 characters of base64url)") String token) {
    }
}
