package com.engarde.signupsync.templates;

import com.engarde.signupsync.infra.AppSettings;
import com.engarde.signupsync.infra.FunctionJars;
import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.infra.SignupSyncApp;
import com.engarde.signupsync.infra.SignupSyncStack;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Synthesizes the app the way cdk.json does (same feature flags from cdk.json, same stack factory, cdk-nag on),
 * for a repository root and context values, once per combination. Functions whose jar has not been built get a
 * small placeholder jar, so the tests need neither a prior package nor the functions other work adds.
 */
final class Synth {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Who issues admin tokens and for whom: required of every deploy with admin routes, so given to every synth. */
    static final Map<String, String> ADMIN_JWT = Map.of("ADMIN_JWT_ISSUER", "https://auth.example.com/",
            "ADMIN_JWT_AUDIENCE", "signup-sync-admin");

    private static final Map<String, Result> SYNTHESIZED = new HashMap<>();
    private static final Map<String, Path> PLACEHOLDERS = new HashMap<>();

    private Synth() {
    }

    /** The fixture repository (every kind of manifest), in the dev stage unless the context says otherwise. */
    static Result fixture(Map<String, String> context) {
        return of(fixtureRoot(), context);
    }

    static Result fixture() {
        return fixture(Map.of());
    }

    /** This repository's own functions/ folder, as it is now. */
    static Result real() {
        return of(repoRoot(), Map.of());
    }

    static synchronized Result of(Path root, Map<String, String> context) {
        String key = root + " " + new TreeMap<>(context);
        Result cached = SYNTHESIZED.get(key);
        if (cached == null) {
            cached = synthesize(root, context);
            SYNTHESIZED.put(key, cached);
        }
        return cached;
    }

    private static Result synthesize(Path root, Map<String, String> context) {
        try {
            Map<String, Object> all = new LinkedHashMap<>(cdkJsonContext());
            all.putAll(ADMIN_JWT);
            all.putAll(context);
            // An empty value stands for a context value the deployer did not give.
            all.values().removeIf(v -> v instanceof String text && text.isEmpty());
            all.put("repoRoot", root.toString());
            Path outdir = scratch("cdk-out");
            App app = new App(AppProps.builder().outdir(outdir.toString()).context(all).build());
            SignupSyncStack stack = SignupSyncApp.stack(app, AppSettings.from(app.getNode()), Synth::jar);
            Template template = Template.fromStack(stack);
            JsonNode json = JSON.valueToTree(template.toJSON());
            List<String> nagFindings = new ArrayList<>();
            Annotations annotations = Annotations.fromStack(stack);
            for (SynthesisMessage message : annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
                nagFindings.add("error " + message.getId() + ": " + message.getEntry().getData());
            }
            for (SynthesisMessage message : annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
                nagFindings.add("warning " + message.getId() + ": " + message.getEntry().getData());
            }
            return new Result(root, stack, template, json, outdir, manifests(root), nagFindings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built jar when there is one, else a placeholder (Code.fromAsset needs a file that exists). */
    private static Path jar(FunctionManifest manifest) {
        Path built = FunctionJars.builtJar(repoRoot(), manifest);
        if (Files.isRegularFile(built)) {
            return built;
        }
        synchronized (PLACEHOLDERS) {
            return PLACEHOLDERS.computeIfAbsent(manifest.name(), Synth::placeholderJar);
        }
    }

    private static Path placeholderJar(String name) {
        try {
            Path jar = scratch("placeholder-jar").resolve(name + "-lambda.jar");
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
                zip.putNextEntry(new JarEntry("placeholder.txt"));
                zip.write(("placeholder for " + name + ", never deployed\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new folder under target/, so whatever a test run writes goes away with mvn clean. */
    private static Path scratch(String prefix) throws IOException {
        Path target = Files.createDirectories(Path.of("target", "synth").toAbsolutePath());
        return Files.createTempDirectory(target, prefix);
    }

    /** The repository root: the nearest folder above the working directory that has cdk.json and functions/. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("cdk.json")) && Files.isDirectory(dir.resolve("functions")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no cdk.json with functions/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path fixtureRoot() {
        try {
            return Path.of(Synth.class.getResource("/fixture-repo").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The feature flags and defaults a `cdk synth` from the repository root would have. */
    static Map<String, Object> cdkJsonContext() {
        try {
            JsonNode cdkJson = JSON.readTree(repoRoot().resolve("cdk.json").toFile());
            return JSON.convertValue(cdkJson.path("context"), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every functions/NAME/function.json as plain JSON, read independently of the app's own parser. */
    static Map<String, JsonNode> manifests(Path root) {
        Map<String, JsonNode> manifests = new TreeMap<>();
        try (Stream<Path> folders = Files.list(root.resolve("functions"))) {
            for (Path folder : folders.toList()) {
                Path file = folder.resolve("function.json");
                if (Files.isRegularFile(file)) {
                    manifests.put(folder.getFileName().toString(), JSON.readTree(file.toFile()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return manifests;
    }

    /** Copies a folder tree (for tests that change a repository: a new function, a new migration). */
    static Path copyOf(Path source) {
        try {
            Path target = scratch("repo-copy");
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path from : walk.toList()) {
                    Path to = target.resolve(source.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A synthesized stack and what the tests look up in it. */
    record Result(Path root, SignupSyncStack stack, Template template, JsonNode json, Path outdir,
                  Map<String, JsonNode> manifests, List<String> nagFindings) {

        Map<String, JsonNode> resources(String type) {
            Map<String, JsonNode> found = new TreeMap<>();
            json.path("Resources").fields().forEachRemaining(e -> {
                if (type.equals(e.getValue().path("Type").asText())) {
                    found.put(e.getKey(), e.getValue());
                }
            });
            return found;
        }

        JsonNode resource(String logicalId) {
            JsonNode resource = json.path("Resources").path(logicalId);
            if (resource.isMissingNode()) {
                throw new AssertionError("no resource " + logicalId);
            }
            return resource;
        }

        /** The Lambda function deployed for a manifest, found by its signup-sync:function tag. */
        String functionId(String name) {
            for (Map.Entry<String, JsonNode> e : resources("AWS::Lambda::Function").entrySet()) {
                for (JsonNode tag : e.getValue().path("Properties").path("Tags")) {
                    if ("signup-sync:function".equals(tag.path("Key").asText()) && name.equals(tag.path("Value").asText())) {
                        return e.getKey();
                    }
                }
            }
            throw new AssertionError("no function tagged " + name);
        }

        String aliasId(String name) {
            String function = functionId(name);
            return resources("AWS::Lambda::Alias").entrySet().stream()
                    .filter(e -> function.equals(e.getValue().path("Properties").path("FunctionName").path("Ref").asText()))
                    .map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError("no alias for " + name));
        }

        String roleId(String name) {
            JsonNode role = resource(functionId(name)).path("Properties").path("Role").path("Fn::GetAtt");
            return role.get(0).asText();
        }

        /** The statements of every IAM policy attached to the function's role. */
        List<JsonNode> roleStatements(String name) {
            String role = roleId(name);
            List<JsonNode> statements = new ArrayList<>();
            resources("AWS::IAM::Policy").values().forEach(policy -> {
                if (refs(policy.path("Properties").path("Roles")).contains(role)) {
                    policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
                }
            });
            return statements;
        }

        /** API Gateway resource logical id -> its full path ("/" for the root). */
        Map<String, String> apiPaths() {
            Map<String, JsonNode> resources = resources("AWS::ApiGateway::Resource");
            Map<String, String> paths = new TreeMap<>();
            for (String id : resources.keySet()) {
                paths.put(id, pathOf(id, resources));
            }
            return paths;
        }

        private static String pathOf(String id, Map<String, JsonNode> resources) {
            JsonNode properties = resources.get(id).path("Properties");
            JsonNode parent = properties.path("ParentId");
            String part = properties.path("PathPart").asText();
            if (parent.has("Fn::GetAtt")) {
                return "/" + part;
            }
            return pathOf(parent.path("Ref").asText(), resources) + "/" + part;
        }

        /** Every API method as "METHOD /path". */
        Map<String, JsonNode> methods() {
            Map<String, String> paths = apiPaths();
            Map<String, JsonNode> methods = new TreeMap<>();
            resources("AWS::ApiGateway::Method").values().forEach(method -> {
                JsonNode properties = method.path("Properties");
                JsonNode resourceId = properties.path("ResourceId");
                String path = resourceId.has("Fn::GetAtt") ? "/" : paths.get(resourceId.path("Ref").asText());
                methods.put(properties.path("HttpMethod").asText() + " " + path, properties);
            });
            return methods;
        }

        boolean hasAsyncTrigger(String name) {
            for (JsonNode trigger : manifests.get(name).path("triggers")) {
                String type = trigger.path("type").asText();
                if (type.equals("bus") || type.equals("schedule")) {
                    return true;
                }
            }
            return false;
        }

        /** The AwsSolutions nag report rows: rule, resource path, compliance, reason. */
        List<String[]> nagReport() {
            Path csv = outdir.resolve("AwsSolutions-" + stack.getStackName() + "-NagReport.csv");
            try {
                List<String[]> rows = new ArrayList<>();
                for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
                    rows.add(csvFields(line));
                }
                return rows;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String[] csvFields(String line) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            return fields.toArray(String[]::new);
        }
    }

    /** Every logical id a node refers to, through Ref or Fn::GetAtt, at any depth (pseudo parameters left out). */
    static Set<String> refs(JsonNode node) {
        Set<String> found = new LinkedHashSet<>();
        collectRefs(node, found);
        return found;
    }

    private static void collectRefs(JsonNode node, Set<String> found) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("Ref") && field.getValue().isTextual()) {
                    if (!field.getValue().asText().startsWith("AWS::")) {
                        found.add(field.getValue().asText());
                    }
                } else if (field.getKey().equals("Fn::GetAtt") && field.getValue().isArray()) {
                    found.add(field.getValue().get(0).asText());
                } else {
                    collectRefs(field.getValue(), found);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, found));
        }
    }

    /** A node's values as a list of texts: a single string or an array of strings. */
    static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.isTextual() ? n.asText() : n.toString()));
        } else if (!node.isMissingNode()) {
            values.add(node.isTextual() ? node.asText() : node.toString());
        }
        return values;
    }
}
