package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import com.kychub.support.ExtraHub;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

/**
 * Without a chosen webhook authentication the ARGOS endpoint is never open: a hub of its own (database
 * {@code <test database>_argos_gate}) started with no {@code kyc.providers.argos.webhook-auth.scheme}.
 */
class ArgosWebhookGateIntegrationTest {

    @Test
    void withoutAChosenSchemeTheWebhookRouteStaysStopped() {
        try (ExtraHub hub = ExtraHub.builder()
                .name("kyc-hub-argos-gate")
                .database("argos_gate", 54331)
                .processing(false)
                .start()) {
            CamelContext camel = hub.camel();
            assertThat(camel.getRouteController().getRouteStatus("argos-webhook")).isEqualTo(ServiceStatus.Stopped);
            assertThat(camel.getRouteController().getRouteStatus("argos-process")).isEqualTo(ServiceStatus.Started);

            HttpResponse<String> answer = hub.post("/webhooks/argos",
                    "{\"webhook_trigger\":\"approved\",\"submission_id\":\"s-1\"}",
                    Map.of("Content-Type", "application/json"));
            assertThat(answer.statusCode()).isEqualTo(404);
        }
    }
}
