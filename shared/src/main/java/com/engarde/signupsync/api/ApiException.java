package com.engarde.signupsync.api;

import io.micronaut.http.HttpStatus;

/** A failure the caller can act on, with the status and error body it is answered with. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String error;
    private final String field;

    public ApiException(HttpStatus status, String error, String message, String field) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message, field);
    }

    public static ApiException tooLarge(long limitBytes) {
        return new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "request body is larger than " + limitBytes + " bytes", null);
    }

    public static ApiException notFound(String field, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", message, field);
    }

    public static ApiException conflict(String field, String message) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", message, field);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(error, getMessage(), field);
    }
}
