package com.engarde.signupsync.functions.adminplatform;

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
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.admin.PlatformAdmins;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;

import java.util.List;
import java.util.Map;

/** Superusers' routes (the manifest marks them "role": "superuser"): platform admins and the audit log. */
@Controller("/api/admin")
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
public class AdminPlatformController {

    private final PlatformAdmins admins;
    private final AuditLog audit;
    private final JsonBodies bodies;

    public AdminPlatformController(PlatformAdmins admins, AuditLog audit, JsonBodies bodies) {
        this.admins = admins;
        this.audit = audit;
        this.bodies = bodies;
    }

    @Operation(summary = "The platform admins",
            description = "Superusers only.")
    @ApiResponse(responseCode = "200", description = "the admins", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AdminPlatformSchemas.AdminList.class)))
    @ApiResponse(responseCode = "400", description = "a query string that is not valid percent-encoded UTF-8",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/platform/admins")
    public Map<String, List<PlatformAdmins.Admin>> list() {
        return Map.of("admins", admins.list());
    }

    @Operation(summary = "Add a platform admin",
            description = "By user_id or email; body at most 4 KB. 201 when added, 200 when already one. Audited.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AdminPlatformSchemas.Add.class),
            examples = @ExampleObject(value = """
                    {"email":"ops@example.com"}""")))
    @ApiResponse(responseCode = "201", description = "added", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PlatformAdmins.Added.class)))
    @ApiResponse(responseCode = "200", description = "already a platform admin", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PlatformAdmins.Added.class)))
    @ApiResponse(responseCode = "400", description = "neither user_id nor a valid email, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/platform/admins")
    public HttpResponse<PlatformAdmins.Added> add(@Body @Nullable byte[] body,
                                                  @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        PlatformAdmins.Added added = admins.add(admin, bodies.object(body, PlatformAdmins.MAX_BODY_BYTES));
        return HttpResponse.status(added.created() ? HttpStatus.CREATED : HttpStatus.OK).body(added);
    }

    @Operation(summary = "Remove a platform admin",
            description = "Audited.")
    @ApiResponse(responseCode = "200", description = "the removed admin", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AdminPlatformSchemas.Removed.class)))
    @ApiResponse(responseCode = "400", description = "id is not a positive integer",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no such admin",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Delete("/platform/admins/{id}")
    public Map<String, PlatformAdmins.Admin> remove(@Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1")) @PathVariable String id,
                                                    @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return Map.of("removed", admins.remove(admin, id));
    }

    @Operation(summary = "The audit log",
            description = "Every admin write that succeeded, newest first, paged by id.")
    @ApiResponse(responseCode = "200", description = "one page", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AuditLog.Page.class)))
    @ApiResponse(responseCode = "400", description = "a parameter out of its range, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/audit")
    public AuditLog.Page auditLog(@Parameter(description = "subject or email", schema = @Schema(maxLength = 320)) @Nullable @QueryValue String actor, @Nullable @QueryValue String action,
                                  @Nullable @QueryValue("target_type") String targetType,
                                  @Nullable @QueryValue("target_id") String targetId,
                                  @Parameter(schema = @Schema(format = "date-time")) @Nullable @QueryValue String from, @Parameter(schema = @Schema(format = "date-time")) @Nullable @QueryValue String to,
                                  @Parameter(description = "next_before of the previous page", schema = @Schema(type = "integer", format = "int64", minimum = "1")) @Nullable @QueryValue String before,
                                  @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "50")) @Nullable @QueryValue String limit) {
        return audit.list(AuditLog.filter(actor, action, targetType, targetId, from, to, before, limit));
    }
}
