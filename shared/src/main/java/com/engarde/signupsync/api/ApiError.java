package com.engarde.signupsync.api;

/** The one error body: {@code {"error":"invalid_request","message":"...","field":"email"}}. */
public record ApiError(String error, String message, String field) {
    public static ApiError of(String error, String message) {
        return new ApiError(error, message, null);
    }
}
