package com.engarde.signupsync.functions.syncbrevo;

import io.swagger.v3.oas.annotations.media.Schema;

/** Request bodies of this function, for the API document only (the service parses the bytes). */
final class EmailListSchemas {

    private EmailListSchemas() {
    }

    @Schema(name = "EmailListBookersRequest")
    record BookersRequest(
            @Schema(description = "first UTC day, default 29 days before date_to", format = "date") String dateFrom,
            @Schema(description = "last UTC day, default today; less than 800 days after date_from", format = "date") String dateTo,
            @Schema(description = "the Brevo list, default BREVO_LIST_ID", minimum = "1") Long listId) {
    }

    @Schema(name = "EmailListSyncRequest")
    record SyncRequest(
            @Schema(description = "who is sent, default all", allowableValues = {"all", "source", "platform_users"}) String scope,
            @Schema(description = "with scope source (and only then): a funnel source type, whose leads are sent") String sourceType,
            @Schema(description = "with scope source or platform_users: first UTC day, default 29 days before date_to", format = "date") String dateFrom,
            @Schema(description = "with scope source or platform_users: last UTC day, default today", format = "date") String dateTo,
            @Schema(description = "the Brevo list, default BREVO_LIST_ID", minimum = "1") Long listId) {
    }
}
