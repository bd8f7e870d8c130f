package com.engarde.signupsync.functions.admineasyappointments;

import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.appointments.AppointmentList;
import com.engarde.signupsync.appointments.Appointments;
import com.engarde.signupsync.appointments.BookingStats;
import com.engarde.signupsync.appointments.Insights;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.HashMap;
import java.util.Map;

/** The synced EasyAppointments appointments for admins. */
@Controller("/api/admin/easyappointments")
@Consumes(MediaType.ALL)
@Tag(name = "admin")
@SecurityRequirement(name = "admin-jwt")
@ApiResponse(responseCode = "401", headers = @io.swagger.v3.oas.annotations.headers.Header(name = "WWW-Authenticate", description = "Bearer, with error=\"invalid_token\" when a token was sent", schema = @Schema(type = "string")),
        description = "no valid admin JWT (WWW-Authenticate: Bearer error=invalid_token)",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "403", description = "a valid token of someone who is neither a superuser nor a platform admin",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable",
        content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
public class EasyAppointmentsAdminController {

    // Query parameters the route reads from the request are also its arguments, unused: micronaut-openapi
    // ignores the schema of a method-level @Parameter, so only an argument documents a parameter's type.

    private final Appointments appointments;
    private final AppointmentList list;
    private final BookingStats stats;
    private final Insights insights;

    public EasyAppointmentsAdminController(Appointments appointments, AppointmentList list, BookingStats stats,
                                           Insights insights) {
        this.appointments = appointments;
        this.list = list;
        this.stats = stats;
        this.insights = insights;
    }

    @Operation(summary = "Booking statistics",
            description = "Over the appointments starting in the days from date_from to date_to of tz (default the last"
                    + " 30 days, UTC): by status and outcome, service, provider, ISO weekday (1 = Monday) and hour of tz;"
                    + " unique customers, new (no appointment before the range) against returning; completion, no-show"
                    + " and cancellation rates over resolved appointments (null when none is); lead time from booking to"
                    + " start in hours (median, p90, interpolated); revenue of completed appointments per currency; a"
                    + " daily series in tz.")
    @ApiResponse(responseCode = "200", description = "the statistics", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = BookingStats.Stats.class)))
    @ApiResponse(responseCode = "400", description = "a bad parameter, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/booking-stats")
    public BookingStats.Stats bookingStats(
            @Parameter(description = "day in tz, included; default 29 days before date_to", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "day in tz, included; default today; at most 800 days after date_from", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(description = "IANA timezone of the days and hours", schema = @Schema(type = "string", maxLength = 64, defaultValue = "UTC")) @Nullable @QueryValue("tz") String tz,
            HttpRequest<?> request) {
        return stats.stats(parameters(request));
    }

    @Operation(summary = "Insights into the bookings",
            description = "The figures of one analysis type over the appointments starting in the days from date_from to"
                    + " date_to of tz (the booking statistics' range and definitions): overview (outcomes, customers new"
                    + " and returning, rates, lead time, revenue); demographics (customers new and returning, email"
                    + " domains, a domain named only when at least 5 customers share it and the rest counted as other,"
                    + " appointments per customer); patterns (weekdays, hours, the busiest of each, lead time, the 5"
                    + " most booked services); conversion (rates, revenue, and the funnel tie-in: the bookers who signed"
                    + " up or converted on the platform at or after their first booking in the range, and the median"
                    + " days it took). A narrative of the figures is added when an Anthropic API key is configured,"
                    + " written from aggregated figures only and cached by them; its status says whether it was"
                    + " written now (present), taken from the cache (cached), not asked for (absent) or not obtained"
                    + " (failed), and why. A failed narrative never fails the request. Not audited.")
    @ApiResponse(responseCode = "200", description = "the figures and the narrative's status", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Insights.Answer.class)))
    @ApiResponse(responseCode = "400", description = "a bad parameter, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/insights")
    public Insights.Answer insights(
            @Parameter(schema = @Schema(type = "string", allowableValues = {"overview", "demographics", "patterns", "conversion"}, defaultValue = "overview")) @Nullable @QueryValue("analysis_type") String analysisType,
            @Parameter(description = "day in tz, included; default 29 days before date_to", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "day in tz, included; default today; at most 800 days after date_from", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(description = "IANA timezone of the days and hours", schema = @Schema(type = "string", maxLength = 64, defaultValue = "UTC")) @Nullable @QueryValue("tz") String tz,
            HttpRequest<?> request) {
        return insights.answer(parameters(request));
    }

    private static Map<String, String> parameters(HttpRequest<?> request) {
        Map<String, String> params = new HashMap<>();
        request.getParameters().forEach((name, values) -> params.put(name, values.isEmpty() ? null : values.get(0)));
        return params;
    }

    @Operation(summary = "The synced appointments",
            description = "Newest start first, in stable pages (follow next_cursor), with the total count of every"
                    + " page under the filters. outcome is the recorded one, else the status's (by"
                    + " EASYAPPOINTMENTS_STATUS_OUTCOMES); a past appointment still only booked is unresolved.")
    @ApiResponse(responseCode = "200", description = "one page and the total count", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = AppointmentList.Page.class)))
    @ApiResponse(responseCode = "400", description = "a bad parameter, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/appointments")
    public AppointmentList.Page appointments(
            @Parameter(description = "UTC day of the start, included", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(description = "UTC day of the start, included", schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(description = "the status as EasyAppointments says it, exactly", schema = @Schema(type = "string", maxLength = 512)) @Nullable @QueryValue("status") String status,
            @Parameter(schema = @Schema(type = "string", allowableValues = {"booked", "cancelled", "completed", "no_show", "unresolved"})) @Nullable @QueryValue("outcome") String outcome,
            @Parameter(description = "a service id", schema = @Schema(type = "integer", minimum = "1")) @Nullable @QueryValue("service") String service,
            @Parameter(description = "a provider id", schema = @Schema(type = "integer", minimum = "1")) @Nullable @QueryValue("provider") String provider,
            @Parameter(description = "the customer's email, whatever its case", schema = @Schema(type = "string", format = "email", maxLength = 320)) @Nullable @QueryValue("customer_email") String customerEmail,
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "200", defaultValue = "50")) @Nullable @QueryValue("page_size") String pageSize,
            @Parameter(description = "next_cursor of the page before", schema = @Schema(type = "string", maxLength = 100)) @Nullable @QueryValue("cursor") String cursor,
            HttpRequest<?> request) {
        return list.page(parameters(request));
    }

    @Operation(summary = "Record what became of an appointment",
            description = "EasyAppointments has no no-show status, so an admin records completed or no_show; it wins over"
                    + " the status's outcome, and the funnel's appointment_completed follows it (a no-show is not an"
                    + " attendance). Body at most 4 KB. Audited as appointment.outcome.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = EasyAppointmentsSchemas.OutcomeRequest.class),
            examples = @ExampleObject(value = "{\"outcome\":\"no_show\"}")))
    @ApiResponse(responseCode = "200", description = "the appointment with its outcome", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = Appointments.View.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no synced appointment has this id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the appointment is cancelled, or has not started yet",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 4 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post("/appointments/{id}/outcome")
    public Appointments.View outcome(@Parameter(description = "the EasyAppointments appointment id",
                                             schema = @Schema(type = "string", pattern = "^[0-9]{1,19}$")) @PathVariable("id") String id,
                                     @Body @Nullable byte[] body,
                                     @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return appointments.recordOutcome(admin, id, body);
    }
}
