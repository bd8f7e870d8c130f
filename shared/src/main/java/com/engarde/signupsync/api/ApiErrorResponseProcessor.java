package com.engarde.signupsync.api;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.web.router.exceptions.UnsatisfiedBodyRouteException;
import jakarta.inject.Singleton;

/**
 * Errors the framework answers itself (no such route, wrong method, missing body, server error) leave in the
 * same shape as the service's own, and a 5xx never carries the exception's text.
 */
@Singleton
@Primary
public class ApiErrorResponseProcessor implements ErrorResponseProcessor<ApiError> {

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        String message = context.getErrors().stream().findFirst().map(Error::getMessage).orElse(response.reason());
        if (context.getRootCause().filter(UnsatisfiedBodyRouteException.class::isInstance).isPresent()
                || message != null && message.startsWith("Unable to decode request body")) {
            message = "request body is empty; send a JSON object";
        }
        String error = switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "request_failed";
        };
        if (status >= 500) {
            message = "the request could not be processed";
        }
        return response.body(new ApiError(error, message, null));
    }
}
