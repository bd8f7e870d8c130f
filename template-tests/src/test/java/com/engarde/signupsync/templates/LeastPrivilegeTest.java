package com.engarde.signupsync.templates;

import com.engarde.signupsync.config.SecretName;
import com.engarde.signupsync.integrations.Integrations;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No IAM statement grants "*" actions, and "*" resources only where AWS requires them. Those places, by name:
 * <ul>
 *   <li>{@link #ENI_ACTIONS}: Lambda's VPC network-interface management, documented with Resource "*";</li>
 *   <li>{@link #MANAGED_POLICIES}: API Gateway's account CloudWatch role (AmazonAPIGatewayPushToCloudWatchLogs) and
 *       the basic execution role of CDK's own custom-resource handler that empties the VPC's default security
 *       group (AWSLambdaBasicExecutionRole): AWS-managed policies, whose content AWS owns;</li>
 *   <li>KMS key policies (not IAM policies, so not checked here): "Resource": "*" means the key itself there.</li>
 * </ul>
 */
class LeastPrivilegeTest {

    static final Set<String> ENI_ACTIONS = Set.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses");
    static final Set<String> MANAGED_POLICIES = Set.of("service-role/AmazonAPIGatewayPushToCloudWatchLogs",
            "service-role/AWSLambdaBasicExecutionRole");

    static Stream<Named<Synth.Result>> repositories() {
        return Stream.of(Named.of("fixture functions", Synth.fixture()), Named.of("this repository's functions", Synth.real()),
                Named.of("fixture functions, prod", Synth.fixture(ProdSettings.CONTEXT)));
    }

    /** Every statement of every identity policy in the template, inline in roles or separate. */
    private static List<JsonNode> statements(Synth.Result synth) {
        List<JsonNode> statements = new ArrayList<>();
        synth.resources("AWS::IAM::Policy").values().forEach(p ->
                p.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add));
        synth.resources("AWS::IAM::Role").values().forEach(role -> role.path("Properties").path("Policies").forEach(p ->
                p.path("PolicyDocument").path("Statement").forEach(statements::add)));
        return statements;
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void noStatementAllowsEveryActionOfAService(Synth.Result synth) {
        for (JsonNode statement : statements(synth)) {
            assertThat(Synth.texts(statement.path("Action"))).as(statement.toString()).noneMatch(a -> a.contains("*"));
        }
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void aWildcardResourceIsOnlyWhereAwsRequiresIt(Synth.Result synth) {
        for (JsonNode statement : statements(synth)) {
            boolean wildcard = Synth.texts(statement.path("Resource")).stream().anyMatch(r -> r.contains("*"));
            if (wildcard) {
                assertThat(Synth.texts(statement.path("Resource"))).as(statement.toString()).containsExactly("*");
                assertThat(Synth.texts(statement.path("Action"))).as(statement.toString()).isSubsetOf(ENI_ACTIONS);
            }
        }
        synth.resources("AWS::IAM::Role").values().forEach(role -> role.path("Properties").path("ManagedPolicyArns").forEach(arn ->
                assertThat(MANAGED_POLICIES).as(arn.toString()).anyMatch(name -> arn.toString().contains(name))));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void aFunctionReadsExactlyTheSecretsItsManifestNames(Synth.Result synth) {
        Map<String, String> secretIds = new HashMap<>();
        synth.resources("AWS::SecretsManager::Secret").forEach((id, secret) ->
                secretIds.put(secret.path("Properties").path("Name").asText(), id));
        Map<String, String> databaseSecrets = databaseSecrets(synth);
        String prefix = synth.stack().getStackName().replace('-', '/').replaceFirst("^signup/sync/", "signup-sync/") + "/";
        synth.manifests().forEach((name, manifest) -> {
            Set<String> expected = new HashSet<>();
            secretNames(manifest).forEach(s -> expected.add(secretIds.get(prefix + s)));
            if (manifest.path("database").asBoolean(false)) {
                // The application role's secret; the schema's owner (db-migrate) also the master's, to create it.
                expected.add(databaseSecrets.get("signupsync_app"));
                if (manifest.path("databaseOwner").asBoolean(false)) {
                    expected.add(databaseSecrets.get("signupsync"));
                }
            }
            Set<String> granted = new HashSet<>();
            for (JsonNode statement : synth.roleStatements(name)) {
                if (Synth.texts(statement.path("Action")).contains("secretsmanager:GetSecretValue")) {
                    granted.addAll(Synth.refs(statement.path("Resource")));
                }
            }
            assertThat(granted).as(name).isEqualTo(expected);

            JsonNode variables = synth.resource(synth.functionId(name)).path("Properties").path("Environment").path("Variables");
            secretNames(manifest).forEach(s -> {
                SecretName secret = SecretName.fromManifest(s).orElseThrow();
                assertThat(variables.has(secret.arnVariable())).as("%s gets %s", name, secret.arnVariable()).isTrue();
            });
        });
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void onlyBusPublishersMayPutEventsAndOnlyOnTheSignupSyncBus(Synth.Result synth) {
        String bus = synth.resources("AWS::Events::EventBus").keySet().iterator().next();
        synth.manifests().forEach((name, manifest) -> {
            List<JsonNode> putEvents = synth.roleStatements(name).stream()
                    .filter(s -> Synth.texts(s.path("Action")).contains("events:PutEvents")).toList();
            if (manifest.path("busPublisher").asBoolean(false)) {
                assertThat(putEvents).as(name).isNotEmpty().allSatisfy(s -> assertThat(Synth.refs(s.path("Resource"))).containsExactly(bus));
                JsonNode variables = synth.resource(synth.functionId(name)).path("Properties").path("Environment").path("Variables");
                assertThat(Synth.refs(variables.path("SIGNUP_SYNC_EVENT_BUS_NAME"))).containsExactly(bus);
            } else {
                assertThat(putEvents).as(name).isEmpty();
            }
        });
    }

    /** The attached database secrets (the logical ids Lambda roles refer to), by the username they hold. */
    private static Map<String, String> databaseSecrets(Synth.Result synth) {
        Map<String, String> byUser = new HashMap<>();
        synth.resources("AWS::SecretsManager::SecretTargetAttachment").forEach((id, attachment) -> {
            String secret = Synth.refs(attachment.path("Properties").path("SecretId")).iterator().next();
            String template = synth.resource(secret).path("Properties").path("GenerateSecretString")
                    .path("SecretStringTemplate").asText();
            try {
                byUser.put(Synth.JSON.readTree(template).path("username").asText(), id);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(byUser).containsOnlyKeys("signupsync", "signupsync_app");
        return byUser;
    }

    /** The secrets a manifest names, "integrations" read as every declared integration's secret. */
    private static List<String> secretNames(JsonNode manifest) {
        List<String> names = new ArrayList<>();
        manifest.path("secrets").forEach(s -> {
            if (s.asText().equals("integrations")) {
                Integrations.declared().all().forEach(i -> i.secret().ifPresent(secret -> names.add(secret.manifestName())));
            } else {
                names.add(s.asText());
            }
        });
        return names;
    }
}
