package com.engarde.signupsync.api;

import com.engarde.signupsync.admin.AdminForbidden;
import com.engarde.signupsync.admin.AdminTokenRejected;
import com.engarde.signupsync.credentials.InvalidCredentials;
import com.engarde.signupsync.credentials.NoCredentials;
import com.engarde.signupsync.failure.DependencyUnavailable;
import com.engarde.signupsync.failure.DomainFailure;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.LimitReached;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.platform.BrandNameTaken;
import com.engarde.signupsync.platform.InvalidUsageRecord;
import com.engarde.signupsync.platform.UnknownBrand;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The one table from domain failures to answers: complete, and each answer the status and body callers rely on. */
class FailureTableTest {

    @Test
    void everyKindOfFailureHasAStatus() {
        Class<?>[] kinds = DomainFailure.class.getPermittedSubclasses();
        assertThat(kinds).hasSize(7);
        assertThat(new java.util.HashSet<Class<?>>(ApiExceptionHandlers.STATUS.keySet())).isEqualTo(Set.of(kinds));
    }

    @Test
    void aDomainFailureIsAnsweredByItsKindWithItsCodeMessageAndField() {
        assertAnswer(new InvalidInput("email", "email is not a valid email address"), HttpStatus.BAD_REQUEST,
                new ApiError("invalid_request", "email is not a valid email address", "email"));
        assertAnswer(new NotFound("lead_id", "no lead has id 7"), HttpStatus.NOT_FOUND,
                new ApiError("not_found", "no lead has id 7", "lead_id"));
        assertAnswer(LimitReached.bodyLargerThan(4096), HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                new ApiError("payload_too_large", "request body is larger than 4096 bytes", null));
        assertAnswer(new DependencyUnavailable("bus_unavailable", "retry later"), HttpStatus.SERVICE_UNAVAILABLE,
                new ApiError("bus_unavailable", "retry later", null));
    }

    /** The failures each module once mapped in its own handler keep their answers. */
    @Test
    void theFailuresOnceMappedElsewhereKeepTheirAnswers() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000002");
        assertAnswer(new UnknownBrand(id), HttpStatus.NOT_FOUND,
                new ApiError("not_found", "no brand has the id " + id, "brand_id"));
        assertAnswer(new BrandNameTaken("Studio"), HttpStatus.CONFLICT,
                new ApiError("conflict", "a brand named 'Studio' already exists", "brand_name"));
        assertAnswer(new NoCredentials("zoom", "type"), HttpStatus.CONFLICT,
                new ApiError("conflict", "zoom has no credentials configured: store them first", "type"));
        assertAnswer(new InvalidCredentials("url", "url is refused"), HttpStatus.BAD_REQUEST,
                new ApiError("invalid_request", "url is refused", "url"));
        assertAnswer(new InvalidUsageRecord("cost_usd", "cost_usd is too large"), HttpStatus.BAD_REQUEST,
                new ApiError("invalid_request", "cost_usd is too large", "cost_usd"));
        assertAnswer(new AdminForbidden("this route is for superusers only"), HttpStatus.FORBIDDEN,
                new ApiError("forbidden", "this route is for superusers only", null));
        assertAnswer(new AdminTokenRejected("the token has expired"), HttpStatus.UNAUTHORIZED,
                new ApiError("unauthorized", "the token has expired", null));
    }

    private static void assertAnswer(DomainFailure failure, HttpStatus status, ApiError body) {
        HttpResponse<ApiError> answer = ApiExceptionHandlers.answer(failure);
        assertThat((Object) answer.status()).as(failure.getClass().getSimpleName()).isEqualTo(status);
        assertThat(answer.body()).as(failure.getClass().getSimpleName()).isEqualTo(body);
    }
}
