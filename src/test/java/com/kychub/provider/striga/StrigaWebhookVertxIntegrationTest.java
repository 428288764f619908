package com.kychub.provider.striga;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.TestSocketUtils;

/**
 * Every test of {@link StrigaWebhookIntegrationTest} again, with the webhook doors served by Camel's Vert.x engine on
 * a port of their own ({@code kyc.webhooks.engine=vertx}): the same answers, the same rows, the same metrics, and
 * the refusals that the servlet filters make on the API's port (413, 415) answered as problems there too.
 */
// A hub of its own (other properties): closed after the class, or its workers and dispatchers would go on taking the
// messages and deliveries of the tests that run after it on the same database.
@DirtiesContext
class StrigaWebhookVertxIntegrationTest extends StrigaWebhookIntegrationTest {

    private static final int WEBHOOK_PORT = TestSocketUtils.findAvailableTcpPort();

    @DynamicPropertySource
    static void vertxDoors(DynamicPropertyRegistry properties) {
        properties.add("kyc.webhooks.engine", () -> "vertx");
        properties.add("kyc.webhooks.vertx-port", () -> WEBHOOK_PORT);
    }

    @Override
    protected int webhookPort() {
        return WEBHOOK_PORT;
    }

    /**
     * The door's outcomes only. This hub runs beside the cached hub of the other tests on the same database, and
     * whichever one's worker claims a message first counts it as processed (as two instances would); the worker's
     * count is the servlet variant's to check.
     */
    @Override
    protected List<String> outcomesCountedHere() {
        return List.of("accepted", "duplicate", "rejected");
    }

    @Test
    void theDoorsAreOnTheirOwnPortOnly() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> onTomcat = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhooks/striga/kyc"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + WEBHOOK_PORT + "/webhooks/striga/kyc")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> nowhere = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + WEBHOOK_PORT + "/webhooks/nobody"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(onTomcat.statusCode()).isEqualTo(404);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(readJson(nowhere.body()).get("instance").asText()).isEqualTo("/webhooks/nobody");
    }
}
