package com.engarde.signupsync.testing;

import java.util.List;
import java.util.Map;

/**
 * One request a test sent to a function and the answer it got, as API Gateway proxies them: what the contract
 * check ({@link ApiExchangeCheck}) validates against the API document.
 *
 * @param test the test class and method that sent it, for the report
 */
public record ApiExchange(String test, String method, String path, Map<String, List<String>> query,
                          Map<String, String> headers, String body, boolean base64,
                          int status, Map<String, String> responseHeaders, String responseBody) {
}
