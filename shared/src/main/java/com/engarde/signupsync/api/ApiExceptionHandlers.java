package com.engarde.signupsync.api;

import com.engarde.signupsync.crypto.EncryptionKeyMissing;
import com.engarde.signupsync.crypto.SealBroken;
import com.engarde.signupsync.failure.Conflict;
import com.engarde.signupsync.failure.DependencyUnavailable;
import com.engarde.signupsync.failure.DomainFailure;
import com.engarde.signupsync.failure.Forbidden;
import com.engarde.signupsync.failure.InvalidInput;
import com.engarde.signupsync.failure.LimitReached;
import com.engarde.signupsync.failure.NotFound;
import com.engarde.signupsync.failure.Unauthenticated;
import com.engarde.signupsync.persistence.DatabaseException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The one table from every failure to its answer: a domain failure's kind gives the status ({@link #STATUS}),
 * the failure its code, message and field; the few failures of lower layers (the database, the encryption key,
 * the framework's own binding) have their rows below. Unexpected ones are logged with their stack trace and
 * answered without it.
 */
public final class ApiExceptionHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandlers.class);

    /** Each kind of domain failure and its status; a test holds it complete over the sealed kinds. */
    static final Map<Class<? extends DomainFailure>, HttpStatus> STATUS = Map.of(
            InvalidInput.class, HttpStatus.BAD_REQUEST,
            Unauthenticated.class, HttpStatus.UNAUTHORIZED,
            Forbidden.class, HttpStatus.FORBIDDEN,
            NotFound.class, HttpStatus.NOT_FOUND,
            Conflict.class, HttpStatus.CONFLICT,
            LimitReached.class, HttpStatus.REQUEST_ENTITY_TOO_LARGE,
            DependencyUnavailable.class, HttpStatus.SERVICE_UNAVAILABLE);

    private ApiExceptionHandlers() {
    }

    /** The status a domain failure is answered with, by its kind (the sealed class it descends from). */
    private static HttpStatus status(DomainFailure failure) {
        Class<?> kind = failure.getClass();
        while (kind.getSuperclass() != DomainFailure.class) {
            kind = kind.getSuperclass();
        }
        return STATUS.get(kind);
    }

    /** The answer to a domain failure: its kind's status and the one error body. */
    static HttpResponse<ApiError> answer(DomainFailure failure) {
        return HttpResponse.<ApiError>status(status(failure))
                .body(new ApiError(failure.code(), failure.getMessage(), failure.field()));
    }

    @Produces
    @Singleton
    public static class Domain implements ExceptionHandler<DomainFailure, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, DomainFailure exception) {
            return answer(exception);
        }
    }

    @Produces
    @Singleton
    public static class Known implements ExceptionHandler<ApiException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, ApiException exception) {
            return HttpResponse.<ApiError>status(exception.status()).body(exception.body());
        }
    }

    @Produces
    @Singleton
    public static class DatabaseDown implements ExceptionHandler<DatabaseException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, DatabaseException exception) {
            if (exception.refusedData()) {
                // The input's fault: a 400, so the caller fixes it rather than retrying. PostgreSQL's message
                // is neither logged nor answered: its detail quotes the failing row (personal data).
                LOG.warn("database refused the data of {} {} (SQLSTATE {})", request.getMethodName(),
                        request.getPath(), exception.sqlState());
                return HttpResponse.<ApiError>badRequest(ApiError.of("invalid_request",
                        "the request holds " + DatabaseException.refusedValue(exception.sqlState())));
            }
            LOG.error("database failure on {} {} (SQLSTATE {}, {})", request.getMethodName(), request.getPath(),
                    exception.sqlState(), exception.getCause() == null ? "no cause" : exception.getCause().getClass().getName());
            boolean unavailable = exception.sqlState() == null || exception.sqlState().startsWith("08");
            HttpStatus status = unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR;
            return HttpResponse.<ApiError>status(status).body(ApiError.of(
                    unavailable ? "service_unavailable" : "internal_error",
                    unavailable ? "the database is not reachable; retry later" : "the request could not be stored"));
        }
    }

    /**
     * Replaces Micronaut's own handler of the same exception: with both, neither is chosen and every
     * unconvertible parameter answered 500.
     */
    @Produces
    @Singleton
    @Replaces(ConversionErrorHandler.class)
    public static class BadParameter implements ExceptionHandler<ConversionErrorException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, ConversionErrorException exception) {
            String field = exception.getArgument().getName();
            return HttpResponse.<ApiError>badRequest(new ApiError("invalid_request",
                    field + " has an invalid value", field));
        }
    }

    /** Stored credentials that do not open: the admin must store them again (or restore the previous key). */
    @Produces
    @Singleton
    public static class UnopenedCredentials implements ExceptionHandler<SealBroken, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, SealBroken exception) {
            LOG.warn("{} {}: {}", request.getMethodName(), request.getPath(), exception.getMessage());
            return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(ApiError.of("credentials_unreadable",
                    exception.getMessage() + "; store them again"));
        }
    }

    @Produces
    @Singleton
    public static class NoEncryptionKey implements ExceptionHandler<EncryptionKeyMissing, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, EncryptionKeyMissing exception) {
            LOG.error("{} {}: {}", request.getMethodName(), request.getPath(), exception.getMessage());
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE).body(ApiError.of("not_configured",
                    exception.getMessage()));
        }
    }
}
