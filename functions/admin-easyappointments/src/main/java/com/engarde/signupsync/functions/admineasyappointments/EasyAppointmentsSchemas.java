package com.engarde.signupsync.functions.admineasyappointments;

import io.swagger.v3.oas.annotations.media.Schema;

/** Request bodies of this function, for the API document only (the service parses the bytes). */
final class EasyAppointmentsSchemas {

    private EasyAppointmentsSchemas() {
    }

    @Schema(name = "AppointmentOutcomeRequest")
    record OutcomeRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"completed", "no_show"}) String outcome) {
    }
}
