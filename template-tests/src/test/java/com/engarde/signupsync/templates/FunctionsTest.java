package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionsTest {

    static Stream<Named<Synth.Result>> repositories() {
        return Stream.of(Named.of("fixture functions", Synth.fixture()), Named.of("this repository's functions", Synth.real()),
                Named.of("fixture functions, prod", Synth.fixture(ProdSettings.CONTEXT)));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void everyManifestIsOneJava21Arm64FunctionWithSnapStartOnPublishedVersions(Synth.Result synth) {
        assertThat(synth.resources("AWS::Lambda::Function").values().stream()
                .filter(f -> f.path("Properties").path("Runtime").asText().startsWith("java")))
                .hasSize(synth.manifests().size());
        synth.manifests().forEach((name, manifest) -> {
            JsonNode function = synth.resource(synth.functionId(name)).path("Properties");
            assertThat(function.path("Runtime").asText()).as(name).isEqualTo("java21");
            assertThat(Synth.texts(function.path("Architectures"))).as(name).containsExactly("arm64");
            assertThat(function.path("SnapStart").path("ApplyOn").asText()).as(name).isEqualTo("PublishedVersions");
            assertThat(function.path("Handler").asText()).as(name).isEqualTo(manifest.path("handler").asText());
            assertThat(function.path("MemorySize").asInt()).as(name).isEqualTo(manifest.path("memoryMb").asInt());
            assertThat(function.path("Timeout").asInt()).as(name).isEqualTo(manifest.path("timeoutSeconds").asInt());
        });
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void everyJavaFunctionStartsItsJvmWithTheLambdaRecommendedFlags(Synth.Result synth) {
        assertThat(synth.manifests()).isNotEmpty();
        synth.manifests().keySet().forEach(name -> {
            JsonNode function = synth.resource(synth.functionId(name)).path("Properties");
            assertThat(function.path("Runtime").asText()).as(name).startsWith("java");
            String options = function.path("Environment").path("Variables").path("JAVA_TOOL_OPTIONS").asText();
            assertThat(options.split(" ")).as(name).contains("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
        });
    }

    /**
     * Every function's jar, as the reactor built it before this module's tests, is under 22 MB: the jar is what
     * Lambda downloads and opens on a cold start (the shade plugin leaves out what no function loads:
     * functions/pom.xml). Logback, its JSON encoder and Powertools' metrics module (with commons-lang3, which its
     * validation uses) take about 2 MB of it; the sync functions, with the EventBridge client, are the largest. Run alone, without a package first, there is no jar to weigh and the test says so.
     */
    @Test
    void everyFunctionJarIsUnder22Megabytes() throws IOException {
        Path root = Synth.repoRoot();
        Map<String, Long> sizes = new TreeMap<>();
        for (String name : Synth.manifests(root).keySet()) {
            Path jar = root.resolve("functions").resolve(name).resolve("target").resolve(name + "-lambda.jar");
            if (Files.isRegularFile(jar)) {
                sizes.put(name, Files.size(jar));
            }
        }
        Assumptions.assumeFalse(sizes.isEmpty(), "no function jar built: run through the reactor (mvn verify)");
        assertThat(sizes.keySet()).as("every manifest's jar is built when any is").isEqualTo(Synth.manifests(root).keySet());
        sizes.forEach((name, bytes) -> assertThat(bytes).as(name + "-lambda.jar bytes").isLessThan(22_000_000L));
    }

    @Test
    void adminSourcesKnowsWhichPullSourcesHaveASyncFunctionInThisDeploy() {
        Synth.Result synth = Synth.real();
        Set<String> busSources = new java.util.TreeSet<>();
        synth.manifests().values().forEach(manifest -> manifest.path("triggers").forEach(trigger -> {
            if (trigger.path("type").asText().equals("bus")) {
                busSources.add(trigger.path("source").asText());
            }
        }));
        assertThat(busSources).contains("easyappointments", "zoom", "eventbrite");
        String deployed = synth.resource(synth.functionId("admin-sources")).path("Properties").path("Environment")
                .path("Variables").path("SIGNUP_SYNC_DEPLOYED_SYNCS").asText();
        assertThat(Set.of(deployed.split(","))).isEqualTo(busSources);
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void everyFunctionIsReachedThroughAnAliasOnAPublishedVersion(Synth.Result synth) {
        synth.manifests().keySet().forEach(name -> {
            JsonNode alias = synth.resource(synth.aliasId(name)).path("Properties");
            assertThat(alias.path("Name").asText()).isEqualTo("live");
            String version = alias.path("FunctionVersion").path("Fn::GetAtt").get(0).asText();
            assertThat(synth.resource(version).path("Type").asText()).as(name).isEqualTo("AWS::Lambda::Version");
        });
        Set<String> aliases = new HashSet<>();
        synth.manifests().keySet().forEach(name -> aliases.add(synth.aliasId(name)));
        Set<String> functions = new HashSet<>();
        synth.manifests().keySet().forEach(name -> functions.add(synth.functionId(name)));

        // API Gateway and EventBridge permissions, rule targets, the custom-resource provider: aliases only.
        synth.resources("AWS::Lambda::Permission").values().forEach(permission ->
                assertThat(Synth.refs(permission.path("Properties").path("FunctionName"))).isSubsetOf(aliases));
        synth.resources("AWS::Events::Rule").values().forEach(rule -> rule.path("Properties").path("Targets").forEach(target ->
                assertThat(Synth.refs(target.path("Arn"))).isSubsetOf(aliases)));
        synth.resources("AWS::Lambda::Function").values().forEach(function ->
                assertThat(Synth.refs(function.path("Properties").path("Environment"))).doesNotContainAnyElementsOf(functions));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void eachFunctionLogsToItsOwnGroupWithARetention(Synth.Result synth) {
        synth.manifests().keySet().forEach(name -> {
            JsonNode function = synth.resource(synth.functionId(name)).path("Properties");
            String group = function.path("LoggingConfig").path("LogGroup").path("Ref").asText();
            JsonNode logGroup = synth.resource(group).path("Properties");
            assertThat(logGroup.path("LogGroupName").asText()).isEqualTo("/aws/lambda/" + function.path("FunctionName").asText());
            assertThat(logGroup.path("RetentionInDays").asInt()).as(name).isPositive();
        });
    }

    /**
     * No log group is kept forever: every function in the template (the manifests' and CDK's own, such as the deploy-time
     * provider) writes to a log group the template declares, and every declared log group (functions, API access,
     * VPC flow logs, PostgreSQL) keeps its events for the stage's documented retention (docs/operations.md, Stages):
     * two weeks in dev, six months in prod. A function without one would have Lambda create its group on first use,
     * without a retention.
     */
    @ParameterizedTest
    @MethodSource("repositories")
    void everyLogGroupHasTheStagesRetentionAndEveryFunctionLogsToOne(Synth.Result synth) {
        boolean prod = synth.resources("AWS::Lambda::Function").values().stream().anyMatch(f ->
                f.path("Properties").path("Environment").path("Variables").path("SIGNUP_SYNC_STAGE").asText().equals("prod"));
        int days = prod ? 180 : 14;
        Map<String, JsonNode> groups = synth.resources("AWS::Logs::LogGroup");
        assertThat(groups).as("the functions' groups and more").hasSizeGreaterThan(synth.manifests().size());
        groups.forEach((id, group) ->
                assertThat(group.path("Properties").path("RetentionInDays").asInt()).as(id).isEqualTo(days));
        assertThat(synth.resources("Custom::LogRetention")).as("retention set by the groups themselves").isEmpty();
        Map<String, JsonNode> functions = synth.resources("AWS::Lambda::Function");
        assertThat(functions.size()).isGreaterThan(synth.manifests().size());
        functions.forEach((id, function) -> assertThat(Synth.refs(function.path("Properties").path("LoggingConfig")))
                .as("%s logs to a group of the template", id).hasSize(1).allSatisfy(group ->
                        assertThat(groups).containsKey(group)));
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void databaseFunctionsRunInPrivateSubnetsInTheOneGroupTheDatabaseAdmits(Synth.Result synth) {
        String clients = databaseClientGroup(synth);
        synth.manifests().forEach((name, manifest) -> {
            JsonNode vpc = synth.resource(synth.functionId(name)).path("Properties").path("VpcConfig");
            if (manifest.path("database").asBoolean(false)) {
                // Its first group; a vendor caller has a second one for its way out (EgressTest).
                assertThat(Synth.refs(vpc.path("SecurityGroupIds"))).as(name).first().isEqualTo(clients);
                assertThat(Synth.refs(vpc.path("SubnetIds"))).as(name).isNotEmpty().allSatisfy(subnet ->
                        assertThat(subnetType(synth, subnet)).as("%s subnet %s", name, subnet).isEqualTo("Private"));
                JsonNode environment = synth.resource(synth.functionId(name)).path("Properties").path("Environment").path("Variables");
                assertThat(environment.has("ENGARDE_DATABASE_SECRET_ARN")).as(name).isTrue();
            } else {
                assertThat(vpc.isMissingNode()).as("%s has no database, so it runs outside the VPC", name).isTrue();
            }
        });
    }

    @Test
    void aFunctionWithoutADatabaseIsOutsideTheVpc() {
        Synth.Result synth = Synth.fixture();
        assertThat(synth.resource(synth.functionId("fixture-rollup")).path("Properties").has("VpcConfig")).isFalse();
    }

    /** The security group the database's ingress rules name, other than the rotation function's. */
    static String databaseClientGroup(Synth.Result synth) {
        Set<String> sources = new HashSet<>();
        synth.resources("AWS::EC2::SecurityGroupIngress").values().forEach(rule -> {
            JsonNode properties = rule.path("Properties");
            if (properties.path("FromPort").asInt() == 5432) {
                sources.addAll(Synth.refs(properties.path("SourceSecurityGroupId")));
            }
        });
        sources.removeIf(id -> id.contains("Rotation"));
        assertThat(sources).as("one client group for the database").hasSize(1);
        return sources.iterator().next();
    }

    static String subnetType(Synth.Result synth, String subnet) {
        for (JsonNode tag : synth.resource(subnet).path("Properties").path("Tags")) {
            if (tag.path("Key").asText().equals("aws-cdk:subnet-type")) {
                return tag.path("Value").asText();
            }
        }
        return "untagged";
    }

    @Test
    void aSettingComesFromTheContextValueOfTheSameName() {
        Synth.Result prod = Synth.fixture(ProdSettings.CONTEXT);
        JsonNode variables = prod.resource(prod.functionId("fixture-sync-alpha")).path("Properties").path("Environment").path("Variables");
        assertThat(variables.path("EASYAPPOINTMENTS_URL").asText()).isEqualTo("https://booking.example.com/index.php/api/v1");

        // Not given (and never taken from the deployer's environment): left out, with a warning at synth.
        Synth.Result dev = Synth.fixture();
        assertThat(dev.resource(dev.functionId("fixture-sync-alpha")).path("Properties").path("Environment")
                .path("Variables").has("EASYAPPOINTMENTS_URL")).isFalse();
        assertThat(Annotations.fromStack(dev.stack())
                .findWarning("*", Match.stringLikeRegexp(".*EASYAPPOINTMENTS_URL.*")))
                .isNotEmpty();
    }

    @Test
    void anOptionalSettingIsPassedWhenGivenAndNeitherPassedNorWarnedOfOtherwise() {
        Synth.Result prod = Synth.fixture(ProdSettings.CONTEXT);
        assertThat(prod.resource(prod.functionId("fixture-sync-alpha")).path("Properties").path("Environment")
                .path("Variables").path("EASYAPPOINTMENTS_STATUS_OUTCOMES").asText()).isEqualTo("Attended=completed,Missed=no_show");

        Synth.Result dev = Synth.fixture();
        assertThat(dev.resource(dev.functionId("fixture-sync-alpha")).path("Properties").path("Environment")
                .path("Variables").has("EASYAPPOINTMENTS_STATUS_OUTCOMES")).isFalse();
        assertThat(Annotations.fromStack(dev.stack())
                .findWarning("*", Match.stringLikeRegexp(".*EASYAPPOINTMENTS_STATUS_OUTCOMES.*"))).isEmpty();
    }

    @Test
    void theFunctionsSeeTheirStageAndMetricsNamespace() {
        Synth.Result synth = Synth.fixture(ProdSettings.CONTEXT);
        JsonNode variables = synth.resource(synth.functionId("fixture-sync-alpha")).path("Properties").path("Environment").path("Variables");
        assertThat(variables.path("SIGNUP_SYNC_STAGE").asText()).isEqualTo("prod");
        assertThat(variables.path("SIGNUP_SYNC_METRICS_NAMESPACE").asText()).isEqualTo("SignupSync/prod");
        assertThat(synth.resource(synth.functionId("fixture-sync-alpha")).path("Properties").path("FunctionName").asText())
                .isEqualTo("signup-sync-prod-fixture-sync-alpha");
    }
}
