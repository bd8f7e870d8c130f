package com.engarde.signupsync.snapstart;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side-effect-free request of a function's {@link SampleWork}, and the status it must answer. The path may
 * carry a query ({@code /sync/poshvip/deliveries?status=failed}), so the query rules are primed too.
 */
public record SampleRequest(String method, String path, String body, int status) {

    public static SampleRequest get(String path, int status) {
        return new SampleRequest("GET", path, null, status);
    }

    public static SampleRequest post(String path, String body, int status) {
        return new SampleRequest("POST", path, body, status);
    }

    /** The path without its query: what a manifest's route matches. */
    public String route() {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** The query's parameters, each given once, as API Gateway hands them over (already decoded); empty without. */
    public Map<String, String> query() {
        int query = path.indexOf('?');
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query >= 0) {
            for (String pair : path.substring(query + 1).split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        return parameters;
    }
}
