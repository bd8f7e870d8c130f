package com.engarde.signupsync.functions.adminplatform;

import com.engarde.signupsync.admin.PlatformAdmins;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The answers of this function that are maps in code, for the API document only. */
final class AdminPlatformSchemas {

    private AdminPlatformSchemas() {
    }

    @Schema(name = "PlatformAdminRequest", description = "Who to make a platform admin: a user id (the JWT's sub) or an"
            + " email, or both.")
    record Add(@Schema(ref = "#/components/schemas/AdminUserId") String userId, @Schema(maxLength = 254, format = "email") String email) {
    }

    @Schema(name = "PlatformAdminList")
    record AdminList(List<PlatformAdmins.Admin> admins) {
    }

    @Schema(name = "PlatformAdminRemoved")
    record Removed(PlatformAdmins.Admin removed) {
    }

    @Schema(name = "PersonRecord", description = "Everything held about one person; each row as stored (columns by name).")
    record PersonRecord(@Schema(format = "email") String email,
                        @Schema(type = "object", nullable = true, additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                                description = "the lead (null when none)") Map<String, Object> lead,
                        @ArraySchema(schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> events,
                        @ArraySchema(schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> conversions,
                        @ArraySchema(schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> appointments,
                        @ArraySchema(schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> signupQueue,
                        @ArraySchema(arraySchema = @Schema(description = "the queue entries' invitations (never the token or its hash)"),
                                schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> invitations,
                        @ArraySchema(arraySchema = @Schema(description = "stored deliveries whose raw body names the email; raw_body as text"),
                                schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> webhookDeliveries,
                        EmailListState emailList,
                        @ArraySchema(schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> usageUsers,
                        long usageRecordCount,
                        @ArraySchema(arraySchema = @Schema(description = "the newest 1000"),
                                schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> usageRecords,
                        @ArraySchema(arraySchema = @Schema(description = "per sync run, the failed records about the person"),
                                schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> syncFailedRecords,
                        boolean suppressed) {
    }

    @Schema(name = "PersonEmailListState", description = "What was sent to Brevo lists (list, content hash, when) and what"
            + " the Brevo account holds for the person as the list sync last read it (null when nothing).")
    record EmailListState(@ArraySchema(schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)) List<Map<String, Object>> sent,
                          @Schema(type = "object", nullable = true, additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> brevoContact) {
    }
}
