package com.engarde.signupsync.functions.adminplatformbrands;

import com.engarde.signupsync.api.ApiError;
import com.engarde.signupsync.api.ApiException;
import com.engarde.signupsync.platform.BrandNameTaken;
import com.engarde.signupsync.platform.UnknownBrand;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The brand domain's errors in the one error shape: a taken name is a 409, an unknown brand a 404. */
final class BrandErrors {

    private BrandErrors() {
    }

    @Produces
    @Singleton
    static class Taken implements ExceptionHandler<BrandNameTaken, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, BrandNameTaken e) {
            ApiException answer = ApiException.conflict("brand_name", e.getMessage());
            return HttpResponse.<ApiError>status(answer.status()).body(answer.body());
        }
    }

    @Produces
    @Singleton
    static class Unknown implements ExceptionHandler<UnknownBrand, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, UnknownBrand e) {
            ApiException answer = ApiException.notFound("brand_id", e.getMessage());
            return HttpResponse.<ApiError>status(answer.status()).body(answer.body());
        }
    }
}
