package com.engarde.signupsync.api;

import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.input.QueryValues;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The input rules every route shares, applied once after the route's auth and before its controller: the
 * method spelled as declared (methods are case-sensitive, as API Gateway treats them), and the query string
 * by {@link QueryValues#refusal}, so that no route takes an empty parameter for its default or the first
 * of two values.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestRules implements Ordered {

    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> check(HttpRequest<?> request) {
        String method = request.getMethodName();
        if (!method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            return HttpResponse.<ApiError>badRequest(ApiError.of("invalid_request",
                    "the method must be written in capitals, such as GET or POST: methods are case-sensitive"));
        }
        InvalidInput refusal = QueryValues.refusal(request.getParameters().asMap());
        return refusal == null ? null : ApiExceptionHandlers.answer(refusal);
    }

    /** Right after the route's auth: a caller without a token hears 401 whatever its parameters. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1;
    }
}
