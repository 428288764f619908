package com.kychub.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/** End to end: a provider's webhooks change a case, and the fintech's receiver hears of each change, signed, in order. */
class ProviderToReceiverDeliveryIntegrationTest extends DeliveryFixtures {

    @Test
    void strigasWebhooksReachTheFintechAsCanonicalEventsInOrder() throws Exception {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/fintech")).willReturn(aResponse().withStatus(200)));
        String secret = newSecret();
        createEndpoint(receiverUrl("/fintech"), secret);

        assertThat(postStriga("{\"userId\":\"u-e2e\",\"status\":\"INITIATED\"}").statusCode()).isEqualTo(200);
        awaitCase("striga", "u-e2e", "IN_PROGRESS", null);
        assertThat(postStriga("{\"userId\":\"u-e2e\",\"status\":\"APPROVED\"}").statusCode()).isEqualTo(200);
        JsonNode kycCase = awaitCase("striga", "u-e2e", "APPROVED", "NONE");
        int events = jdbc.queryForObject("select count(*) from outbound_event", Integer.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> received("/fintech").size() == events);

        List<LoggedRequest> requests = received("/fintech");
        for (int i = 0; i < requests.size(); i++) {
            LoggedRequest request = requests.get(i);
            verify(secret, request);
            JsonNode event = readJson(request.getBodyAsString());
            assertThat(event.get("id").asText()).isEqualTo(request.getHeader("webhook-id"));
            assertThat(event.at("/data/sequence").asInt()).isEqualTo(i + 1);
            assertThat(event.at("/data/provider").asText()).isEqualTo("striga");
            assertThat(event.at("/data/providerRef").asText()).isEqualTo("u-e2e");
            assertThat(event.at("/data/caseId").asText()).isEqualTo(kycCase.get("id").asText());
        }
        assertThat(readJson(requests.get(0).getBodyAsString()).get("type").asText()).isEqualTo("kyc.case.opened");
        JsonNode last = readJson(requests.get(requests.size() - 1).getBodyAsString());
        assertThat(last.get("type").asText()).isEqualTo("kyc.case.status_changed");
        assertThat(last.at("/data/status").asText()).isEqualTo("APPROVED");
    }
}
