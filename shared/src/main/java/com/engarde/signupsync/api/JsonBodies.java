package com.engarde.signupsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * Request bodies are read here, from raw bytes, so that the size limit, malformed JSON and every field error
 * are answered in the one error shape instead of by the framework's binder.
 */
@Singleton
public class JsonBodies {

    private final ObjectMapper mapper;
    private final ObjectReader strict;
    private final ObjectReader exact;

    public JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strict = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.exact = strict.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** The one way bodies are read: a value followed by anything but whitespace is malformed, not truncated. */
    public ObjectReader strictReader() {
        return strict;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Parses a body that must be a JSON object no larger than {@code limitBytes}. */
    public ObjectNode object(byte[] body, long limitBytes) {
        JsonNode node = parse(body, limitBytes);
        if (!node.isObject()) {
            throw ApiException.invalid(null, "request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Like {@link #object}, with every fractional number kept as the exact decimal it was written as (money). */
    public ObjectNode exactObject(byte[] body, long limitBytes) {
        JsonNode node = parse(exact, body, limitBytes);
        if (!node.isObject()) {
            throw ApiException.invalid(null, "request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    public JsonNode parse(byte[] body, long limitBytes) {
        return parse(strict, body, limitBytes);
    }

    private static JsonNode parse(ObjectReader reader, byte[] body, long limitBytes) {
        if (body != null && body.length > limitBytes) {
            throw ApiException.tooLarge(limitBytes);
        }
        if (body == null || body.length == 0) {
            throw ApiException.invalid(null, "request body is empty; send a JSON object");
        }
        try {
            JsonNode node = reader.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.invalid(null, "request body is empty; send a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(null, "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.invalid(null, "request body could not be read");
        }
    }

    public static byte[] utf8(String body) {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }
}
