package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.kychub.KycHubApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Without a chosen webhook authentication the ARGOS endpoint is never open: a hub of its own (database
 * {@code <test database>_argos_gate}) started with no {@code kyc.providers.argos.webhook-auth.scheme}.
 */
class ArgosWebhookGateIntegrationTest {

    @Test
    void withoutAChosenSchemeTheWebhookRouteStaysStopped() throws Exception {
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(KycHubApplication.class).run(
                "--server.port=0",
                "--camel.main.name=kyc-hub-argos-gate",
                "--kyc.db.local-database=" + System.getProperty("kyc.test.database", "kyc_hub_test") + "_argos_gate",
                "--kyc.db.embedded-port=54331",
                "--kyc.db.embedded-data-directory=target/embedded-postgres-argos-gate",
                "--kyc.inbox.processing-enabled=false")) {
            CamelContext camel = hub.getBean(CamelContext.class);
            assertThat(camel.getRouteController().getRouteStatus("argos-webhook")).isEqualTo(ServiceStatus.Stopped);
            assertThat(camel.getRouteController().getRouteStatus("argos-process")).isEqualTo(ServiceStatus.Started);

            int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/argos"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"webhook_trigger\":\"approved\",\"submission_id\":\"s-1\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(404);
        }
    }
}
