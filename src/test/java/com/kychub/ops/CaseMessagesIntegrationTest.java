package com.kychub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The operators' view of a case with its raw messages, and the inbox backlog gauges. */
class CaseMessagesIntegrationTest extends HubIntegrationTest {

    private static final String BODY = "{\"userId\":\"u-ops-1\",\"status\":\"APPROVED\"}";

    @Autowired
    InboxBacklog backlog;

    @Test
    void aCaseComesWithItsRawMessagesBodiesIncludedBehindTheApiKey() {
        assertThat(postStriga(BODY).statusCode()).isEqualTo(200);
        awaitInboxDrained();
        String caseId = apiJson("/api/v1/cases?provider=striga&providerRef=u-ops-1").get("items").get(0).get("id")
                .asText();

        JsonNode answer = operatorJson("/api/v1/ops/cases/" + caseId + "/messages");
        assertThat(answer.at("/case/id").asText()).isEqualTo(caseId);
        assertThat(answer.at("/case/status").asText()).isEqualTo("APPROVED");
        assertThat(answer.get("messages")).hasSize(1);
        JsonNode message = answer.get("messages").get(0);
        assertThat(message.get("body").asText()).isEqualTo(BODY);
        assertThat(message.get("state").asText()).isEqualTo("PROCESSED");
        assertThat(message.get("channel").asText()).isEqualTo("WEBHOOK");
        assertThat(message.get("headers").isObject()).isTrue();

        assertThat(get("/api/v1/ops/cases/" + caseId + "/messages", Map.of()).statusCode()).isEqualTo(401);
        assertThat(operatorApi("/api/v1/ops/cases/" + UUID.randomUUID() + "/messages").statusCode()).isEqualTo(404);
    }

    @Test
    void theBacklogGaugesCountWaitingAndStoppedMessagesPerProviderAndStateNotProcessedOnes() {
        assertThat(postStriga(BODY).statusCode()).isEqualTo(200);
        awaitInboxDrained();
        // Settled as the workers leave them (they claim only ACCEPTED messages, so these stay as written).
        jdbc.update("""
                insert into inbound_message (provider, channel, dedup_key, body, state, attempts, last_error)
                values ('width', 'WEBHOOK', 'backlog-dead-1', '{}', 'DEAD', 3, 'test'),
                       ('width', 'WEBHOOK', 'backlog-dead-2', '{}', 'DEAD', 3, 'test'),
                       ('striga', 'WEBHOOK', 'backlog-failed', '{}', 'FAILED', 1, 'test')""");
        backlog.refresh();

        assertThat(backlogGauge("width", "DEAD")).isEqualTo(2.0);
        assertThat(backlogGauge("striga", "FAILED")).isEqualTo(1.0);
        assertThat(backlogGauge("striga", "ACCEPTED")).isZero();
        // The processed Striga message is not counted: no such gauge at all.
        assertThat(operatorApi("/actuator/metrics/kyc.inbox.backlog?tag=provider:striga&tag=state:PROCESSED")
                .statusCode()).isEqualTo(404);
    }

    private double backlogGauge(String provider, String state) {
        return operatorJson("/actuator/metrics/kyc.inbox.backlog?tag=provider:" + provider + "&tag=state:" + state)
                .at("/measurements/0/value").asDouble();
    }
}
