package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

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
