package com.engarde.signupsync.functions.adminplatformbrands;

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
public class PlatformBrandsController {

    private final PlatformBrands brands;

    public PlatformBrandsController(PlatformBrands brands) {
        this.brands = brands;
    }

    @Get
    public PlatformBrands.BrandList list(@Nullable @QueryValue("date_from") String dateFrom,
                                         @Nullable @QueryValue("date_to") String dateTo) {
        return brands.list(dateFrom, dateTo);
    }

    @Post
    public HttpResponse<PlatformBrands.Brand> create(@Body @Nullable byte[] body,
                                                     @RequestAttribute(AdminPrincipal.ATTRIBUTE) AdminPrincipal admin) {
        return HttpResponse.status(HttpStatus.CREATED).body(brands.create(admin, body));
    }

    @Get("/{brand_id}/usage")
    public PlatformBrands.BrandUsage usage(@PathVariable("brand_id") String brandId, HttpRequest<?> request) {
        Map<String, String> params = new HashMap<>();
        request.getParameters().forEach((name, values) -> params.put(name, values.isEmpty() ? null : values.get(0)));
        return brands.usage(brandId, params);
    }
}
