package com.kychub.http;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ResponseStatusException;

/**
 * The one shape of every error the hub answers over HTTP, whoever answers it (the webhook door, the servlet filters,
 * the security layer, Tomcat's error report, the API's controllers): RFC 9457 problem details,
 * {@code {"type": "about:blank", "title", "status", "detail", "instance"}} as {@code application/problem+json}.
 * {@code title} is the status's reason phrase, {@code detail} what the caller can do about it (never a stack trace,
 * never a body's content), {@code instance} the path of the request. Spring MVC writes the {@link ProblemDetail}
 * itself; the code that runs before it (filters, the valve, the door) writes {@link #json}.
 */
public final class ErrorAnswer {

    public static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private ErrorAnswer() {
    }

    /** The problem of this status, with what the caller can do and the request's path (null when unknown). */
    public static ProblemDetail of(HttpStatusCode status, String detail, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (problem.getTitle() == null) {
            // A status without a reason phrase of its own (Tomcat may answer one).
            problem.setTitle(status.is4xxClientError() ? "Client Error" : "Error");
        }
        problem.setInstance(path == null ? null : uri(path));
        return problem;
    }

    public static ProblemDetail of(int status, String detail, String path) {
        return of(HttpStatusCode.valueOf(status), detail, path);
    }

    /** A 404 for a controller to throw; the API's exception handler answers it as a problem. */
    public static ResponseStatusException notFound(String detail) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, detail);
    }

    /** A 400 for a controller to throw; the API's exception handler answers it as a problem. */
    public static ResponseStatusException badRequest(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }

    /** The problem as JSON, for the code that has no Spring MVC message converter at hand. */
    public static String json(ProblemDetail problem) {
        StringBuilder json = new StringBuilder("{\"type\":\"").append(quoted(String.valueOf(problem.getType())))
                .append("\",\"title\":\"").append(quoted(problem.getTitle()))
                .append("\",\"status\":").append(problem.getStatus());
        if (problem.getDetail() != null) {
            json.append(",\"detail\":\"").append(quoted(problem.getDetail())).append('"');
        }
        if (problem.getInstance() != null) {
            json.append(",\"instance\":\"").append(quoted(problem.getInstance().toString())).append('"');
        }
        return json.append('}').toString();
    }

    /** Answers the response with the problem, for the code that runs before Spring MVC (filters, security). */
    public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(problem));
    }

    /** Answers the request with the problem of this status, for the code that runs before Spring MVC. */
    public static void write(HttpServletRequest request, HttpServletResponse response, int status, String detail)
            throws IOException {
        write(response, of(status, detail, request.getRequestURI()));
    }

    /**
     * The path as a relative URI reference. A raw request path is already %-encoded, but Tomcat lets through a few
     * characters a URI may not hold ({@code |}, {@code {}}, ...): those are quoted rather than the path dropped.
     */
    private static URI uri(String path) {
        try {
            return new URI(path);
        } catch (URISyntaxException e) {
            try {
                return new URI(null, null, path, null);
            } catch (URISyntaxException stillNot) {
                return null;
            }
        }
    }

    private static String quoted(String text) {
        return text == null ? "" : new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
