package com.engarde.signupsync.functions.adminplatform;

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
public class AdminPlatformController {

    private final PlatformAdmins admins;
    private final AuditLog audit;

    public AdminPlatformController(PlatformAdmins admins, AuditLog audit) {
        this.admins = admins;
        this.audit = audit;
    }

    @Get("/platform/admins")
    public Map<String, List<PlatformAdmins.Admin>> list() {
        return Map.of("admins", admins.list());
    }

    @Post("/platform/admins")
    public HttpResponse<PlatformAdmins.Added> add(@Body @Nullable byte[] body,
                                                  @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        PlatformAdmins.Added added = admins.add(admin, body);
        return HttpResponse.status(added.created() ? HttpStatus.CREATED : HttpStatus.OK).body(added);
    }

    @Delete("/platform/admins/{id}")
    public Map<String, PlatformAdmins.Admin> remove(@PathVariable String id,
                                                    @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return Map.of("removed", admins.remove(admin, id));
    }

    @Get("/audit")
    public AuditLog.Page auditLog(@Nullable @QueryValue String actor, @Nullable @QueryValue String action,
                                  @Nullable @QueryValue("target_type") String targetType,
                                  @Nullable @QueryValue("target_id") String targetId,
                                  @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                                  @Nullable @QueryValue String before, @Nullable @QueryValue String limit) {
        return audit.list(AuditLog.filter(actor, action, targetType, targetId, from, to, before, limit));
    }
}
