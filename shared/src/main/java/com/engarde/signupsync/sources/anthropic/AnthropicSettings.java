package com.engarde.signupsync.sources.anthropic;

import com.engarde.signupsync.http.VendorHttp;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;

/**
 * How the narratives call Anthropic. Environment variables (Micronaut maps each to the property in brackets):
 * <ul>
 *   <li>{@code ANTHROPIC_API_KEY}: the credential, asked of {@code SourceCredentials} at each call (an admin may
 *       store another); without one no narrative is asked for;</li>
 *   <li>{@code ANTHROPIC_API_URL} (default {@code https://api.anthropic.com/v1/}): the API base;</li>
 *   <li>{@code ANTHROPIC_MODEL} (default {@code claude-haiku-4-5}: a short summary of given figures needs no larger
 *       model) and {@code ANTHROPIC_MAX_TOKENS} (default 600);</li>
 *   <li>{@code ANTHROPIC_CONNECT_TIMEOUT} (5s), {@code ANTHROPIC_REQUEST_TIMEOUT} (15s) and {@code ANTHROPIC_BUDGET}
 *       (20s): a call and all its retries end within the budget, so the route answers before API Gateway's 29 s.</li>
 * </ul>
 */
@Singleton
public class AnthropicSettings {

    private final URI api;
    private final String model;
    private final int maxTokens;
    private final Duration budget;
    private final VendorHttp.Settings http;

    public AnthropicSettings(@Value("${anthropic.api.url:`https://api.anthropic.com/v1/`}") String api,
                             @Value("${anthropic.model:claude-haiku-4-5}") String model,
                             @Value("${anthropic.max-tokens:600}") int maxTokens,
                             @Value("${anthropic.connect-timeout:5s}") Duration connectTimeout,
                             @Value("${anthropic.request-timeout:15s}") Duration requestTimeout,
                             @Value("${anthropic.budget:20s}") Duration budget) {
        String base = api.strip();
        this.api = URI.create(base.endsWith("/") ? base : base + "/");
        this.model = model.strip();
        if (this.model.isEmpty() || this.model.length() > 200) {
            throw new IllegalArgumentException("ANTHROPIC_MODEL must be a model id such as claude-haiku-4-5");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("ANTHROPIC_MAX_TOKENS must be at least 1");
        }
        this.maxTokens = maxTokens;
        this.budget = budget;
        this.http = new VendorHttp.Settings(connectTimeout, requestTimeout, VendorHttp.RateLimit.NONE, 1024 * 1024);
    }

    URI messages() {
        return api.resolve("messages");
    }

    public String model() {
        return model;
    }

    int maxTokens() {
        return maxTokens;
    }

    Duration budget() {
        return budget;
    }

    VendorHttp.Settings http() {
        return http;
    }
}
