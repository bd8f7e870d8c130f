package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.admin.PlatformAdmins;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The answers of this function that are maps in code, for the API document only. */
final class AdminPlatformSchemas {

    private AdminPlatformSchemas() {
    }

    @Schema(name = "PlatformAdminRequest", description = "Who to make a platform admin: a user id (the JWT's sub) or an"
            + " email, or both.")
    record Add(@Schema(ref = "#/components/schemas/AdminUserId") String userId, @Schema(maxLength = 254, format = "email") String email) {
    }

    @Schema(name = "PlatformAdminList")
    record AdminList(List<PlatformAdmins.Admin> admins) {
    }

    @Schema(name = "PlatformAdminRemoved")
    record Removed(PlatformAdmins.Admin removed) {
    }
}
