package com.engarde.signupsync.templates;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.manifest.FunctionManifest;
import com.engarde.signupsync.persistence.ConnectionsPerInstance;
import com.engarde.signupsync.persistence.RdsCertificates;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Least privilege at the edges: the runtime functions log in as the application role (data rights only) and
 * never see the master secret, which only the schema's owner (db-migrate) reads; the database accepts TLS only
 * and its CA is one the functions carry; the open routes have their own throttling; every function has reserved
 * concurrency, and their connections add up within the database's max_connections.
 */
class EdgesTest {

    static Stream<Named<Synth.Result>> repositories() {
        return Stream.of(Named.of("fixture functions", Synth.fixture()), Named.of("this repository's functions", Synth.real()),
                Named.of("fixture functions, prod", Synth.fixture(ProdSettings.CONTEXT)));
    }

    /** The logical ids of the two attached database secrets: master (the instance's own) and application role. */
    private record DatabaseSecrets(String master, String app) {
    }

    private static DatabaseSecrets databaseSecrets(Synth.Result synth) throws IOException {
        Map<String, JsonNode> attachments = synth.resources("AWS::SecretsManager::SecretTargetAttachment");
        assertThat(attachments).hasSize(2);
        String master = null;
        String app = null;
        for (Map.Entry<String, JsonNode> attachment : attachments.entrySet()) {
            String secret = Synth.refs(attachment.getValue().path("Properties").path("SecretId")).iterator().next();
            JsonNode generate = synth.resource(secret).path("Properties").path("GenerateSecretString");
            String username = Synth.JSON.readTree(generate.path("SecretStringTemplate").asText()).path("username").asText();
            if (username.equals("signupsync")) {
                master = attachment.getKey();
            } else if (username.equals("signupsync_app")) {
                app = attachment.getKey();
            }
        }
        assertThat(master).as("the master secret").isNotNull();
        assertThat(app).as("the application role's secret").isNotNull();
        return new DatabaseSecrets(master, app);
    }

    private static Set<String> secretsReadBy(Synth.Result synth, String function) {
        Set<String> granted = new HashSet<>();
        for (JsonNode statement : synth.roleStatements(function)) {
            if (Synth.texts(statement.path("Action")).contains("secretsmanager:GetSecretValue")) {
                granted.addAll(Synth.refs(statement.path("Resource")));
            }
        }
        return granted;
    }

    private static JsonNode variables(Synth.Result synth, String function) {
        return synth.resource(synth.functionId(function)).path("Properties").path("Environment").path("Variables");
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void runtimeFunctionsConnectAsTheApplicationRoleAndOnlyTheSchemasOwnerReadsTheMasterSecret(Synth.Result synth)
            throws Exception {
        DatabaseSecrets secrets = databaseSecrets(synth);
        List<String> owners = new ArrayList<>();
        List<String> runtime = new ArrayList<>();
        synth.manifests().forEach((name, manifest) -> {
            if (!manifest.path("database").asBoolean(false)) {
                return;
            }
            Set<String> read = secretsReadBy(synth, name);
            JsonNode variables = variables(synth, name);
            if (manifest.path("databaseOwner").asBoolean(false)) {
                owners.add(name);
                assertThat(read).as(name).contains(secrets.master(), secrets.app());
                assertThat(Synth.refs(variables.path(SecretName.DATABASE_ARN_VARIABLE))).as(name).containsExactly(secrets.master());
                assertThat(Synth.refs(variables.path(SecretName.DATABASE_APP_ARN_VARIABLE))).as(name).containsExactly(secrets.app());
            } else {
                runtime.add(name);
                assertThat(read).as(name).contains(secrets.app()).doesNotContain(secrets.master());
                assertThat(Synth.refs(variables.path(SecretName.DATABASE_ARN_VARIABLE))).as(name).containsExactly(secrets.app());
                assertThat(variables.has(SecretName.DATABASE_APP_ARN_VARIABLE)).as(name).isFalse();
            }
        });
        assertThat(owners).hasSize(1);
        assertThat(runtime).hasSizeGreaterThan(3);
        if (synth.root().equals(Synth.repoRoot())) {
            assertThat(owners).containsExactly("db-migrate");
        }
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void theApplicationRolesPasswordIsGeneratedRotatedAndNeverInTheTemplate(Synth.Result synth) throws Exception {
        DatabaseSecrets secrets = databaseSecrets(synth);
        String appSecret = Synth.refs(synth.resource(secrets.app()).path("Properties").path("SecretId")).iterator().next();
        JsonNode properties = synth.resource(appSecret).path("Properties");
        assertThat(properties.has("SecretString")).isFalse();
        assertThat(properties.path("GenerateSecretString").path("GenerateStringKey").asText()).isEqualTo("password");
        assertThat(properties.path("Name").asText()).endsWith("/database-app");
        // Attached to the instance: the secret names its host, so verify-full checks the instance's certificate name.
        assertThat(Synth.refs(synth.resource(secrets.app()).path("Properties").path("TargetId")))
                .containsExactlyElementsOf(synth.resources("AWS::RDS::DBInstance").keySet());
        assertThat(synth.resources("AWS::SecretsManager::RotationSchedule").values())
                .extracting(r -> Synth.refs(r.path("Properties").path("SecretId")))
                .contains(Set.of(secrets.master()), Set.of(secrets.app()));
        // The rotation logs in as the role and rotates at once when created: only after db-migrate created it.
        Set<String> migrations = new HashSet<>();
        synth.json().path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().startsWith("Custom::")
                    && e.getValue().path("Properties").has("RunWhenChanged")) {
                migrations.add(e.getKey());
            }
        });
        assertThat(migrations).hasSize(1);
        Map<String, JsonNode> appRotation = new java.util.TreeMap<>(synth.resources("AWS::Serverless::Application"));
        appRotation.keySet().removeIf(id -> !id.contains("AppRotation"));
        assertThat(appRotation.values()).singleElement().satisfies(application ->
                assertThat(Synth.texts(application.path("DependsOn"))).containsAll(migrations));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void theDatabaseAcceptsTlsOnlyWithACertificateFromACaTheFunctionsCarry(Synth.Result synth) throws Exception {
        JsonNode instance = synth.resources("AWS::RDS::DBInstance").values().iterator().next().path("Properties");
        JsonNode parameters = synth.resource(Synth.refs(instance.path("DBParameterGroupName")).iterator().next())
                .path("Properties").path("Parameters");
        assertThat(parameters.path("rds.force_ssl").asText()).isEqualTo("1");

        // rds-ca-rsa2048-g1 signs the instance's certificate; each region has its own root of that name.
        assertThat(instance.path("CACertificateIdentifier").asText()).isEqualTo("rds-ca-rsa2048-g1");
        List<String> subjects;
        try (InputStream in = EdgesTest.class.getClassLoader().getResourceAsStream(RdsCertificates.RESOURCE)) {
            assertThat(in).as("the RDS CA bundle in the shared jar").isNotNull();
            subjects = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> ((X509Certificate) c).getSubjectX500Principal().getName()).toList();
        }
        for (String region : List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")) {
            assertThat(subjects).as(region).anyMatch(s -> s.contains("CN=Amazon RDS " + region + " Root CA RSA2048 G1"));
        }
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void theOpenRoutesHaveTheirOwnLowerThrottling(Synth.Result synth) {
        JsonNode stage = synth.resources("AWS::ApiGateway::Stage").values().iterator().next().path("Properties");
        JsonNode all = stage.path("MethodSettings").get(0);
        assertThat(all.path("ResourcePath").asText()).isEqualTo("/*");
        Map<String, JsonNode> byMethod = new java.util.TreeMap<>();
        // CloudFormation's ResourcePath: "/" for the root, else "/" and the path with each "/" written "~1".
        stage.path("MethodSettings").forEach(setting -> {
            String path = setting.path("ResourcePath").asText();
            byMethod.put(setting.path("HttpMethod").asText() + " "
                    + (path.startsWith("/~1") ? path.substring(1).replace("~1", "/") : path), setting);
        });

        List<String> open = new ArrayList<>();
        synth.manifests().values().forEach(manifest -> manifest.path("routes").forEach(route -> {
            String auth = route.path("auth").asText();
            String key = route.path("method").asText().toUpperCase(Locale.ROOT) + " " + route.path("path").asText();
            if (auth.equals("none") || auth.equals("webhook-signature")) {
                open.add(key);
                assertThat(byMethod).as(key).containsKey(key);
                JsonNode own = byMethod.get(key);
                assertThat(own.path("ThrottlingRateLimit").asDouble()).as(key).isPositive()
                        .isLessThan(all.path("ThrottlingRateLimit").asDouble());
                assertThat(own.path("ThrottlingBurstLimit").asInt()).as(key).isPositive()
                        .isLessThan(all.path("ThrottlingBurstLimit").asInt());
            } else {
                assertThat(byMethod).as("%s keeps the stage's limit", key).doesNotContainKey(key);
            }
        }));
        assertThat(open).isNotEmpty();
        if (synth.root().equals(Synth.repoRoot())) {
            assertThat(open).contains("GET /health", "GET /", "POST /api/webhooks/poshvip");
        }
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void everyFunctionHasReservedConcurrencyAndTheirConnectionsFitTheDatabase(Synth.Result synth) {
        JsonNode instance = synth.resources("AWS::RDS::DBInstance").values().iterator().next().path("Properties");
        int maxConnections = synth.resource(Synth.refs(instance.path("DBParameterGroupName")).iterator().next())
                .path("Properties").path("Parameters").path("max_connections").asInt();
        assertThat(maxConnections).isPositive();

        int connections = 0;
        for (Map.Entry<String, JsonNode> entry : synth.manifests().entrySet()) {
            JsonNode function = synth.resource(synth.functionId(entry.getKey())).path("Properties");
            int reserved = function.path("ReservedConcurrentExecutions").asInt(-1);
            assertThat(reserved).as(entry.getKey()).isEqualTo(entry.getValue().path("reservedConcurrency").asInt(1));
            assertThat(reserved).as(entry.getKey()).isPositive();
            if (entry.getValue().path("database").asBoolean(false)) {
                connections += reserved * ConnectionsPerInstance.POOL_SIZE;
            }
        }
        // Kept aside: RDS's reserved slots (3 + 2), the two rotation functions, five for administrators.
        assertThat(connections + 12).as("connections the functions can hold, plus headroom").isLessThanOrEqualTo(maxConnections);
        assertThat(synth.resources("AWS::Lambda::Function").values()).allSatisfy(f -> {
            if (f.path("Properties").path("Tags").toString().contains("signup-sync:function")) {
                assertThat(f.path("Properties").has("ReservedConcurrentExecutions")).isTrue();
            }
        });
    }

    @Test
    void reservedConcurrencyBeyondTheConnectionBudgetFailsTheSynth() throws Exception {
        Path copy = Synth.copyOf(Synth.fixtureRoot());
        Path manifest = copy.resolve("functions/fixture-events/function.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"reservedConcurrency\": \\d+", "\"reservedConcurrency\": 40"));
        assertThatThrownBy(() -> Synth.of(copy, Map.of()))
                .hasMessageContaining("max_connections 80")
                .hasMessageContaining("fixture-events 40 x 2");
        // The same function fits prod's larger instance.
        assertThat(Synth.of(copy, ProdSettings.CONTEXT).resource(Synth.of(copy, ProdSettings.CONTEXT).functionId("fixture-events"))
                .path("Properties").path("ReservedConcurrentExecutions").asInt()).isEqualTo(40);
    }

    @Test
    void onlyOneFunctionMayOwnTheSchemaAndOnlyOneThatUsesTheDatabase() throws Exception {
        Path copy = Synth.copyOf(Synth.fixtureRoot());
        Path events = copy.resolve("functions/fixture-events/function.json");
        Files.writeString(events, Files.readString(events).replace("\"database\": true,", "\"database\": true, \"databaseOwner\": true,"));
        assertThatThrownBy(() -> FunctionManifest.readAll(copy.resolve("functions")))
                .hasMessageContaining("only one function may own the database schema");

        Path alone = Synth.copyOf(Synth.fixtureRoot()).resolve("functions/fixture-migrate/function.json");
        Files.writeString(alone, Files.readString(alone).replace("\"database\": true,", "\"database\": false,"));
        assertThatThrownBy(() -> FunctionManifest.read(alone)).hasMessageContaining("databaseOwner needs");
    }
}
