package com.engarde.signupsync.input;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.LimitReached;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
        // A repeated key would otherwise let the last one win unseen ({"source_type":"bogus",...,"source_type":"manual"}).
        this.strict = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.exact = strict.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** The one way bodies are read: a value followed by anything but whitespace is malformed, not truncated. */
    public ObjectReader strictReader() {
        return strict;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Parses a body that must be a JSON object no larger than {@code limitBytes}, every value storable. */
    public ObjectNode object(byte[] body, long limitBytes) {
        ObjectNode object = envelope(body, limitBytes);
        storable(object);
        return object;
    }

    /** A JSON object whose items the caller checks one by one with {@link #storable(ObjectNode)}. */
    public ObjectNode envelope(byte[] body, long limitBytes) {
        JsonNode node = parse(body, limitBytes);
        if (!node.isObject()) {
            throw new InvalidInput(null, "request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Like {@link #object}, with every fractional number kept as the exact decimal it was written as (money). */
    public ObjectNode exactObject(byte[] body, long limitBytes) {
        JsonNode node = parse(exact, body, limitBytes);
        if (!node.isObject()) {
            throw new InvalidInput(null, "request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * Parses a body no larger than {@code limitBytes}: valid UTF-8 (never repaired), one JSON value, no repeated
     * key. Problems are told without the parser's own words.
     */
    public JsonNode parse(byte[] body, long limitBytes) {
        return parse(strict, body, limitBytes);
    }

    private static JsonNode parse(ObjectReader reader, byte[] body, long limitBytes) {
        if (body != null && body.length > limitBytes) {
            throw LimitReached.bodyLargerThan(limitBytes);
        }
        if (body == null || body.length == 0) {
            throw new InvalidInput(null, "request body is empty; send a JSON object");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new InvalidInput(null, "request body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (java.io.IOException e) {
            throw new InvalidInput(null, "request body could not be read");
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidInput(null, "request body is empty; send a JSON object");
        }
        return node;
    }

    /**
     * Refuses an object holding a string or key PostgreSQL could not store or would store altered (a control
     * character, half a surrogate pair) or a number too large to be one, naming the top-level field. Batches
     * call it per item, so that one bad item fails alone.
     */
    public void storable(ObjectNode object) {
        object.fields().forEachRemaining(field -> storable(field.getKey(), field.getKey())
                .or(() -> storable(field.getKey(), field.getValue()))
                .ifPresent(problem -> {
                    throw new InvalidInput(field.getKey(), problem);
                }));
    }

    /** What in {@code node} could not be stored, depth first, told as {@code <field> ...}; empty when nothing. */
    private static java.util.Optional<String> storable(String field, JsonNode node) {
        if (node.isTextual()) {
            return storable(field, node.textValue());
        }
        if (node.isFloatingPointNumber() && node.isDouble() && !Double.isFinite(node.doubleValue())) {
            return java.util.Optional.of(field + " holds a number too large to store");
        }
        if (node.isContainerNode()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var entry = fields.next();
                var problem = storable(field, entry.getKey()).or(() -> storable(field, entry.getValue()));
                if (problem.isPresent()) {
                    return problem;
                }
            }
            for (JsonNode element : node.isArray() ? node : java.util.List.<JsonNode>of()) {
                var problem = storable(field, element);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** Free text anywhere in a body: tab and line breaks are allowed, other control characters are not. */
    private static java.util.Optional<String> storable(String field, String text) {
        return java.util.Optional.ofNullable(InputText.problem(text, true)).map(problem -> field + " " + problem);
    }

    private static InvalidInput malformed(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String key = original.startsWith("Duplicate field '")
                ? original.substring("Duplicate field '".length(), original.lastIndexOf('\'')) : null;
        return new InvalidInput(key, "request body is not valid JSON: " + problem(e));
    }

    /** What is wrong with a body the strict reader refused, in the caller's terms (no parser class names). */
    public static String problem(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return original.contains("nesting") ? "it is nested too deeply"
                    : original.startsWith("Number") ? "it holds a number with too many digits"
                    : original.startsWith("String") ? "it holds a string that is too long"
                    : "it is too large to read";
        }
        if (original.startsWith("Duplicate field '")) {
            return "duplicate key \"" + original.substring("Duplicate field '".length(), original.lastIndexOf('\''))
                    + "\"";
        }
        if (original.startsWith("Trailing token")) {
            return "it has data after the JSON value";
        }
        JsonLocation at = e.getLocation();
        return at == null ? "it cannot be parsed" : "it cannot be parsed at line " + at.getLineNr() + ", column "
                + at.getColumnNr();
    }

    public static byte[] utf8(String body) {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }
}
