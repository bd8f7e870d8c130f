package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.snapstart.SampleRequest;
import com.engarde.signupsync.snapstart.SampleWork;
import jakarta.inject.Singleton;

import java.util.List;

/** Priming: each route's whole write path, an event, a batch and a conversion; the priming rolls the writes back. */
@Singleton
class FunnelEventsSample implements SampleWork {

    private static final String EVENT = "{\"source_type\":\"zoom\",\"event_type\":\"event_registered\","
            + "\"email\":\"priming@example.com\",\"first_name\":\"Sample\",\"occurred_at\":\"2026-03-01T10:00:00Z\","
            + "\"external_id\":\"priming\",\"utm_source\":\"priming\",\"event_data\":{\"webinar_id\":\"42\"}}";

    @Override
    public List<SampleRequest> requests() {
        return List.of(SampleRequest.post("/funnel/event", EVENT, 201),
                SampleRequest.post("/funnel/events", "{\"events\":[" + EVENT + "]}", 200),
                SampleRequest.post("/funnel/conversion", "{\"email\":\"priming@example.com\",\"platform_user_id\":\"priming\","
                        + "\"converted_at\":\"2026-03-15T09:30:00Z\"}", 201));
    }
}
