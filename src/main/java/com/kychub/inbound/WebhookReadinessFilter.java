package com.kychub.inbound;

import java.io.IOException;

import com.kychub.http.ErrorAnswer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat accepts requests seconds before Camel has registered the webhook routes, and the supervising route controller
 * ({@code camel.routecontroller.enabled}) starts them one by one after the context itself has started. Until then a
 * webhook would get 404, which a provider may take as final; this answers 503 with Retry-After instead, which every
 * provider retries.
 */
public class WebhookReadinessFilter extends OncePerRequestFilter {

    private final CamelContext camel;

    public WebhookReadinessFilter(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (camel.isStarted() && !camel.getRouteController().isStartingRoutes()) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", "10");
        ErrorAnswer.write(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                "the hub is starting, deliver again later");
    }
}
