package com.engarde.signupsync.snapstart;

/** One side-effect-free request of a function's {@link SampleWork}, and the status it must answer. */
public record SampleRequest(String method, String path, String body, int status) {

    public static SampleRequest get(String path, int status) {
        return new SampleRequest("GET", path, null, status);
    }

    public static SampleRequest post(String path, String body, int status) {
        return new SampleRequest("POST", path, body, status);
    }
}
