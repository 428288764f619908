package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.kychub.KycProperties;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class WebhookRouteGateTest {

    @Test
    void theWebhookRouteOfAProviderWithoutAChosenSchemeStaysStopped() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:unconfigured").routeId("unconfigured-webhook").log("never");
                    from("direct:configured").routeId("configured-webhook").log("served");
                }
            });
            new WebhookRouteGate(List.of(gated("unconfigured", null), gated("configured", "none")))
                    .beforeApplicationStart(camel);
            camel.start();

            assertThat(camel.getRouteController().getRouteStatus("unconfigured-webhook"))
                    .isEqualTo(ServiceStatus.Stopped);
            assertThat(camel.getRouteController().getRouteStatus("configured-webhook"))
                    .isEqualTo(ServiceStatus.Started);
        }
    }

    private static ConfigurableWebhookAuth gated(String provider, String scheme) {
        return new ConfigurableWebhookAuth(provider, new KycProperties.WebhookAuth(scheme, "X-Signature", "hex", null));
    }
}
