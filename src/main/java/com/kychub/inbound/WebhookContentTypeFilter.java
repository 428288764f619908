package com.kychub.inbound;

import java.io.IOException;

import com.kychub.http.ErrorAnswer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a webhook POST that is not JSON with 415 before Camel's HTTP binding reads it: that binding parses an
 * {@code application/x-www-form-urlencoded} body into form fields before the route (and its error handling) runs,
 * and a body that is no form (a JSON webhook) fails there with a 500 and a log line quoting the body. The door
 * ({@link WebhookDoor#receive}) applies the same rule to whatever reaches it.
 */
public class WebhookContentTypeFilter extends OncePerRequestFilter {

    private final InboxMetrics metrics;

    public WebhookContentTypeFilter(InboxMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (!"POST".equals(request.getMethod()) || (contentType != null && WebhookDoor.isJson(contentType))) {
            chain.doFilter(request, response);
            return;
        }
        metrics.rejectedWebhook(request.getRequestURI());
        ErrorAnswer.write(request, response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json");
    }
}
