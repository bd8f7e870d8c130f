package com.engarde.signupsync.functions.adminplatformbrands;

import com.engarde.signupsync.input.JsonBodies;
import com.engarde.signupsync.api.ApiError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.engarde.signupsync.admin.AdminPrincipal;
import com.engarde.signupsync.platform.PlatformBrands;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;

import java.util.HashMap;
import java.util.Map;

/** En Garde's brands for admins. */
@Controller("/api/admin/platform/brands")
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
public class PlatformBrandsController {

    // Query parameters the route reads from the request are also its arguments, unused: micronaut-openapi
    // ignores the schema of a method-level @Parameter, so only an argument documents a parameter\'s type.

    private final PlatformBrands brands;
    private final JsonBodies bodies;

    public PlatformBrandsController(PlatformBrands brands, JsonBodies bodies) {
        this.brands = brands;
        this.bodies = bodies;
    }

    @Operation(summary = "En Garde's own brands",
            description = "With their tokens, storage and cost; without dates, all time.")
    @ApiResponse(responseCode = "200", description = "the brands", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PlatformBrands.BrandList.class)))
    @ApiResponse(responseCode = "400", description = "a bad date, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get
    public PlatformBrands.BrandList list(@Parameter(schema = @Schema(format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
                                         @Parameter(schema = @Schema(format = "date")) @Nullable @QueryValue("date_to") String dateTo) {
        return brands.list(dateFrom, dateTo);
    }

    @Operation(summary = "Create a brand of En Garde's own",
            description = "Body at most 16 KB. Audited as brand.create.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PlatformBrandsSchemas.Create.class),
            examples = @ExampleObject(value = """
                    {"brand_name":"Studio","purpose":"demos for prospects","is_demo":true,"is_template":false}""")))
    @ApiResponse(responseCode = "201", description = "the brand", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PlatformBrands.Brand.class)))
    @ApiResponse(responseCode = "400", description = "invalid input, naming the field",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "the name is taken, whatever its case",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "body over 16 KB",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Post
    public HttpResponse<PlatformBrands.Brand> create(@Body @Nullable byte[] body,
                                                     @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return HttpResponse.status(HttpStatus.CREATED).body(brands.create(admin, bodies.object(body, PlatformBrands.MAX_BODY_BYTES)));
    }

    @Operation(summary = "One brand's usage",
            description = "Totals and periods (days, months or, realtime, hours) each with its models.")
    @ApiResponse(responseCode = "200", description = "the usage", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PlatformBrands.BrandUsage.class)))
    @ApiResponse(responseCode = "400", description = "a bad parameter, naming it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "unknown brand",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Get("/{brand_id}/usage")
    public PlatformBrands.BrandUsage usage(@Parameter(schema = @Schema(type = "string", allowableValues = {"realtime", "daily", "monthly"}, defaultValue = "daily")) @Nullable @QueryValue("view_mode") String viewMode,
            @Parameter(schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_from") String dateFrom,
            @Parameter(schema = @Schema(type = "string", format = "date")) @Nullable @QueryValue("date_to") String dateTo,
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable("brand_id") String brandId, HttpRequest<?> request) {
        Map<String, String> params = new HashMap<>();
        request.getParameters().forEach((name, values) -> params.put(name, values.isEmpty() ? null : values.get(0)));
        return brands.usage(brandId, params);
    }
}
