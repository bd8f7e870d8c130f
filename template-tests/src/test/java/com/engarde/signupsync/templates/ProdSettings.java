package com.engarde.signupsync.templates;

import java.util.Map;

/** The second configuration the tests synthesize: prod, with every optional context value set. */
final class ProdSettings {

    static final Map<String, String> CONTEXT = Map.of(
            "stage", "prod",
            "FUNNEL_SYNC_TIME", "06:05",
            "FUNNEL_SYNC_ENABLED", "false",
            "alarmEmail", "oncall@example.com",
            "corsOrigins", "https://admin.example.com, https://admin-staging.example.com",
            "EASYAPPOINTMENTS_URL", "https://booking.example.com/index.php/api/v1",
            "EASYAPPOINTMENTS_STATUS_OUTCOMES", "Attended=completed,Missed=no_show");

    private ProdSettings() {
    }
}
