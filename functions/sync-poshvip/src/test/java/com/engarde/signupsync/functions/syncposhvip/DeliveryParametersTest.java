package com.engarde.signupsync.functions.syncposhvip;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.Rows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every path and query parameter of the Posh.VIP delivery routes: a bad one is a 400 naming it, never a 500. */
class DeliveryParametersTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(Map.of("poshvip.webhook.secret", "test-posh-secret-not-a-secret"));

    private static LambdaHarness.Response send(String method, String path, String query) {
        APIGatewayProxyRequestEvent event = LambdaHarness.request(method, path, null);
        return lambda.handle(query == null ? event : LambdaHarness.withQuery(event, query));
    }

    @ParameterizedTest(name = "{0} {1}?{2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET|/sync/poshvip/deliveries/abc|-|delivery_id",
            "GET|/sync/poshvip/deliveries/%D9%A1|-|delivery_id",
            "GET|/sync/poshvip/deliveries/\u0661|-|delivery_id",
            "GET|/sync/poshvip/deliveries/99999999999999999999|-|delivery_id",
            "GET|/sync/poshvip/deliveries/-1|-|delivery_id",
            "GET|/sync/poshvip/deliveries/a%00b|-|delivery_id",
            "GET|/sync/poshvip/deliveries|limit=abc|limit",
            "GET|/sync/poshvip/deliveries|limit=2147483648|limit",
            "GET|/sync/poshvip/deliveries|limit=0|limit",
            "GET|/sync/poshvip/deliveries|limit=%D9%A1|limit",
            "GET|/sync/poshvip/deliveries|limit=1&limit=2|limit",
            "GET|/sync/poshvip/deliveries|before_id=abc|before_id",
            "GET|/sync/poshvip/deliveries|before_id=|before_id",
            "GET|/sync/poshvip/deliveries|status=failed&status=processed|status",
            "GET|/sync/poshvip/deliveries|status=a%00|status",
            "POST|/sync/poshvip/deliveries/abc/replay|-|delivery_id",
            "POST|/sync/poshvip/deliveries/%D9%A1/replay|-|delivery_id",
            "POST|/sync/poshvip/deliveries/-1/replay|-|delivery_id",
            "POST|/sync/poshvip/deliveries/99999999999999999999/replay|-|delivery_id"})
    void aBadParameterIsA400NamingIt(String method, String path, String query, String field) {
        LambdaHarness.Response response = send(method, path, query);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(response.json().path("field").asText()).isEqualTo(field);
        assertThat(Rows.count("funnel_sync_logs")).isZero();
    }

    @Test
    void wellFormedParametersStillWork() {
        assertThat(send("GET", "/sync/poshvip/deliveries", "limit=5&before_id=10").status()).isEqualTo(200);
        assertThat(send("GET", "/sync/poshvip/deliveries/12", null).status()).isEqualTo(404);
        assertThat(send("POST", "/sync/poshvip/deliveries/12/replay", null).status()).isEqualTo(404);
    }
}
