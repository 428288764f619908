package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class WebhookDoorTest {

    @Test
    void theProvidersAuthenticationSeesTheRealCredentialsAndNoHeaderSurvivesTheDoor() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/x");
            request.setAttribute(RawBodyFilter.RAW_BODY, body);
            Exchange exchange = new DefaultExchange(camel);
            exchange.getIn().setHeader("CamelHttpServletRequest", request);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
            exchange.getIn().setHeader("Authorization", "Bearer s3cret");
            exchange.getIn().setHeader("X-Signature", "abc");

            new WebhookDoor(null, null, new ObjectMapper()).receive(exchange);

            @SuppressWarnings("unchecked")
            Map<String, String> headers = exchange.getVariable(WebhookDoor.HTTP_HEADERS, Map.class);
            assertThat(headers).containsEntry("authorization", "Bearer s3cret").containsEntry("x-signature", "abc");
            assertThat(exchange.getIn().getHeaders()).isEmpty();
            assertThat(exchange.getIn().getBody(byte[].class)).isEqualTo(body);
        }
    }
}
