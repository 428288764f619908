package com.kychub.api;

import com.kychub.canonical.ProviderNotConfiguredException;
import com.kychub.http.ErrorAnswer;
import com.kychub.inbound.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;

/** Every API error as {@link ErrorAnswer}; no stack trace ever reaches the caller. */
@RestControllerAdvice(basePackages = "com.kychub")
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ErrorAnswer> status(ResponseStatusException e) {
        return answer(e.getStatusCode(), e.getReason());
    }

    @ExceptionHandler(ProviderNotConfiguredException.class)
    ResponseEntity<ErrorAnswer> notConfigured(ProviderNotConfiguredException e) {
        return answer(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /**
     * The store down or unreachable is a 503 the caller may try again, as a provider does with a webhook; any other
     * database failure is unexpected.
     */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ErrorAnswer> store(DataAccessException e) {
        if (!Failures.isStoreOutage(e)) {
            return unexpected(e);
        }
        log.warn("API request answered 503: the store is unavailable ({})", Failures.describe(e));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorAnswer("unavailable", "the store is unavailable, try again later"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorAnswer> mismatch(MethodArgumentTypeMismatchException e) {
        return answer(HttpStatus.BAD_REQUEST, "'" + e.getName() + "' is not valid");
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ErrorAnswer> invalid(MethodArgumentNotValidException e) {
        String reason = e.getBindingResult().getFieldErrors().stream()
                .map(error -> "'" + error.getField() + "' " + error.getDefaultMessage())
                .sorted().findFirst().orElse("the request is not valid");
        return answer(HttpStatus.BAD_REQUEST, reason);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorAnswer> unreadable(HttpMessageNotReadableException e) {
        return answer(HttpStatus.BAD_REQUEST, "the body is not the JSON this endpoint takes");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorAnswer> mediaType(HttpMediaTypeNotSupportedException e) {
        return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorAnswer> method(HttpRequestMethodNotSupportedException e) {
        return answer(HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ErrorAnswer> missing(MissingServletRequestParameterException e) {
        return answer(HttpStatus.BAD_REQUEST, "'" + e.getParameterName() + "' is required");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorAnswer> unexpected(Exception e) {
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            // Spring MVC's own refusals (no such path, ...) keep their status.
            return answer(known.getStatusCode(), known.getBody().getDetail());
        }
        log.error("API request failed: {}", e.getClass().getSimpleName(), e);
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    private static ResponseEntity<ErrorAnswer> answer(HttpStatusCode status, String reason) {
        // Set, not negotiated: an Accept the hub cannot serve (or cannot even parse) still gets the JSON error.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorAnswer.of(status.value(), reason));
    }
}
