package com.engarde.signupsync.functions.adminsources;

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
import com.engarde.signupsync.admin.SourceAdministration;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;

import java.util.List;
import java.util.Map;

/** Sources as admins manage them; the route filter has checked the admin JWT and put its holder on the request. */
@Controller("/api/admin/sources")
@Consumes(MediaType.ALL)
@Tag(name = "admin", description = "Admin JWT: sources, platform admins, audit log, brands and usage")
@SecurityRequirement(name = "admin-jwt")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid admin JWT (WWW-Authenticate: Bearer error=invalid_token)",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "a valid token of someone who is neither a superuser nor a platform admin",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class AdminSourcesController {

    private final SourceAdministration sources;

    public AdminSourcesController(SourceAdministration sources) {
        this.sources = sources;
    }

    @Operation(summary = "Every source",
            description = "Kind, active flag, where its credentials come from (stored, environment or none, and the field names; never a value), the last verification, run and success.")
    @ApiResponse(responseCode = "200", description = "the sources", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AdminSourcesSchemas.SourceList.class)))
    @ApiResponse(responseCode = "400", description = "a query string that is not valid percent-encoded UTF-8",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get
    public Map<String, List<SourceAdministration.SourceView>> list() {
        return Map.of("sources", sources.list());
    }

    @Operation(summary = "Store a source's credentials, sealed",
            description = "Body at most 16 KB: the credential fields the source type declares (listed with the body). A secret in the vendor's own format where it has one, a webhook secret as whsec_ and the base64 of 24-64 bytes, or else at least 24 random visible ASCII characters; no value with line breaks, control or bidi characters. A url must be https on a public host (http only on loopback in a local run), and only a superuser may change it. Audited, with the URL's host.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Object.class, extensions = @io.swagger.v3.oas.annotations.extensions.Extension(
                    properties = @io.swagger.v3.oas.annotations.extensions.ExtensionProperty(name = "x-integration-credentials", value = "true"))),
            examples = @ExampleObject(value = """
                    {"api_key":"xkeysib-..."}""")))
    @ApiResponse(responseCode = "200", description = "stored: the field names and the key version, never a value", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SourceAdministration.Stored.class)))
    @ApiResponse(responseCode = "400", description = "a wrong shape, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "403", description = "a designated admin who is not a superuser changing a vendor URL",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown source",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 16 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Put("/{type}/credentials")
    public SourceAdministration.Stored store(@Parameter(description = "a source type", schema = @Schema(pattern = "^[a-z][a-z0-9_]{1,39}$", example = "brevo")) @PathVariable String type, @Body @Nullable byte[] body,
                                             @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.storeCredentials(admin, type, body);
    }

    @Operation(summary = "Verify a source's credentials",
            description = "One cheap real call through the vendor HTTP policy; records and answers succeeded and, on failure, the vendor's error in plain words. No body.")
    @ApiResponse(responseCode = "200", description = "the verification", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SourceAdministration.Verification.class)))
    @ApiResponse(responseCode = "400", description = "poshvip: it has no API to call",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown source",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "no credentials stored or in the environment to verify",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/{type}/verify")
    public SourceAdministration.Verification verify(@Parameter(description = "a source type", schema = @Schema(pattern = "^[a-z][a-z0-9_]{1,39}$", example = "brevo")) @PathVariable String type,
                                                    @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.verify(admin, type);
    }

    @Operation(summary = "Activate or deactivate a source",
            description = "A pull source can be activated only when its sync function is deployed. Body at most 16 KB. Audited.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AdminSourcesSchemas.Patch.class),
            examples = @ExampleObject(value = """
                    {"active":false}""")))
    @ApiResponse(responseCode = "200", description = "the source", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SourceAdministration.SourceView.class)))
    @ApiResponse(responseCode = "400", description = "active is not a boolean",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown source",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "no sync function for it, or a destination (brevo), which has no active switch",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 16 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Patch("/{type}")
    public SourceAdministration.SourceView patch(@Parameter(description = "a source type", schema = @Schema(pattern = "^[a-z][a-z0-9_]{1,39}$", example = "zoom")) @PathVariable String type, @Body @Nullable byte[] body,
                                                 @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.setActive(admin, type, body);
    }

    @Operation(summary = "Re-seal every stored credential under the current key",
            description = "Superusers only. In one transaction; after it, the previous key can be dropped. No body.")
    @ApiResponse(responseCode = "200", description = "the key version, the sources this call resealed, and every stored source with its state (resealed or already_current)", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SourceAdministration.Rotation.class)))
    @ApiResponse(responseCode = "409", description = "a stored credential that no key opens",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "403", description = "not a superuser", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "400", description = "an empty, repeated or unreadable query parameter (the one input rule of every route)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/rotate-key")
    public SourceAdministration.Rotation rotateKey(@RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.rotateKey(admin);
    }
}
