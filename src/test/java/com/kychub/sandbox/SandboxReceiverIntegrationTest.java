package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.outbound.EventSender;
import com.kychub.support.SandboxHubTest;
import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The sandbox receiver in a hub started with the sandbox profile (its own database and Camel context, no demo): the
 * hub registered it as an event endpoint at start-up, it answers 204 to a webhook the Standard Webhooks library signed
 * with that endpoint's secret (or, during a rotation's grace period, the previous one) and 401 to any other, and lists
 * what it got, newest first.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}_receiver",
        "camel.main.name=kyc-hub-receiver-test",
        "kyc.sandbox.step-min-delay=100ms",
        "kyc.sandbox.step-max-delay=300ms",
        "kyc.sandbox.duplicate-probability=0",
        "kyc.sandbox.late-probability=0",
        "kyc.sandbox.drop-probability=0"})
class SandboxReceiverIntegrationTest extends SandboxHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    SandboxReceiver receiver;

    @Autowired
    ObjectProvider<EventSender> senders;

    @Test
    void theReceiverIsRegisteredAtStartUpAndChecksSignaturesWithItsSecret() throws Exception {
        String url = "http://127.0.0.1:" + port + "/sandbox/receiver";
        JsonNode endpoints = operator("GET", "/api/v1/event-endpoints");
        assertThat(endpoints).hasSize(1);
        JsonNode endpoint = endpoints.get(0);
        assertThat(endpoint.get("url").asText()).isEqualTo(url);
        assertThat(endpoint.get("enabled").asBoolean()).isTrue();
        String id = endpoint.get("id").asText();
        assertThat(receiver.endpointId()).hasToString(id);
        String secret = operator("GET", "/api/v1/event-endpoints/" + id + "/secret").get("secret").asText();

        // Registering again (a restart on the same store) finds the same endpoint.
        receiver.register();
        assertThat(receiver.endpointId()).hasToString(id);
        assertThat(operator("GET", "/api/v1/event-endpoints")).hasSize(1);

        String body = "{\"id\":\"evt_good\",\"type\":\"kyc.case.opened\",\"version\":1,\"data\":{}}";
        assertThat(deliver("evt_good", body, secret)).isEqualTo(204);
        assertThat(deliver("evt_forged", body.replace("good", "forged"),
                "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build()).statusCode()).isEqualTo(401);
        // Signed, then changed on the way.
        assertThat(deliver("evt_changed", body, secret, body.replace("opened", "updated"))).isEqualTo(401);

        JsonNode received = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url + "/events")).GET().build())
                .body());
        // Newest first: these four, then whatever the end-to-end test had delivered before, in this same hub.
        assertThat(received.size()).isGreaterThanOrEqualTo(4);
        assertThat(received.get(3).get("webhookId").asText()).isEqualTo("evt_good");
        assertThat(received.get(3).get("verified").asBoolean()).isTrue();
        assertThat(received.get(3).get("type").asText()).isEqualTo("kyc.case.opened");
        assertThat(received.get(3).at("/payload/id").asText()).isEqualTo("evt_good");
        assertThat(received.get(2).get("webhookId").asText()).isEqualTo("evt_forged");
        assertThat(received.get(2).get("verified").asBoolean()).isFalse();
        assertThat(received.get(0).get("webhookId").asText()).isEqualTo("evt_changed");
        assertThat(received.get(0).get("verified").asBoolean()).isFalse();

        // A rotation: the new secret verifies, the old one still does during the grace period.
        String rotated = operator("POST", "/api/v1/event-endpoints/" + id + "/secret/rotate?graceSeconds=600")
                .get("secret").asText();
        assertThat(deliver("evt_new", body, rotated)).isEqualTo(204);
        assertThat(deliver("evt_old", body, secret)).isEqualTo(204);
        operator("POST", "/api/v1/event-endpoints/" + id + "/secret/rotate?graceSeconds=0");
        assertThat(deliver("evt_retired", body, rotated)).isEqualTo(401);
    }

    /**
     * End to end, once the hub delivers webhooks (an {@link EventSender} of kind WEBHOOK, the {@code delivery} work):
     * a Striga sandbox user's case events reach the receiver, signed and verified. Skipped on a hub without one.
     */
    @Test
    void theSandboxsEventsFlowToTheReceiver() {
        assumeThat(senders.stream().toList()).extracting(EventSender::kind).contains("WEBHOOK");
        String user = "receiver-flow-" + System.nanoTime();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/striga/users/"
                + user + "/kyc")).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isLessThan(300);

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.events().stream().anyMatch(event ->
                event.verified() && event.payload() != null
                        && user.equals(event.payload().at("/data/providerRef").asText())
                        && "kyc.case.opened".equals(event.type())));
    }

    private int deliver(String webhookId, String body, String secret) throws Exception {
        return deliver(webhookId, body, secret, body);
    }

    /** Signs {@code signed} with the library, and sends {@code sent}. */
    private int deliver(String webhookId, String signed, String secret, String sent) throws Exception {
        long timestamp = Instant.now().getEpochSecond();
        String signature = new Webhook(secret).sign(webhookId, timestamp, signed);
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/receiver"))
                .POST(HttpRequest.BodyPublishers.ofString(sent)).header("Content-Type", "application/json")
                .header("webhook-id", webhookId).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature).build()).statusCode();
    }

    private static JsonNode operator(String method, String path) throws IOException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + OPERATOR_KEY).build());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
