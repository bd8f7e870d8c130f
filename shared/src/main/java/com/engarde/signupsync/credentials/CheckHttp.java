package com.engarde.signupsync.credentials;

import com.engarde.signupsync.sync.RetryPolicy;
import com.engarde.signupsync.sync.VendorException;
import com.engarde.signupsync.sync.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The vendor HTTP policy as a {@link CredentialCheck} uses it: short timeouts (an admin is waiting), the one
 * retry policy and clock, and error messages read from the named fields of the vendor's JSON error body.
 */
@Singleton
public class CheckHttp {

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper mapper;

    CheckHttp(@Value("${signup.sync.verify.connect-timeout:5s}") Duration connectTimeout,
              @Value("${signup.sync.verify.request-timeout:10s}") Duration requestTimeout,
              RetryPolicy retry, Clock clock, ObjectMapper mapper) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** A client sending {@code headers} (the credential among them; never logged). */
    public VendorHttp client(String vendor, Map<String, String> headers, String... messageFields) {
        return new VendorHttp(vendor, headers, connectTimeout, requestTimeout, VendorHttp.RateLimit.NONE, retry, clock,
                answer -> message(answer, messageFields));
    }

    /** A 2xx body that must be a JSON object. */
    public JsonNode object(String vendor, String what, byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new VendorException(vendor, 200, vendor + " answered " + what + " with a body that is not a JSON object", null);
    }

    /** A configured base URL, with the trailing slash that {@link URI#resolve(String)} needs. */
    public static URI base(String url) {
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    private String message(VendorHttp.Answer answer, String... fields) {
        try {
            JsonNode node = mapper.readTree(answer.body());
            List<String> parts = new ArrayList<>();
            for (String field : fields) {
                if (node != null && node.hasNonNull(field)) {
                    parts.add(node.get(field).asText());
                }
            }
            return parts.isEmpty() ? null : String.join(" ", parts);
        } catch (IOException notJson) {
            return null;
        }
    }
}
