package com.engarde.signupsync.sources.anthropic;

import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.VendorAuth;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.http.VendorHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Anthropic's Messages API as documented (shared/sources/anthropic.md): one POST {@code /v1/messages} with the
 * key in {@code x-api-key} and {@code anthropic-version: 2023-06-01}; errors {@code {"type":"error","error":
 * {"type","message","details":{"error_code"}}}}. Through the one vendor HTTP policy rather than the official SDK:
 * the SDK brings OkHttp and Kotlin's standard library (several MB) to a function whose jar and cold start are
 * budgeted, for a single POST. A 429 waits for retry-after and a 529 backs off (the policy); a spend limit
 * ({@code enforced_spend_limit_reached}) is not retried.
 */
final class AnthropicClient {

    static final String VENDOR = "Anthropic";
    static final String VERSION = "2023-06-01";
    static final String SPEND_LIMIT = "enforced_spend_limit_reached";

    private final AnthropicSettings settings;
    private final ObjectMapper json;
    private final VendorHttp http;
    private final String key;

    AnthropicClient(AnthropicSettings settings, String key, RetryPolicy retry, Clock clock, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.key = key;
        VendorHttp.requireSafeBase(settings.messages());
        VendorAuth auth = (request, budget) -> request.header("x-api-key", key).header("anthropic-version", VERSION);
        this.http = new VendorHttp(VENDOR, auth, settings.http(), retry, clock, this::message, new Errors());
    }

    /** True when this client holds this key (a rotation gets a new client). */
    boolean uses(String apiKey) {
        return key.equals(apiKey);
    }

    /** The text of the model's answer to one user message under a system prompt. */
    String write(String system, String user, TimeBudget budget) {
        ObjectNode body = json.createObjectNode().put("model", settings.model()).put("max_tokens", settings.maxTokens())
                .put("system", system);
        body.putArray("messages").addObject().put("role", "user").put("content", user);
        byte[] answer;
        try {
            answer = http.post(settings.messages(), json.writeValueAsBytes(body), budget);
        } catch (IOException e) {
            throw new IllegalStateException("the request body could not be written", e);
        }
        StringBuilder text = new StringBuilder();
        try {
            for (JsonNode block : json.readTree(answer).path("content")) {
                if (block.path("type").asText().equals("text")) {
                    text.append(block.path("text").asText());
                }
            }
        } catch (IOException e) {
            throw new VendorException(VENDOR, 200, VENDOR + "'s answer is not JSON", null);
        }
        if (text.isEmpty()) {
            throw new VendorException(VENDOR, 200, VENDOR + "'s answer holds no text", null);
        }
        return text.toString().strip();
    }

    private String message(VendorHttp.Answer answer) {
        JsonNode error = error(answer);
        return error == null ? VendorHttp.text(answer) : error.path("message").asText(null);
    }

    private JsonNode error(VendorHttp.Answer answer) {
        try {
            JsonNode error = json.readTree(answer.body()).path("error");
            return error.isObject() ? error : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The error code: the details' error_code where given (a spend limit), else the error's type. */
    private final class Errors implements VendorHttp.ErrorReading {
        @Override
        public String code(VendorHttp.Answer answer) {
            JsonNode error = error(answer);
            if (error == null) {
                return null;
            }
            String detail = error.path("details").path("error_code").asText(null);
            return detail != null ? detail : error.path("type").asText(null);
        }

        @Override
        public boolean refusesRetry(VendorHttp.Answer answer) {
            return answer.status() == 429 && SPEND_LIMIT.equals(code(answer));
        }

        @Override
        public Optional<Instant> quotaResetsAt(VendorHttp.Answer answer, HttpHeaders headers, Instant now) {
            return Optional.empty();
        }
    }
}
