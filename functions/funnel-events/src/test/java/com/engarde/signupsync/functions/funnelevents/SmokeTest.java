package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void smoke() {
        TestDatabase.get().truncate();
        try (LambdaHarness h = new LambdaHarness()) {
            var r = h.handle(LambdaHarness.sample("funnel-event.json"));
            System.out.println(r);
            var r2 = h.handle(LambdaHarness.sample("funnel-event.json"));
            System.out.println(r2);
            var r3 = h.handle(LambdaHarness.sample("funnel-conversion.json"));
            System.out.println(r3);
            var r4 = h.handle(LambdaHarness.request("POST", "/funnel/event", "{bad"));
            System.out.println(r4);
            var r5 = h.handle(LambdaHarness.request("POST", "/funnel/events", "{\"events\":[{\"source_type\":\"zoom\"},{\"source_type\":\"manual\",\"event_type\":\"lead_captured\",\"email\":\"x@y.com\"}]}"));
            System.out.println(r5);
            var noauth = LambdaHarness.request("POST", "/funnel/event", "{}");
            noauth.getHeaders().remove("Authorization");
            System.out.println(h.handle(noauth));
            assertThat(r.status()).isEqualTo(201);
        }
    }
}
