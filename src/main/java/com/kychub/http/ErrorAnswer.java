package com.kychub.http;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The one shape of every error the hub answers over HTTP, whoever answers it (the webhook door, the servlet filters,
 * Tomcat's error report, the API's controllers): {@code {"error": "...", "reason": "..."}}, as JSON.
 *
 * @param error  what went wrong in a word or two: the status's reason phrase, or the door's own word
 *               ({@code rejected}, {@code unavailable})
 * @param reason what the caller can do about it; never a stack trace, never a body's content
 */
public record ErrorAnswer(String error, String reason) {

    /** The error named after the status's reason phrase ("not found", "payload too large", ...). */
    public static ErrorAnswer of(int status, String reason) {
        HttpStatus known = HttpStatus.resolve(status);
        return new ErrorAnswer(known == null ? "error" : known.getReasonPhrase().toLowerCase(Locale.ROOT), reason);
    }

    /** A 404 for a controller to throw; the API's exception handler answers it in this shape. */
    public static ResponseStatusException notFound(String reason) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, reason);
    }

    /** A 400 for a controller to throw; the API's exception handler answers it in this shape. */
    public static ResponseStatusException badRequest(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }

    public String json() {
        return "{\"error\":\"" + quoted(error) + "\",\"reason\":\"" + quoted(reason) + "\"}";
    }

    /** Answers the response with this error, for the code that runs before Spring MVC (filters, the valve). */
    public void write(HttpServletResponse response, int status) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write(json());
    }

    private static String quoted(String text) {
        return text == null ? "" : new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
