package com.engarde.signupsync.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * A JUnit extension holding one function's Lambda handler for a test class, over an emptied database before
 * each test: {@code @RegisterExtension static LambdaFunction lambda = new LambdaFunction();}
 */
public final class LambdaFunction implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final Map<String, Object> properties;
    private LambdaHarness harness;

    public LambdaFunction(Map<String, Object> properties) {
        this.properties = properties;
    }

    public LambdaFunction() {
        this(Map.of("engarde.database.pool-size", 8));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        harness = new LambdaHarness(properties);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestDatabase.get().truncate();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        harness.close();
    }

    public LambdaHarness harness() {
        return harness;
    }

    public LambdaHarness.Response handle(APIGatewayProxyRequestEvent event) {
        return harness.handle(event);
    }

    /** POSTs a body with the service token. */
    public LambdaHarness.Response post(String path, String body) {
        return harness.handle(LambdaHarness.request("POST", path, body));
    }
}
