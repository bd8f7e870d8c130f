package com.engarde.signupsync.functions.usagerollup;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.platform.UsageRollupRequests;
import com.engarde.signupsync.platform.UsageRollups;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;

/** POST /api/admin/platform/usage/rollups: an admin recomputes the rollups of a date range now. */
@Controller("/api/admin/platform/usage")
@Consumes(MediaType.ALL)
public class UsageRollupController {

    private final UsageRollupRequests requests;
    private final UsageRollups rollups;

    public UsageRollupController(UsageRollupRequests requests, UsageRollups rollups) {
        this.requests = requests;
        this.rollups = rollups;
    }

    @Post("/rollups")
    public UsageRollups.Run rollup(@Body @Nullable byte[] body,
                                   @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return rollups.roll(admin, requests.range(body));
    }
}
