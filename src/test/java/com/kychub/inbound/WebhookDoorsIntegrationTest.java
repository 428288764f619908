package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * With the default {@code kyc.webhooks.engine=both}, every webhook door is served on its own port (Vert.x) and on the
 * hub's port (Tomcat, where the URLs given to the providers before are): one door, one inbox, whichever port a
 * delivery comes through. The doors' own port serves nothing else.
 */
class WebhookDoorsIntegrationTest extends HubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private WebhookDoorsProperties doors;

    @Test
    void aWebhookIsTheSameMessageThroughEitherPort() throws Exception {
        String body = fixture("striga/rejected.json");

        HttpResponse<String> ownPort = postStriga(doors.vertxPort(), body);
        HttpResponse<String> hubPort = postStriga(port, body);

        assertThat(doors.engine()).isEqualTo(WebhookDoorsProperties.Engine.BOTH);
        assertThat(doors.vertxPort()).isNotEqualTo(port);
        assertThat(ownPort.statusCode()).isEqualTo(200);
        assertThat(readJson(ownPort.body()).get("status").asText()).isEqualTo("accepted");
        assertThat(hubPort.statusCode()).isEqualTo(200);
        assertThat(readJson(hubPort.body()).get("status").asText()).isEqualTo("duplicate");
        assertThat(readJson(hubPort.body()).get("id")).isEqualTo(readJson(ownPort.body()).get("id"));
        awaitInboxDrained();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from kyc_case where provider = 'striga'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void theDoorsOwnPortServesNoApiConsoleOrActuator() throws Exception {
        for (String path : new String[] {"/api/v1/cases", "/", "/actuator/health"}) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + doors.vertxPort() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
        }
    }

    private HttpResponse<String> postStriga(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/striga/kyc"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("signature", hmacHex(STRIGA_KEY, body.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
