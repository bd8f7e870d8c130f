package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.admin.AuditLog;
import com.engarde.signupsync.persistence.Database;
import com.engarde.signupsync.testing.AdminJwts;
import com.engarde.signupsync.testing.LambdaFunction;
import com.engarde.signupsync.testing.LambdaHarness;
import com.engarde.signupsync.testing.LambdaHarness.Response;
import com.engarde.signupsync.testing.Rows;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Platform admins and the audit log through the real Lambda handler, against PostgreSQL. */
class AdminPlatformTest {

    @RegisterExtension
    static final LambdaFunction lambda = new LambdaFunction(properties());

    static Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>(AdminJwts.PROPERTIES);
        p.put("engarde.database.pool-size", 4);
        return p;
    }

    static Response call(String method, String path, String body, Map<String, String> query) {
        APIGatewayProxyRequestEvent request = LambdaHarness.request(method, path, body);
        request.getHeaders().put("Authorization", "Bearer " + AdminJwts.superuser(Instant.now()));
        if (query != null) {
            request.setQueryStringParameters(query);
        }
        return lambda.handle(request);
    }

    static Response call(String method, String path, String body) {
        return call(method, path, body, null);
    }

    @Test
    void aSuperuserAddsListsAndRemovesAdminsEachChangeAudited() {
        Response added = call("POST", "/api/admin/platform/admins", "{\"email\":\" Grace@Example.com \"}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().at("/admin/email").asText()).isEqualTo("grace@example.com");
        Response again = call("POST", "/api/admin/platform/admins", "{\"email\":\"grace@example.com\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("created").asBoolean()).isFalse();
        assertThat(call("POST", "/api/admin/platform/admins", "{\"user_id\":42}").status()).isEqualTo(201);

        assertThat(call("GET", "/api/admin/platform/admins", null).json().path("admins")).hasSize(2);
        assertThat(Rows.count("platform_admins")).isEqualTo(2);
        long id = added.json().at("/admin/id").asLong();
        assertThat(call("DELETE", "/api/admin/platform/admins/" + id, null).status()).isEqualTo(200);
        assertThat(Rows.count("platform_admins")).isEqualTo(1);

        assertThat(Rows.count("platform_admin_actions")).isEqualTo(4);
        assertThat(Rows.row("SELECT action, target_type, target_id, actor_subject, request_id, summary::text AS summary"
                + " FROM platform_admin_actions ORDER BY id DESC LIMIT 1"))
                .containsEntry("action", "platform_admin.remove").containsEntry("target_id", String.valueOf(id))
                .containsEntry("actor_subject", "user-root").containsEntry("request_id", "test-request");
        assertThat(Rows.number("SELECT count(*) FROM platform_admin_actions WHERE summary::text LIKE '%grace%'"))
                .as("the summary names no person").isZero();
    }

    @Test
    void anAdminEmailInAnyScriptOrCaseIsOneAdminInTheOneNormalFormNeverAnSqlState() {
        // U+2C2F (Glagolitic) and U+0130 (İ): V6's lower() under the database's collation refused what Java let through.
        Response glagolitic = call("POST", "/api/admin/platform/admins", "{\"email\":\"\u2c2f@example.com\"}");
        assertThat(glagolitic.status()).as(glagolitic.body()).isEqualTo(201);
        assertThat(glagolitic.json().at("/admin/email").asText()).isEqualTo("\u2c5f@example.com");
        Response dotted = call("POST", "/api/admin/platform/admins", "{\"email\":\"İnfo@Example.com\"}");
        assertThat(dotted.status()).as(dotted.body()).isEqualTo(201);
        assertThat(dotted.json().at("/admin/email").asText()).isEqualTo("i\u0307nfo@example.com");
        Response again = call("POST", "/api/admin/platform/admins", "{\"email\":\"I\u0307NFO@example.com\"}");
        assertThat(again.status()).as("the same admin in capitals").isEqualTo(200);
        assertThat(again.json().path("created").asBoolean()).isFalse();
        Response sharp = call("POST", "/api/admin/platform/admins", "{\"email\":\"STRAẞE@example.com\"}");
        assertThat(sharp.json().at("/admin/email").asText()).isEqualTo("strasse@example.com");
        assertThat(call("POST", "/api/admin/platform/admins", "{\"email\":\"strasse@example.com\"}").status())
                .as("ß is ss").isEqualTo(200);
        // What the rule keeps apart: a dotted capital I is not a plain I (default, not Turkish, case folding).
        Response plain = call("POST", "/api/admin/platform/admins", "{\"email\":\"Info@example.com\"}");
        assertThat(plain.status()).isEqualTo(201);
        assertThat(plain.json().at("/admin/email").asText()).isEqualTo("info@example.com");
        assertThat(Rows.count("platform_admins")).isEqualTo(4);
    }

    @Test
    void refusedWritesAreAnswered4xxAndLeaveNoAuditRow() {
        String[][] refused = {
                {"POST", "/api/admin/platform/admins", "{}", "user_id"},
                {"POST", "/api/admin/platform/admins", "{\"user_id\":\"a\",\"email\":\"a@example.com\"}", "email"},
                {"POST", "/api/admin/platform/admins", "{\"email\":\"not-an-email\"}", "email"},
                {"POST", "/api/admin/platform/admins", "{\"role\":\"x\"}", "role"},
                {"POST", "/api/admin/platform/admins", "[1]", null},
                {"POST", "/api/admin/platform/admins", "{\"user_id\":\"a\\u0000b\"}", "user_id"},
                {"POST", "/api/admin/platform/admins", null, null},
                {"DELETE", "/api/admin/platform/admins/abc", null, "id"},
                {"DELETE", "/api/admin/platform/admins/999", null, "id"},
        };
        for (String[] r : refused) {
            Response response = call(r[0], r[1], r[2]);
            assertThat(response.status()).as(String.join(" ", java.util.Arrays.toString(r))).isBetween(400, 404);
            if (r[3] != null) {
                assertThat(response.json().path("field").asText()).as(r[2]).isEqualTo(r[3]);
            }
        }
        assertThat(Rows.count("platform_admin_actions")).isZero();
        assertThat(Rows.count("platform_admins")).isZero();
    }

    @Test
    void aWriteThatFailsAfterItsAuditRowRollsBothBack() {
        Database database = lambda.harness().context().getBean(Database.class);
        AuditLog audit = lambda.harness().context().getBean(AuditLog.class);
        AdminPrincipal admin = new AdminPrincipal("user-root", null, true, "r-1");
        assertThatThrownBy(() -> database.transaction(c -> {
            c.createStatement().execute("INSERT INTO platform_admins (user_id, added_by) VALUES ('u-1', 'root')");
            audit.record(c, admin, "platform_admin.add", "platform_admin", "1", Map.of());
            c.createStatement().execute("INSERT INTO platform_admins (user_id, added_by) VALUES ('u-1', 'root')");
            return null;
        })).isInstanceOf(RuntimeException.class);
        assertThat(Rows.count("platform_admin_actions")).isZero();
        assertThat(Rows.count("platform_admins")).isZero();
    }

    @Test
    void theAuditLogPagesStablyAndFilters() {
        for (int i = 0; i < 7; i++) {
            assertThat(call("POST", "/api/admin/platform/admins", "{\"user_id\":\"u-" + i + "\"}").status()).isEqualTo(201);
        }
        call("DELETE", "/api/admin/platform/admins/3", null);

        List<Long> ids = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            Map<String, String> query = new HashMap<>(Map.of("limit", "3"));
            if (before != null) {
                query.put("before", before);
            }
            JsonNode page = call("GET", "/api/admin/audit", null, query).json();
            page.path("actions").forEach(a -> ids.add(a.path("id").asLong()));
            before = page.hasNonNull("next_before") ? page.get("next_before").asText() : null;
            // A write between pages lands before the first page, never inside the walk.
            call("POST", "/api/admin/platform/admins", "{\"user_id\":\"late-" + pages + "\"}");
            pages++;
        } while (before != null);
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(8).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));

        assertThat(call("GET", "/api/admin/audit", null, Map.of("action", "platform_admin.remove")).json()
                .path("actions")).hasSize(1);
        assertThat(call("GET", "/api/admin/audit", null, Map.of("target_type", "platform_admin", "target_id", "3"))
                .json().path("actions")).hasSize(2);
        assertThat(call("GET", "/api/admin/audit", null, Map.of("actor", "ROOT@example.com")).json().path("actions"))
                .hasSize(11);
        assertThat(call("GET", "/api/admin/audit", null, Map.of("actor", "someone-else")).json().path("actions")).isEmpty();
        assertThat(call("GET", "/api/admin/audit", null, Map.of("from", "2999-01-01T00:00:00Z")).json().path("actions")).isEmpty();
        assertThat(call("GET", "/api/admin/audit", null, Map.of("to", "2999-01-01T00:00:00Z")).json().path("actions"))
                .hasSize(11);

        Set<String> badFields = new HashSet<>();
        for (Map<String, String> bad : List.of(Map.of("limit", "0"), Map.of("limit", "x"), Map.of("before", "-1"),
                Map.of("from", "yesterday"), Map.of("to", "2026-13-01T00:00:00Z"), Map.of("actor", "a\u0000b"))) {
            Response r = call("GET", "/api/admin/audit", null, bad);
            assertThat(r.status()).as(bad.toString()).isEqualTo(400);
            badFields.add(r.json().path("field").asText());
        }
        assertThat(badFields).containsExactlyInAnyOrder("limit", "before", "from", "to", "actor");
    }
}
