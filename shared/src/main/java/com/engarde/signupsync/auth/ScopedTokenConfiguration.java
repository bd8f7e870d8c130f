package com.engarde.signupsync.auth;

import com.engarde.signupsync.crypto.Sha256;
import com.engarde.signupsync.manifest.ServiceScope;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scoped service tokens of SIGNUP_SYNC_SCOPED_TOKENS: a JSON list of
 * {@code {"name": "backend-funnel", "sha256": "<hex SHA-256 of the token>", "scopes": ["funnel:write"]}}. Only the
 * digest is configured, so the configuration opens nothing when read. Every mistake is refused as a whole with a
 * message that names the entry and the rule, never a value (a value may be a secret).
 */
final class ScopedTokenConfiguration {

    record Entry(String name, byte[] sha256, Set<ServiceScope> scopes) {
    }

    /** Names show in logs, so they are kept to characters that cannot forge a log line. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");
    private static final Set<String> FIELDS = Set.of("name", "sha256", "scopes");

    static final ScopedTokenConfiguration NONE = new ScopedTokenConfiguration(List.of());

    private final List<Entry> entries;

    private ScopedTokenConfiguration(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The entry whose digest is {@code presented}; every entry is compared, in constant time each. */
    Optional<Entry> match(byte[] presented) {
        Entry found = null;
        for (Entry entry : entries) {
            if (Sha256.same(presented, entry.sha256()) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Reads the configuration; a blank value configures no scoped token. */
    static ScopedTokenConfiguration parse(String value, ObjectMapper json) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        JsonNode list;
        try {
            list = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(value);
        } catch (JacksonException e) {
            // Jackson's message quotes the input: never pass it on.
            throw new IllegalArgumentException("it is not valid JSON (or repeats a key in an object)");
        }
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("it must be a JSON list of {\"name\", \"sha256\", \"scopes\"}");
        }
        List<Entry> entries = new ArrayList<>();
        int position = 0;
        for (JsonNode item : list) {
            position++;
            entries.add(entry(item, "entry " + position));
        }
        for (int i = 0; i < entries.size(); i++) {
            for (int j = i + 1; j < entries.size(); j++) {
                if (Sha256.same(entries.get(i).sha256(), entries.get(j).sha256())) {
                    throw new IllegalArgumentException("entries " + (i + 1) + " and " + (j + 1) + " have the same sha256");
                }
            }
        }
        return new ScopedTokenConfiguration(entries);
    }

    private static Entry entry(JsonNode item, String where) {
        if (!item.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        if (item.has("token")) {
            throw new IllegalArgumentException(where + " holds a token in clear: configure its SHA-256 (hex) as sha256");
        }
        item.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + " has a field other than name, sha256 and scopes");
            }
        });
        JsonNode name = item.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            throw new IllegalArgumentException(where + ": name must be 1 to 64 of A-Z a-z 0-9 . _ : -");
        }
        JsonNode sha256 = item.get("sha256");
        if (sha256 == null || !sha256.isTextual() || !SHA256.matcher(sha256.asText()).matches()) {
            throw new IllegalArgumentException(where + " (" + name.asText() + "): sha256 must be the token's SHA-256 as 64 hex digits");
        }
        JsonNode scopes = item.get("scopes");
        if (scopes == null || !scopes.isArray()) {
            throw new IllegalArgumentException(where + " (" + name.asText() + "): scopes must be a list (empty for none)");
        }
        Set<ServiceScope> held = EnumSet.noneOf(ServiceScope.class);
        for (JsonNode scope : scopes) {
            held.add(ServiceScope.fromName(scope.isTextual() ? scope.asText() : "").orElseThrow(() -> new IllegalArgumentException(
                    where + " (" + name.asText() + "): every scope must be one of " + ServiceScope.names())));
        }
        return new Entry(name.asText(), HexFormat.of().parseHex(sha256.asText()), Set.copyOf(held));
    }
}
