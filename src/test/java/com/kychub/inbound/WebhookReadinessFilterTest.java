package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class WebhookReadinessFilterTest {

    @Test
    void beforeCamelHasStartedAWebhookIsAnswered503NotLost() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();

            new WebhookReadinessFilter(camel).doFilter(new MockHttpServletRequest("POST", "/webhooks/striga/kyc"),
                    response, chain);

            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getHeader("Retry-After")).isEqualTo("10");
            assertThat(chain.getRequest()).isNull();
        }
    }

    @Test
    void whileTheRouteControllerIsStillStartingTheRoutesAWebhookIsAnswered503() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            // The hub's supervising controller starts the routes after the context; here they wait a minute.
            camel.getRouteController().supervising().setInitialDelay(60_000);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:striga-webhook").routeId("striga-webhook").log("webhook");
                }
            });
            camel.start();
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();

            new WebhookReadinessFilter(camel).doFilter(new MockHttpServletRequest("POST", "/webhooks/striga/kyc"),
                    response, chain);

            assertThat(camel.isStarted()).isTrue();
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(chain.getRequest()).isNull();
        }
    }

    @Test
    void onceCamelHasStartedTheWebhookGoesThrough() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();

            new WebhookReadinessFilter(camel).doFilter(new MockHttpServletRequest("POST", "/webhooks/striga/kyc"),
                    response, chain);

            assertThat(chain.getRequest()).isNotNull();
        }
    }
}
