package com.engarde.signupsync.functions.funnelevents;

import com.engarde.signupsync.funnel.FunnelEventRequests;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The request bodies of this function's routes, for the API document only: the services parse the raw bytes
 * themselves (one input rule set), and these records say what they accept, limits taken from the same constants.
 */
final class FunnelEventsSchemas {

    private FunnelEventsSchemas() {
    }

    @Schema(name = "FunnelEventRequest", description = "One funnel event. Every string is NFC-normalized and trimmed;"
            + " a control character, a bidirectional override or half a surrogate pair is refused naming the field;"
            + " a key may not repeat.")
    record Event(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string",
                    extensions = @io.swagger.v3.oas.annotations.extensions.Extension(properties = @io.swagger.v3.oas.annotations.extensions.ExtensionProperty(name = "x-integration-kinds", value = "pull,push,api"))) String sourceType,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"lead_captured",
                    "appointment_booked", "appointment_cancelled", "appointment_completed", "event_registered",
                    "event_attended", "ticket_purchased", "ticket_refunded", "signup_started", "signup_completed",
                    "converted"}) String eventType,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 320,
                    description = "the lead's identity, an address with one @ (any script): trimmed of every kind of"
                            + " space, NFC, Unicode case-folded (not Turkic), so every spelling of one mailbox is one"
                            + " lead; no inner space, control, zero-width or bidi character") String email,
            @Schema(ref = "#/components/schemas/StringOrInteger",
                    description = "the source's own id, a string or an integer; with source and type the idempotency key (derived from source, type, email and"
                    + " occurred_at when absent)", example = "webinar-42:registrant-7") String externalId,
            @Schema(format = "date-time", description = "ISO-8601 with an offset; default now; from 1970-01-01 to at"
                    + " most a day ahead") String occurredAt,
            @Schema(maxLength = FunnelEventRequests.NAME_LENGTH) String firstName,
            @Schema(maxLength = FunnelEventRequests.NAME_LENGTH) String lastName,
            @Schema(maxLength = FunnelEventRequests.PHONE_LENGTH) String phone,
            @Schema(maxLength = FunnelEventRequests.UTM_LENGTH) String utmSource,
            @Schema(maxLength = FunnelEventRequests.UTM_LENGTH) String utmMedium,
            @Schema(maxLength = FunnelEventRequests.UTM_LENGTH) String utmCampaign,
            @Schema(maxLength = FunnelEventRequests.UTM_LENGTH) String utmTerm,
            @Schema(maxLength = FunnelEventRequests.UTM_LENGTH) String utmContent,
            @Schema(description = "any JSON object, at most 32 KB as JSON; no control character but tab and line"
                    + " breaks", type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> eventData) {
    }

    @Schema(name = "FunnelEventBatchRequest")
    record Batch(@ArraySchema(minItems = 1, maxItems = com.engarde.signupsync.funnel.FunnelIngest.MAX_BATCH_SIZE,
            schema = @Schema(ref = "#/components/schemas/FunnelEventBatchItem"))
            List<Object> events) {
    }

    @Schema(name = "ConversionRequest", description = "email or lead_id names the lead; an email never seen before"
            + " converts as a direct_signup.")
    record Conversion(
            @Schema(maxLength = 320, description = "the same normal form as an event's email") String email,
            @Schema(type = "integer", format = "int64", minimum = "1", maximum = "9223372036854775807",
                    description = "a number or ASCII digits") String leadId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, ref = "#/components/schemas/StringOrInteger",
                    description = "a string or an integer, up to 255 characters as stored") String platformUserId,
            @Schema(ref = "#/components/schemas/StringOrInteger",
                    description = "a string or an integer, up to 255 characters as stored") String tenantId,
            @Schema(format = "date-time", description = "same rule as occurred_at; default now") String convertedAt) {
    }
}
