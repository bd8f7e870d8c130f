package com.engarde.signupsync.sources.anthropic;

import com.engarde.signupsync.appointments.Narrative;
import com.engarde.signupsync.appointments.NarrativeWriter;
import com.engarde.signupsync.credentials.SourceCredentials;
import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.http.RetryPolicy;
import com.engarde.signupsync.http.TimeBudget;
import com.engarde.signupsync.http.TimeBudgetExhausted;
import com.engarde.signupsync.http.VendorException;
import com.engarde.signupsync.persistence.Database;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Narratives written by Anthropic, cached by what they were written from (the subject, the model and the facts):
 * the same question costs one call. Without a key the narrative is absent; a failure, a timeout or a spend limit
 * is a failed narrative, never a failed request.
 */
@Singleton
final class AnthropicNarratives implements NarrativeWriter {

    private static final Logger LOG = LoggerFactory.getLogger(AnthropicNarratives.class);

    /** Part of the cache key: a changed prompt is a new question. */
    static final String PROMPT_VERSION = "1";
    static final String SYSTEM = """
            You write a short summary, at most 120 words of plain prose without headings or lists, for the \
            administrators of a business about the bookings of its appointment calendar. Use only the figures \
            given as JSON; do not invent or estimate figures that are not there. Rates are shares from 0 to 1 over \
            resolved appointments (completed, no-show, cancelled); hours are from booking to start; weekdays are \
            ISO (1 = Monday); popular services are named by rank only.""";

    private final SourceCredentials credentials;
    private final AnthropicSettings settings;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ObjectMapper json;
    private final Database database;
    private volatile AnthropicClient client;

    AnthropicNarratives(SourceCredentials credentials, AnthropicSettings settings, RetryPolicy retry, Clock clock,
                        ObjectMapper json, Database database) {
        this.credentials = credentials;
        this.settings = settings;
        this.retry = retry;
        this.clock = clock;
        this.json = json;
        this.database = database;
    }

    @Override
    public Narrative write(String subject, ObjectNode facts) {
        Optional<String> key = credentials.find(AnthropicIntegration.TYPE).flatMap(c -> c.field("api_key"));
        if (key.isEmpty() || key.get().isBlank()) {
            return Narrative.absent("no Anthropic API key is configured (ANTHROPIC_API_KEY, or stored through the admin API)");
        }
        String prompt;
        try {
            prompt = "Figures (JSON):\n" + json.writeValueAsString(facts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("figures that are not JSON", e);
        }
        String cacheKey = cacheKey(subject, prompt);
        Optional<String> cached = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT narrative FROM insight_narratives WHERE cache_key = ?")) {
                select.setString(1, cacheKey);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        if (cached.isPresent()) {
            return Narrative.cached(cached.get());
        }
        String reason;
        try {
            String text = client(key.get()).write(SYSTEM, prompt, TimeBudget.of(clock.instant(), settings.budget(), Duration.ZERO));
            database.transaction(c -> {
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO insight_narratives (cache_key, analysis_type, model, narrative) VALUES (?, ?, ?, ?)
                        ON CONFLICT (cache_key) DO NOTHING""")) {
                    insert.setString(1, cacheKey);
                    insert.setString(2, subject);
                    insert.setString(3, settings.model());
                    insert.setString(4, text);
                    return insert.executeUpdate();
                }
            });
            return Narrative.present(text);
        } catch (TimeBudgetExhausted e) {
            reason = "timed out: no answer from Anthropic within the " + settings.budget().toSeconds() + " s a narrative may take";
        } catch (VendorException e) {
            reason = reason(e);
        } catch (RuntimeException e) {
            // Whatever else went wrong (a refused URL, the cache write), the figures are still the answer.
            reason = "the narrative could not be written";
            LOG.warn("narrative of {} not written", subject, e);
        }
        LOG.warn("narrative of {} not written: {}", subject, reason);
        return Narrative.failed(reason);
    }

    private static String reason(VendorException e) {
        if (AnthropicClient.SPEND_LIMIT.equals(e.code())) {
            return "Anthropic's spend limit is reached (not retried)";
        }
        if (e.status() == 0) {
            return e.getMessage() != null && e.getMessage().contains("timed out")
                    ? "timed out: Anthropic did not answer in time" : "Anthropic could not be reached";
        }
        return "Anthropic answered " + e.status() + (e.code() == null ? "" : " (" + e.code() + ")");
    }

    private AnthropicClient client(String key) {
        AnthropicClient current = client;
        if (current == null || !current.uses(key)) {
            current = new AnthropicClient(settings, key, retry, clock, json);
            client = current;
        }
        return current;
    }

    private String cacheKey(String subject, String prompt) {
        MessageDigest sha = Sha256.incremental();
        for (String part : new String[] {subject, settings.model(), PROMPT_VERSION, prompt}) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
