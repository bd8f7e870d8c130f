package com.engarde.signupsync.templates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-function egress: a function in the VPC reaches the database and the VPC endpoints of the AWS APIs it calls
 * (Secrets Manager, EventBridge); only one whose manifest says "egress": true (it calls a vendor) may also go out,
 * and then only on 443. No security group of a function allows all traffic out.
 */
class EgressTest {

    static Stream<Named<Synth.Result>> repositories() {
        return Stream.of(Named.of("fixture functions", Synth.fixture()), Named.of("this repository's functions", Synth.real()),
                Named.of("fixture functions, prod", Synth.fixture(ProdSettings.CONTEXT)));
    }

    /** One way out of a security group: protocol, ports, and where to (a CIDR or a security group's logical id). */
    record Rule(String protocol, int from, int to, String destination) {
    }

    private static List<Rule> egress(Synth.Result synth, String group) {
        List<Rule> rules = new ArrayList<>();
        synth.resource(group).path("Properties").path("SecurityGroupEgress").forEach(r -> rules.add(rule(r)));
        synth.resources("AWS::EC2::SecurityGroupEgress").values().forEach(r -> {
            if (Synth.refs(r.path("Properties").path("GroupId")).contains(group)) {
                rules.add(rule(r.path("Properties")));
            }
        });
        return rules;
    }

    private static Rule rule(JsonNode r) {
        String destination = r.has("CidrIp") ? r.path("CidrIp").asText()
                : r.has("DestinationSecurityGroupId") ? Synth.refs(r.path("DestinationSecurityGroupId")).iterator().next()
                : r.toString();
        return new Rule(r.path("IpProtocol").asText(), r.path("FromPort").asInt(-1), r.path("ToPort").asInt(-1), destination);
    }

    /** The security groups of the interface endpoints, by the AWS service each serves. */
    private static Map<String, String> endpointGroups(Synth.Result synth) {
        Map<String, String> groups = new HashMap<>();
        synth.resources("AWS::EC2::VPCEndpoint").values().forEach(endpoint -> {
            JsonNode properties = endpoint.path("Properties");
            if (properties.path("VpcEndpointType").asText().equals("Interface")) {
                groups.put(properties.path("ServiceName").toString(), Synth.refs(properties.path("SecurityGroupIds")).iterator().next());
            }
        });
        return groups;
    }

    @ParameterizedTest
    @MethodSource("repositories")
    void onlyAFunctionThatCallsAVendorMayLeaveTheVpcAndOnlyOverHttps(Synth.Result synth) {
        String database = Synth.refs(synth.resources("AWS::RDS::DBInstance").values().iterator().next()
                .path("Properties").path("VPCSecurityGroups")).iterator().next();
        Set<String> endpoints = Set.copyOf(endpointGroups(synth).values());
        assertThat(endpointGroups(synth).keySet()).as("Secrets Manager and EventBridge are reached inside the VPC")
                .anySatisfy(s -> assertThat(s).contains("secretsmanager"))
                .anySatisfy(s -> assertThat(s).contains("events"));
        int inVpc = 0;
        int callers = 0;
        for (Map.Entry<String, JsonNode> entry : synth.manifests().entrySet()) {
            String name = entry.getKey();
            JsonNode vpc = synth.resource(synth.functionId(name)).path("Properties").path("VpcConfig");
            if (vpc.isMissingNode()) {
                continue;
            }
            inVpc++;
            boolean vendor = entry.getValue().path("egress").asBoolean(false);
            List<Rule> rules = new ArrayList<>();
            Synth.refs(vpc.path("SecurityGroupIds")).forEach(group -> rules.addAll(egress(synth, group)));
            assertThat(rules).as(name).noneMatch(r -> r.protocol().equals("-1") && r.destination().equals("0.0.0.0/0"));
            assertThat(rules).as(name + " reaches the database").contains(new Rule("tcp", 5432, 5432, database));
            assertThat(rules).as(name + " reaches the AWS API endpoints")
                    .anyMatch(r -> endpoints.contains(r.destination()) && r.from() == 443);
            List<Rule> outside = rules.stream().filter(r -> r.destination().contains("/")
                    && !r.destination().equals("255.255.255.255/32")).toList();
            if (vendor) {
                callers++;
                assertThat(outside).as(name + " calls a vendor: https out, nothing else").containsExactly(
                        new Rule("tcp", 443, 443, "0.0.0.0/0"));
            } else {
                assertThat(outside).as(name + " calls no vendor: no way out of the VPC").isEmpty();
            }
        }
        assertThat(inVpc).as("functions in the VPC").isPositive();
        assertThat(callers).as("vendor callers in the VPC").isPositive();
    }

    @Test
    void theRepositorysVendorCallersAreTheSyncsTheCredentialChecksTheInvitationSenderAndTheErasure() {
        Synth.Result synth = Synth.real();
        List<String> callers = synth.manifests().entrySet().stream()
                .filter(e -> e.getValue().path("egress").asBoolean(false)).map(Map.Entry::getKey).toList();
        assertThat(callers).containsExactlyInAnyOrder("admin-easyappointments", "admin-platform", "admin-sources", "sync-brevo", "sync-easyappointments", "sync-eventbrite", "sync-zoom");
    }

    @Test
    void adminFunctionsGoOutOnlyWhenTheyFetchTheIssuersKeys() {
        Synth.Result jwks = Synth.fixture(Map.of("ADMIN_JWT_JWKS_URL", "https://auth.example.com/.well-known/jwks.json"));
        JsonNode vpc = jwks.resource(jwks.functionId("fixture-admin")).path("Properties").path("VpcConfig");
        List<Rule> rules = new ArrayList<>();
        Synth.refs(vpc.path("SecurityGroupIds")).forEach(group -> rules.addAll(egress(jwks, group)));
        assertThat(rules).contains(new Rule("tcp", 443, 443, "0.0.0.0/0"));
        JsonNode without = Synth.fixture().resource(Synth.fixture().functionId("fixture-admin")).path("Properties").path("VpcConfig");
        assertThat(Synth.refs(without.path("SecurityGroupIds"))).hasSize(1);
    }
}
