package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.support.ExtraHub;
import com.kychub.support.HubIntegrationTest;
import com.kychub.support.Store;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.TestSocketUtils;

/**
 * {@code kyc.webhooks.engine=servlet}, the setting for a deployment that cannot open a second port: the webhook doors
 * are on the hub's port only (Tomcat, as before the doors had a port of their own), and the doors' port is never
 * opened, even when one is set.
 */
class WebhookDoorsServletOnlyIntegrationTest {

    private static final String STRIGA_KEY = "servlet-only-striga-key";
    private static final String API_KEY = "servlet-only-api-key";

    @Test
    void theDoorsAreOnTheHubsPortAndTheirOwnPortStaysClosed() throws Exception {
        int doorsPort = TestSocketUtils.findAvailableTcpPort();
        try (ExtraHub hub = ExtraHub.builder()
                .name("kyc-hub-servlet-doors")
                .database("servlet_doors", 54341)
                .apiKey(API_KEY)
                .property("kyc.providers.striga.api-key", STRIGA_KEY)
                .property("kyc.inbox.poll-period", "100ms")
                .property("kyc.webhooks.engine", "servlet")
                .property("kyc.webhooks.vertx-port", doorsPort)
                .start()) {
            Store.reset(hub.jdbc());
            String body = "{\"userId\":\"u-servlet-doors\",\"status\":\"APPROVED\"}";

            HttpResponse<String> answer = hub.post("/webhooks/striga/kyc", body, Map.of(
                    "Content-Type", "application/json",
                    "signature", HubIntegrationTest.hmacHex(STRIGA_KEY, body.getBytes(StandardCharsets.UTF_8))));

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(answer.body()).get("status").asText()).isEqualTo("accepted");
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.jdbc().queryForList(
                    "select status from kyc_case where provider_ref = 'u-servlet-doors'", String.class)
                    .contains("APPROVED"));
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", doorsPort), 2000);
                }
            }).as("nothing listens on the doors' port").isInstanceOf(ConnectException.class);
        }
    }
}
