package com.engarde.signupsync.functions.adminsources;

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
public class AdminSourcesController {

    private final SourceAdministration sources;

    public AdminSourcesController(SourceAdministration sources) {
        this.sources = sources;
    }

    @Get
    public Map<String, List<SourceAdministration.SourceView>> list() {
        return Map.of("sources", sources.list());
    }

    @Put("/{type}/credentials")
    public SourceAdministration.Stored store(@PathVariable String type, @Body @Nullable byte[] body,
                                             @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.storeCredentials(admin, type, body);
    }

    @Post("/{type}/verify")
    public SourceAdministration.Verification verify(@PathVariable String type,
                                                    @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.verify(admin, type);
    }

    @Patch("/{type}")
    public SourceAdministration.SourceView patch(@PathVariable String type, @Body @Nullable byte[] body,
                                                 @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.setActive(admin, type, body);
    }

    @Post("/rotate-key")
    public SourceAdministration.Rotation rotateKey(@RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return sources.rotateKey(admin);
    }
}
