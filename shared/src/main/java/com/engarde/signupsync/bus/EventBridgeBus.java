package com.engarde.signupsync.bus;

import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.manifest.SyncBus;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.engarde.signupsync.snapstart.PrimableClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The EventBridge bus named by {@code SIGNUP_SYNC_EVENT_BUS_NAME}. PutEvents takes ten entries a call and may
 * accept some of them only; the rejected ones are put again with the one backoff policy, and publishing
 * fails if any is still rejected. {@code signup.sync.bus.endpoint} points the client at a stub in tests.
 * <p>
 * EventBridge delivers at once and cannot hold an event: one with a not-before time still to come (a
 * continuation waiting for a vendor's quota to reset) is not put, since its function could only refuse it.
 * Its run waits in the run log, and the first dispatch after that time (the daily schedule, POST /sync/all or
 * POST /sync/{source}) hands it to the bus; dispatches before then start nothing.
 */
@Singleton
@Requires(property = "signup.sync.event.bus.name")
@Requires(classes = EventBridgeClient.class)
public class EventBridgeBus implements EventBus, PrimableClient {

    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeBus.class);
    private static final int ENTRIES_PER_CALL = 10;
    private static final int ATTEMPTS = 4;

    /** What {@link #prime()}'s in-process EventBridge answers: every entry accepted. */
    private static final String PRIMING_ANSWER = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"snapshot-priming\"}]}";

    private final String busName;
    private final String endpoint;
    private final String region;
    private final EventBridgeClient client;
    private final RetryPolicy retry;
    private final Clock clock;

    public EventBridgeBus(@Value("${signup.sync.event.bus.name}") String busName,
                          @Value("${signup.sync.bus.endpoint:}") String endpoint,
                          @Value("${signup.sync.bus.region:}") String region,
                          RetryPolicy retry, Clock clock) {
        this.busName = busName;
        this.endpoint = endpoint;
        this.region = region;
        this.retry = retry;
        this.clock = clock;
        this.client = builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    private EventBridgeClientBuilder builder() {
        EventBridgeClientBuilder builder = EventBridgeClient.builder();
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        if (!region.isBlank()) {
            builder.region(Region.of(region));
        }
        return builder;
    }

    /**
     * One PutEvents through a client configured like the real one, with the same URL-connection HTTP client, sent
     * to an HTTP server on the loopback interface that lives for this call only and answers
     * {@link #PRIMING_ANSWER}; its credentials are throwaway values. So the SDK's whole request path
     * (marshalling, endpoint rules, signing, the HTTP client, unmarshalling) is loaded before the snapshot, while
     * nothing is published and no real credential is resolved (each restore resolves its own). The answer says
     * {@code Connection: close}, so no kept-alive connection is left in the snapshot; the server and the priming
     * client are closed again.
     */
    @Override
    public void prime() throws IOException {
        HttpServer loopback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        loopback.createContext("/", exchange -> {
            byte[] body = PRIMING_ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        loopback.start();
        try (SdkHttpClient http = UrlConnectionHttpClient.create();
             EventBridgeClient priming = builder().httpClient(http)
                     .endpointOverride(URI.create("http://" + loopback.getAddress().getHostString() + ":"
                             + loopback.getAddress().getPort()))
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create("snapshot-priming", "snapshot-priming-not-a-secret")))
                     .build()) {
            put(priming, List.of(entry(new SyncRequested("snapshot-priming", SyncTrigger.MANUAL, null))));
        } finally {
            loopback.stop(0);
        }
    }

    @Override
    public void publish(List<SyncRequested> all) {
        List<SyncRequested> events = all.stream().filter(e -> !e.waitsAt(clock.instant())).toList();
        all.stream().filter(e -> e.waitsAt(clock.instant())).forEach(e -> LOG.info(
                "{} waits in the run log until {}; the first dispatch after then carries it out", e, e.notBefore()));
        for (int from = 0; from < events.size(); from += ENTRIES_PER_CALL) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (SyncRequested event : events.subList(from, Math.min(events.size(), from + ENTRIES_PER_CALL))) {
                entries.add(entry(event));
            }
            put(client, entries);
        }
    }

    private PutEventsRequestEntry entry(SyncRequested event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SyncBus.SOURCE)
                .detailType(SyncBus.SYNC_REQUESTED)
                .detail(event.detail().toString())
                .build();
    }

    private void put(EventBridgeClient client, List<PutEventsRequestEntry> entries) {
        List<PutEventsRequestEntry> pending = entries;
        String lastError = null;
        for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                retry.pause(retry.backoff(attempt - 1));
            }
            PutEventsResponse response = client.putEvents(PutEventsRequest.builder().entries(pending).build());
            List<PutEventsRequestEntry> rejected = new ArrayList<>();
            List<PutEventsResultEntry> results = response.entries();
            for (int i = 0; i < results.size() && i < pending.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    rejected.add(pending.get(i));
                    lastError = results.get(i).errorCode() + ": " + results.get(i).errorMessage();
                }
            }
            pending = rejected;
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException("EventBridge rejected " + pending.size() + " SyncRequested event(s) on bus "
                    + busName + " after " + ATTEMPTS + " attempts; last error " + lastError);
        }
    }

    @PreDestroy
    public void close() {
        client.close();
    }
}
