package com.engarde.signupsync.bus;

import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.manifest.SyncBus;
import com.engarde.signupsync.observability.LogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.engarde.signupsync.snapstart.ApiGatewayFunction;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload1.ApiGatewayProxyRequestEventFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The Lambda handler of every function that is both an API Gateway and an EventBridge target
 * ({@code "handler": "com.engarde.signupsync.bus.LambdaHandler"} in function.json). It looks at the event:
 * <ul>
 *   <li>an API Gateway (REST, payload 1.0) proxy event goes to Micronaut's
 *       {@link ApiGatewayProxyRequestEventFunction}, so controllers, filters and error handlers are those of
 *       every other function;</li>
 *   <li>an EventBridge event with {@code detail-type} {@value SyncBus#SYNC_REQUESTED} goes to the
 *       {@link SyncRequestedHandler} bean for its {@code detail.source_type};</li>
 *   <li>the schedule's {@code detail-type} {@value #SCHEDULED} goes to the {@link ScheduleHandler} beans.</li>
 * </ul>
 * A bus event's time budget ends {@code signup.sync.budget.reserve} (default 45 s) before the invocation's
 * deadline. An event nobody here handles fails the invocation: a rule that routes it here is a mistake to see.
 */
public class LambdaHandler implements RequestStreamHandler {

    public static final String SCHEDULED = "Scheduled Event";

    /** What a bus event's budget keeps back from the invocation's deadline unless signup.sync.budget.reserve says otherwise. */
    public static final Duration DEFAULT_BUDGET_RESERVE = Duration.ofSeconds(45);

    private static final Logger LOG = LoggerFactory.getLogger(LambdaHandler.class);
    /** Lambda's own envelopes, read and written as AWS spells them, whatever the application's JSON settings. */
    private static final ObjectMapper ENVELOPES = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final ApiGatewayProxyRequestEventFunction api;
    private final ApplicationContext context;

    /** The Lambda runtime's constructor: builds and starts the application context once per container. */
    public LambdaHandler() {
        this(new ApiGatewayFunction());
    }

    /** Over a context that the caller started (tests, the local run). */
    public LambdaHandler(ApplicationContext context) {
        this(new ApiGatewayProxyRequestEventFunction(context));
    }

    private LambdaHandler(ApiGatewayProxyRequestEventFunction api) {
        this.api = api;
        this.context = api.getApplicationContext();
    }

    public ApplicationContext getApplicationContext() {
        return context;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        JsonNode event = ENVELOPES.readTree(input);
        if (event != null && event.has("detail-type")) {
            ENVELOPES.writeValue(output, handleBusEvent(event, lambda));
            return;
        }
        APIGatewayProxyRequestEvent request = ENVELOPES.treeToValue(event, APIGatewayProxyRequestEvent.class);
        APIGatewayProxyResponseEvent response = api.handleRequest(request, lambda);
        ENVELOPES.writeValue(output, response);
    }

    private ObjectNode handleBusEvent(JsonNode event, Context lambda) {
        String eventId = event.path("id").asText(null);
        try (LogContext.Scope scope = LogContext.begin(null, lambda != null ? lambda.getAwsRequestId() : eventId, eventId)) {
            return handleBusEvent(event, lambda, event.path("detail-type").asText());
        }
    }

    private ObjectNode handleBusEvent(JsonNode event, Context lambda, String detailType) {
        TimeBudget budget = budget(lambda);
        ObjectNode answer = ENVELOPES.createObjectNode().put("handled", detailType);
        switch (detailType) {
            case SyncBus.SYNC_REQUESTED -> {
                SyncRequested request = SyncRequested.fromDetail(event.path("detail"));
                List<SyncRequestedHandler> handlers = context.getBeansOfType(SyncRequestedHandler.class).stream()
                        .filter(h -> h.deployed() && h.sourceType().equals(request.sourceType())).toList();
                if (handlers.isEmpty()) {
                    throw new IllegalArgumentException("this function does not sync " + request.sourceType()
                            + "; check the bus rule that routed " + request + " here");
                }
                LOG.info("bus event {} (EventBridge id {})", request, event.path("id").asText());
                Invocation invocation = new Invocation(lambda == null ? null : lambda.getAwsRequestId(), budget);
                handlers.forEach(h -> h.handle(request, invocation));
                answer.put("source_type", request.sourceType());
            }
            case SCHEDULED -> {
                List<ScheduleHandler> handlers = List.copyOf(context.getBeansOfType(ScheduleHandler.class));
                if (handlers.isEmpty()) {
                    throw new IllegalArgumentException("this function has no schedule handler; check the schedule rule");
                }
                handlers.forEach(h -> h.onSchedule(budget));
            }
            default -> throw new IllegalArgumentException("unexpected EventBridge detail-type '" + detailType + "'");
        }
        return answer;
    }

    private TimeBudget budget(Context lambda) {
        if (lambda == null) {
            return TimeBudget.unlimited();
        }
        Duration reserve = context.getProperty("signup.sync.budget.reserve", Duration.class).orElse(DEFAULT_BUDGET_RESERVE);
        return TimeBudget.of(context.getBean(Clock.class).instant(),
                Duration.ofMillis(lambda.getRemainingTimeInMillis()), reserve);
    }
}
