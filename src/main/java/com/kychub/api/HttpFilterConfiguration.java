package com.kychub.api;

import com.kychub.KycProperties;
import com.kychub.inbound.RawBodyFilter;
import com.kychub.inbound.InboxMetrics;
import com.kychub.inbound.WebhookContentTypeFilter;
import com.kychub.inbound.WebhookReadinessFilter;
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
 * The servlet filters in front of the webhooks and the hub API (readiness, body size, then the webhooks' content type
 * and the API key), and Tomcat's error report for what it refuses before any filter runs.
 */
@Configuration(proxyBeanMethods = false)
public class HttpFilterConfiguration {

    @Bean
    public FilterRegistrationBean<RawBodyFilter> webhookBodyFilter(KycProperties properties, InboxMetrics metrics) {
        FilterRegistrationBean<RawBodyFilter> registration = new FilterRegistrationBean<>(
                new RawBodyFilter(properties.inbox().maxBodySize().toBytes(), metrics));
        registration.addUrlPatterns("/webhooks/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<RawBodyFilter> apiBodyFilter(KycProperties properties, InboxMetrics metrics) {
        FilterRegistrationBean<RawBodyFilter> registration = new FilterRegistrationBean<>(
                new RawBodyFilter(properties.api().maxBodySize().toBytes(), metrics));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<WebhookReadinessFilter> webhookReadinessFilter(CamelContext camel) {
        FilterRegistrationBean<WebhookReadinessFilter> registration = new FilterRegistrationBean<>(
                new WebhookReadinessFilter(camel));
        registration.addUrlPatterns("/webhooks/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<WebhookContentTypeFilter> webhookContentTypeFilter(InboxMetrics metrics) {
        FilterRegistrationBean<WebhookContentTypeFilter> registration = new FilterRegistrationBean<>(
                new WebhookContentTypeFilter(metrics));
        registration.addUrlPatterns("/webhooks/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(KycProperties properties) {
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(
                new ApiKeyFilter(properties.api().keys()));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
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
