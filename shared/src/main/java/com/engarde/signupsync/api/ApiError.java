package com.engarde.signupsync.api;

import io.micronaut.core.annotation.Nullable;

/** The one error body: {@code {"error":"invalid_request","message":"...","field":"email"}}; field only when one is at fault. */
public record ApiError(String error, String message, @Nullable String field) {
    public static ApiError of(String error, String message) {
        return new ApiError(error, message, null);
    }
}
