package com.engarde.signupsync.local;

import com.engarde.signupsync.funnel.SourceType;
import com.engarde.signupsync.integrations.Integration;
import com.engarde.signupsync.integrations.Integrations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API document as the run serves it and the tests check it: the one micronaut-openapi generated at compile
 * time, with each value list of integration types filled from the declarations on the classpath. A schema
 * asks for one with {@code x-integration-kinds}: the funnel_sources kinds it takes (pull, push, destination,
 * and api for the backend's own source types), so no controller spells the types out. A schema with
 * {@code x-integration-credentials} gets the declared credential fields of every integration as its description.
 */
final class ApiDocument {

    static final String RESOURCE = "META-INF/swagger/signup-sync.json";
    static final String KINDS = "x-integration-kinds";
    static final String CREDENTIALS = "x-integration-credentials";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiDocument() {
    }

    /** The generated document with the declared value lists. */
    static ObjectNode load() {
        try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the local module was built without micronaut-openapi");
            }
            ObjectNode document = (ObjectNode) JSON.readTree(in);
            fill(document);
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " could not be read", e);
        }
    }

    /** The types of the given kinds: declared integrations by their funnel_sources kind, and the backend's as api. */
    static List<String> types(Set<String> kinds) {
        List<String> declared = Integrations.declared().all().stream()
                .filter(i -> kinds.contains(i.kind().sourceKind())).map(Integration::type).toList();
        if (!kinds.contains("api")) {
            return declared;
        }
        Set<String> integrations = Set.copyOf(Integrations.declared().types());
        return java.util.stream.Stream.concat(declared.stream(), SourceType.values().stream().map(SourceType::id)
                .filter(id -> !integrations.contains(id))).toList();
    }

    /** Each integration's credential fields as declared: {@code zoom: account_id (identifier), ...; ...}. */
    static String credentials() {
        return Integrations.declared().all().stream()
                .map(i -> i.type() + ": " + i.credentials().stream()
                        .map(f -> f.name() + " (" + f.format().id().replace('_', ' ') + (f.vendorFormat() == null ? "" : ", the vendor's format")
                                + (f.required() ? "" : ", optional") + ")")
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; ", "The fields of the source type in the path. ", "."));
    }

    private static void fill(JsonNode node) {
        if (node instanceof ObjectNode object && object.path(KINDS).isTextual()) {
            Set<String> kinds = Arrays.stream(object.path(KINDS).asText().split(",")).map(String::strip)
                    .collect(Collectors.toSet());
            ArrayNode values = object.putArray("enum");
            types(kinds).forEach(values::add);
        }
        if (node instanceof ObjectNode object && object.has(CREDENTIALS)) {
            object.put("description", credentials());
        }
        node.forEach(ApiDocument::fill);
    }
}
