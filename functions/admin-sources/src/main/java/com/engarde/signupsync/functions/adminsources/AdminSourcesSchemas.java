package com.engarde.signupsync.functions.adminsources;

import com.engarde.signupsync.admin.IntegrationRegistry;
import com.engarde.signupsync.admin.SourceAdministration;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The answers of this function that are maps in code, for the API document only. */
final class AdminSourcesSchemas {

    private AdminSourcesSchemas() {
    }

    @Schema(name = "SourcePatch")
    record Patch(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "whether the source syncs") boolean active) {
    }

    @Schema(name = "IntegrationRegistry")
    record Registry(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<IntegrationRegistry.Entry> integrations) {
    }

    @Schema(name = "SourceList")
    record SourceList(List<SourceAdministration.SourceView> sources) {
    }
}
