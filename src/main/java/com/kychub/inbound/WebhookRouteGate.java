package com.kychub.inbound;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the webhook route of a provider whose webhook authentication was not chosen from starting, so an
 * unauthenticated endpoint is never open by accident: every {@link ConfigurableWebhookAuth} bean is checked.
 */
@Component
public class WebhookRouteGate implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebhookRouteGate.class);

    private final List<ConfigurableWebhookAuth> gated;

    public WebhookRouteGate(List<ConfigurableWebhookAuth> gated) {
        this.gated = gated;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        for (ConfigurableWebhookAuth provider : gated) {
            if (provider.isConfigured()) {
                continue;
            }
            RouteDefinition route = ((ModelCamelContext) camel).getRouteDefinition(provider.webhookRouteId());
            if (route != null) {
                route.setAutoStartup("false");
                log.error("Route {} is not started: choose its webhook authentication "
                        + "(webhook-auth.scheme: hmac-sha256, bearer or none)", provider.webhookRouteId());
            }
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }
}
