package com.kychub.api;

import com.kychub.http.ErrorAnswer;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page of the servlet container: what no handler of the hub answered itself (no such path, a method a
 * path does not take, an error a filter sent) is a problem ({@link ErrorAnswer}, RFC 9457) too, whatever the caller
 * accepts, instead of Spring Boot's {@code {timestamp, status, path}} or its HTML page.
 */
@RestController
public class HttpErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        if (status == null || !status.isError()) {
            // Someone asked for the error page itself.
            status = HttpStatus.NOT_FOUND;
        }
        String detail = switch (status) {
            case NOT_FOUND -> "there is no endpoint at this path";
            case METHOD_NOT_ALLOWED -> request.getMethod() + " is not supported here";
            default -> status.getReasonPhrase().toLowerCase();
        };
        // The request as it came, not the error page it was forwarded to.
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        // The content type is set, not negotiated: an Accept of text/html still gets the problem as JSON.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ErrorAnswer.of(status, detail, path instanceof String uri ? uri : request.getRequestURI()));
    }
}
