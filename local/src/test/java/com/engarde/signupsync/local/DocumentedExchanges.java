package com.engarde.signupsync.local;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.engarde.signupsync.testing.ApiExchange;
import com.engarde.signupsync.testing.ApiExchangeCheck;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The API document as the contract of every exchange the tests make ({@link ApiExchangeCheck}): the answer's
 * status, body and headers must be documented for its operation, and a request the document calls invalid must
 * be refused (a 4xx); a request it calls valid is checked in full. Validated by Atlassian's
 * swagger-request-validator against the generated {@code META-INF/swagger/signup-sync.json}, read once a JVM.
 */
public final class DocumentedExchanges implements ApiExchangeCheck {

    static final String DOCUMENT = "META-INF/swagger/signup-sync.json";

    /**
     * Headers of HTTP itself or of the transport, which no operation documents; every other header an answer
     * carries (Location, Content-Disposition, WWW-Authenticate...) must be declared by its response.
     */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("content-type", "content-length", "content-encoding",
            "vary", "date", "connection", "transfer-encoding", "server", "cache-control");

    private static final String SPECIFICATION = read();
    private static final OpenAPI API = new OpenAPIV3Parser().readContents(SPECIFICATION).getOpenAPI();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createFor(API).withBasePathOverride("/")
            // A query parameter a route does not know is ignored, as the document's introduction says.
            .withLevelResolver(com.atlassian.oai.validator.report.LevelResolver.create()
                    .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE).build())
            .build();

    @Override
    public void check(ApiExchange exchange) {
        List<String> violations = violations(exchange);
        if (!violations.isEmpty()) {
            throw new AssertionError("the answer breaks the API document (" + DOCUMENT + "):\n  "
                    + String.join("\n  ", violations) + "\n" + describe(exchange));
        }
    }

    /** What is wrong with the exchange against the document; empty when it is as documented. */
    static List<String> violations(ApiExchange exchange) {
        Request.Method method = Request.Method.valueOf(exchange.method().toUpperCase(Locale.ROOT));
        Optional<String> template = template(exchange.path(), method);
        Optional<Operation> operation = template.map(t -> API.getPaths().get(t).readOperationsMap()
                .get(PathItem.HttpMethod.valueOf(method.name())));
        if (operation.isEmpty() || !exchange.method().equals(method.name())) {
            // An undocumented path or method, or a method not spelled as HTTP spells it (refused before any route):
            // nothing to hold the answer to (HostileInputTest and RouteAuthTest
            // check that such a request is refused with the standard error body).
            return List.of();
        }
        SimpleRequest request = request(exchange, method, operation.get().getRequestBody() != null);
        SimpleResponse response = response(exchange);
        List<String> violations = new ArrayList<>();
        // The hostile-input walk sends, on purpose, what the document does not describe (any Accept, any body,
        // any parameter); its own assertions hold those requests to the rules. Its answers are checked here like
        // every other, and every other test's requests too.
        boolean hostile = exchange.test().startsWith(HostileInputTest.class.getSimpleName() + ".");
        if (exchange.status() < 400 && !hostile) {
            // A request the document calls invalid must not be accepted.
            ValidationReport requestReport = VALIDATOR.validateRequest(request);
            requestReport.getMessages().stream().filter(m -> m.getLevel() != ValidationReport.Level.IGNORE).forEach(m -> violations.add("request " + m.getKey() + ": " + m.getMessage()));
        }
        ValidationReport responseReport = VALIDATOR.validateResponse(exchange.path(), method, response);
        responseReport.getMessages().stream().filter(m -> m.getLevel() != ValidationReport.Level.IGNORE).forEach(m -> violations.add("answer " + m.getKey() + ": " + m.getMessage()));
        ApiResponse documented = documentedResponse(operation.get(), exchange.status());
        if (documented != null) {
            exchange.responseHeaders().keySet().stream()
                    .filter(name -> !TRANSPORT_HEADERS.contains(name.toLowerCase(Locale.ROOT)))
                    .filter(name -> documented.getHeaders() == null || documented.getHeaders().keySet().stream()
                            .noneMatch(name::equalsIgnoreCase))
                    .forEach(name -> violations.add("answer header '" + name + "' is sent but not declared for "
                            + exchange.status()));
        }
        return violations;
    }

    private static SimpleRequest request(ApiExchange exchange, Request.Method method, boolean readsABody) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(method, exchange.path());
        // HTTP reads an auth scheme case-insensitively (RFC 9110 11.1), so does the service; the validator does not.
        exchange.headers().forEach((name, value) -> builder.withHeader(name,
                name.equalsIgnoreCase("Authorization") && value.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? "Bearer " + value.substring(7) : value));
        exchange.query().forEach(builder::withQueryParam);
        // A body sent to a route that reads none (every GET, a trigger) is ignored, not accepted: not held against
        // the document.
        if (exchange.body() != null && !exchange.body().isEmpty() && readsABody) {
            builder.withBody(exchange.base64() ? Base64.getDecoder().decode(exchange.body())
                    : exchange.body().getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static SimpleResponse response(ApiExchange exchange) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(exchange.status());
        exchange.responseHeaders().forEach(builder::withHeader);
        String body = exchange.responseBody();
        if (body != null && !body.isEmpty()) {
            builder.withBody(decoded(exchange, body));
        }
        return builder.build();
    }

    /** A compressed answer travels base64-encoded through API Gateway; the document describes what it decodes to. */
    private static byte[] decoded(ApiExchange exchange, String body) {
        String encoding = exchange.responseHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Content-Encoding")).map(Map.Entry::getValue)
                .findFirst().orElse("identity");
        if (encoding.equalsIgnoreCase("identity")) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(body)))) {
            return in.readAllBytes();
        } catch (IOException | IllegalArgumentException e) {
            // Not gzip (another engineer owns which encodings are sent): the body as it came.
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The document's path template that has an operation for this method and path. */
    static Optional<String> template(String path, Request.Method method) {
        for (Map.Entry<String, PathItem> entry : API.getPaths().entrySet()) {
            String regex = "\\Q" + entry.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(regex, path)
                    && entry.getValue().readOperationsMap().get(PathItem.HttpMethod.valueOf(method.name())) != null) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    private static ApiResponse documentedResponse(Operation operation, int status) {
        if (operation.getResponses() == null) {
            return null;
        }
        ApiResponse exact = operation.getResponses().get(Integer.toString(status));
        if (exact != null) {
            return exact;
        }
        ApiResponse range = operation.getResponses().get(status / 100 + "XX");
        return range != null ? range : operation.getResponses().get("default");
    }

    private static String describe(ApiExchange exchange) {
        String body = exchange.responseBody() == null ? "" : exchange.responseBody();
        return "  sent by " + exchange.test() + ": " + exchange.method() + " " + exchange.path()
                + (exchange.query().isEmpty() ? "" : " " + exchange.query()) + "\n  answered " + exchange.status()
                + " " + exchange.responseHeaders().keySet() + " " + (body.length() > 600 ? body.substring(0, 600) + "..." : body);
    }

    static OpenAPI api() {
        return API;
    }

    static String specification() {
        return SPECIFICATION;
    }

    /** The document as the run serves it: the generated one with the declared integrations' value lists. */
    private static String read() {
        return ApiDocument.load().toString();
    }
}
