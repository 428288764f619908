package com.kychub.api;

import com.kychub.canonical.ProviderNotConfiguredException;
import com.kychub.http.ErrorAnswer;
import com.kychub.inbound.Failures;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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

/** Every API error as a problem ({@link ErrorAnswer}, RFC 9457); no stack trace ever reaches the caller. */
@RestControllerAdvice(basePackages = "com.kychub")
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(ResponseStatusException e, HttpServletRequest request) {
        return answer(request, e.getStatusCode(), e.getReason());
    }

    @ExceptionHandler(ProviderNotConfiguredException.class)
    ResponseEntity<ProblemDetail> notConfigured(ProviderNotConfiguredException e, HttpServletRequest request) {
        return answer(request, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /**
     * The store down or unreachable is a 503 the caller may try again, as a provider does with a webhook; any other
     * database failure is unexpected.
     */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> store(DataAccessException e, HttpServletRequest request) {
        if (!Failures.isStoreOutage(e)) {
            return unexpected(e, request);
        }
        log.warn("API request answered 503: the store is unavailable ({})", Failures.describe(e));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ErrorAnswer.of(HttpStatus.SERVICE_UNAVAILABLE, "the store is unavailable, try again later",
                        request.getRequestURI()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, "'" + e.getName() + "' is not valid");
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        String reason = e.getBindingResult().getFieldErrors().stream()
                .map(error -> "'" + error.getField() + "' " + error.getDefaultMessage())
                .sorted().findFirst().orElse("the request is not valid");
        return answer(request, HttpStatus.BAD_REQUEST, reason);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, "the body is not the JSON this endpoint takes");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, "'" + e.getParameterName() + "' is required");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            // Spring MVC's own refusals (no such path, ...) keep their status.
            return answer(request, known.getStatusCode(), known.getBody().getDetail());
        }
        log.error("API request failed: {}", e.getClass().getSimpleName(), e);
        return answer(request, HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    private static ResponseEntity<ProblemDetail> answer(HttpServletRequest request, HttpStatusCode status,
            String detail) {
        // Set, not negotiated: an Accept the hub cannot serve (or cannot even parse) still gets the problem as JSON.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ErrorAnswer.of(status, detail, request.getRequestURI()));
    }
}
