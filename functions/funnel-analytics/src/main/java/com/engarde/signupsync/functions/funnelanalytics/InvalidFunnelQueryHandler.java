package com.engarde.signupsync.functions.funnelanalytics;

import com.engarde.signupsync.analytics.InvalidFunnelQuery;
import com.engarde.signupsync.api.ApiError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A parameter the analytics cannot answer is the caller's mistake: 400 in the one error shape, naming it. */
@Produces
@Singleton
public class InvalidFunnelQueryHandler implements ExceptionHandler<InvalidFunnelQuery, HttpResponse<ApiError>> {
    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, InvalidFunnelQuery exception) {
        return HttpResponse.badRequest(new ApiError("invalid_request", exception.getMessage(), exception.field()));
    }
}
