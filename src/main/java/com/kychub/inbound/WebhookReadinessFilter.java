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

    /** Seconds a provider is asked to wait before delivering again while the routes start. */
    static final String RETRY_AFTER_SECONDS = "10";
    static final String STARTING = "the hub is starting, deliver again later";

    private final CamelContext camel;

    public WebhookReadinessFilter(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (webhooksReady(camel)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        ErrorAnswer.write(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, STARTING);
    }

    /** Whether Camel has started and every webhook route with it (the Vert.x doors ask the same). */
    static boolean webhooksReady(CamelContext camel) {
        return camel.isStarted() && !camel.getRouteController().isStartingRoutes();
    }
}
