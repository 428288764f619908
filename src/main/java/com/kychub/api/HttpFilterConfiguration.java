package com.kychub.api;

import com.kychub.KycProperties;
import com.kychub.inbound.RawBodyFilter;
import com.kychub.inbound.InboxMetrics;
import com.kychub.inbound.WebhookContentTypeFilter;
import com.kychub.inbound.WebhookReadinessFilter;
import jakarta.servlet.Filter;
import org.apache.camel.CamelContext;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The servlet filters in front of the webhooks and the hub API (readiness, body size, the webhooks' content type; the
 * API keys are Spring Security's, in {@code com.kychub.access}), and Tomcat's error report for what it refuses before
 * any filter runs.
 */
@Configuration(proxyBeanMethods = false)
public class HttpFilterConfiguration {

    @Bean
    public FilterRegistrationBean<WebhookReadinessFilter> webhookReadinessFilter(CamelContext camel) {
        return register(new WebhookReadinessFilter(camel), "/webhooks/*", 0);
    }

    @Bean
    public FilterRegistrationBean<RawBodyFilter> webhookBodyFilter(KycProperties properties, InboxMetrics metrics) {
        return register(new RawBodyFilter(properties.inbox().maxBodySize().toBytes(), metrics), "/webhooks/*", 10);
    }

    @Bean
    public FilterRegistrationBean<RawBodyFilter> apiBodyFilter(KycProperties properties, InboxMetrics metrics) {
        return register(new RawBodyFilter(properties.api().maxBodySize().toBytes(), metrics), "/api/*", 10);
    }

    @Bean
    public FilterRegistrationBean<WebhookContentTypeFilter> webhookContentTypeFilter(InboxMetrics metrics) {
        return register(new WebhookContentTypeFilter(metrics), "/webhooks/*", 15);
    }

    /** The filter on the paths, {@code place} after the first of the hub's filters (lower runs first). */
    private static <F extends Filter> FilterRegistrationBean<F> register(F filter, String paths, int place) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(paths);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + place);
        return registration;
    }

    /** After Spring Boot's own customizer, which installs Tomcat's HTML error report. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReport() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve.getClass() == ErrorReportValve.class) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                // The host installs this class when it starts, in place of Tomcat's ErrorReportValve.
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
