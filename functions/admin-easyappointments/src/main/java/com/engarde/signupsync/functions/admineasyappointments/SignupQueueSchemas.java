package com.engarde.signupsync.functions.admineasyappointments;

import io.swagger.v3.oas.annotations.media.Schema;

/** Request bodies of this function, for the API document only (the service parses the bytes). */
final class SignupQueueSchemas {

    private SignupQueueSchemas() {
    }

    @Schema(name = "SignupQueueBookersRequest")
    record BookersRequest(@Schema(format = "date", description = "UTC day, included; default 29 days before date_to") String dateFrom,
                          @Schema(format = "date", description = "UTC day, included; default today; less than 800 days after date_from") String dateTo,
                          @Schema(defaultValue = "false") Boolean autoInvite,
                          @Schema(minimum = "1", maximum = "30", defaultValue = "7") Integer expiresInDays) {
    }

    @Schema(name = "SignupQueueAddRequest")
    record AddRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "a funnel source type") String sourceType,
                      @Schema(format = "date", description = "UTC day, included; default 29 days before date_to") String dateFrom,
                      @Schema(format = "date", description = "UTC day, included; default today; less than 800 days after date_from") String dateTo,
                      @Schema(defaultValue = "false") Boolean autoInvite,
                      @Schema(minimum = "1", maximum = "30", defaultValue = "7") Integer expiresInDays) {
    }

    @Schema(name = "SignupQueueRejectRequest")
    record RejectRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 500) String reason) {
    }

    @Schema(name = "InvitationRequest")
    record InvitationRequest(@Schema(minimum = "1", maximum = "30", defaultValue = "7") Integer expiresInDays) {
    }
}
