package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {

    static Stream<Named<Synth.Result>> stages() {
        return Stream.of(Named.of("dev", Synth.fixture()), Named.of("prod", Synth.fixture(ProdSettings.CONTEXT)));
    }

    private static JsonNode instance(Synth.Result synth) {
        Map<String, JsonNode> instances = synth.resources("AWS::RDS::DBInstance");
        assertThat(instances).hasSize(1);
        return instances.values().iterator().next();
    }

    @ParameterizedTest
    @MethodSource("stages")
    void postgres16EncryptedPrivateAndBackedUpForSevenDays(Synth.Result synth) {
        JsonNode db = instance(synth).path("Properties");
        assertThat(db.path("Engine").asText()).isEqualTo("postgres");
        assertThat(db.path("EngineVersion").asText()).startsWith("16");
        assertThat(db.path("StorageEncrypted").asBoolean()).isTrue();
        assertThat(db.path("PubliclyAccessible").asBoolean(true)).isFalse();
        assertThat(db.path("BackupRetentionPeriod").asInt()).isEqualTo(7);

        JsonNode subnetGroup = synth.resource(db.path("DBSubnetGroupName").path("Ref").asText()).path("Properties");
        assertThat(Synth.refs(subnetGroup.path("SubnetIds"))).isNotEmpty().allSatisfy(subnet ->
                assertThat(FunctionsTest.subnetType(synth, subnet)).isEqualTo("Isolated"));
    }

    @ParameterizedTest
    @MethodSource("stages")
    void theMasterPasswordIsGeneratedIntoSecretsManagerAndRotated(Synth.Result synth) {
        JsonNode db = instance(synth).path("Properties");
        assertThat(db.path("MasterUserPassword").toString()).contains("{{resolve:secretsmanager:");
        // Two rotations: the master user's and the application role's (EdgesTest tells them apart).
        assertThat(synth.resources("AWS::SecretsManager::RotationSchedule").values()).hasSize(2).allSatisfy(rotation ->
                assertThat(rotation.path("Properties").path("RotationRules").path("ScheduleExpression").asText()
                        + rotation.path("Properties").path("RotationRules").path("AutomaticallyAfterDays").asText())
                        .containsAnyOf("30", "rate(30 days)"));
    }

    @ParameterizedTest
    @MethodSource("stages")
    void onlyTheFunctionsGroupAndTheRotationFunctionMayConnect(Synth.Result synth) {
        JsonNode db = instance(synth).path("Properties");
        String dbGroup = Synth.refs(db.path("VPCSecurityGroups")).iterator().next();
        JsonNode group = synth.resource(dbGroup).path("Properties");
        assertThat(group.path("SecurityGroupIngress").isMissingNode() || group.path("SecurityGroupIngress").isEmpty()).isTrue();
        String functions = FunctionsTest.databaseClientGroup(synth);
        synth.resources("AWS::EC2::SecurityGroupIngress").values().stream()
                .map(rule -> rule.path("Properties"))
                .filter(rule -> Synth.refs(rule.path("GroupId")).contains(dbGroup))
                .forEach(rule -> {
                    assertThat(rule.has("CidrIp")).isFalse();
                    String source = Synth.refs(rule.path("SourceSecurityGroupId")).iterator().next();
                    assertThat(source.equals(functions) || source.contains("Rotation")).as(source).isTrue();
                });
    }

    @Test
    void prodKeepsItsDataAndDevDoesNot() {
        JsonNode prod = instance(Synth.fixture(ProdSettings.CONTEXT));
        assertThat(prod.path("Properties").path("DeletionProtection").asBoolean()).isTrue();
        assertThat(prod.path("DeletionPolicy").asText()).isEqualTo("Snapshot");
        assertThat(prod.path("Properties").path("MultiAZ").asBoolean()).isTrue();
        assertThat(prod.path("Properties").path("DBInstanceClass").asText()).isEqualTo("db.t4g.small");

        JsonNode dev = instance(Synth.fixture());
        assertThat(dev.path("Properties").path("DeletionProtection").asBoolean(true)).isFalse();
        assertThat(dev.path("DeletionPolicy").asText()).isEqualTo("Delete");
        assertThat(dev.path("Properties").path("MultiAZ").asBoolean(true)).isFalse();
        assertThat(dev.path("Properties").path("DBInstanceClass").asText()).isEqualTo("db.t4g.micro");
    }
}
