package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Webhooks the hub used to answer with a 500, lose, or accept and never process, found by {@code FuzzIntegrationTest}.
 * Each refused one is now a clear 4xx and nothing is stored.
 */
class WebhookBadInputIntegrationTest extends HubIntegrationTest {

    @Test
    void aFormContentTypeIs415NotA500FromCamelsFormParsing() {
        String body = "{\"userId\":\"u-form\",\"status\":\"APPROVED\"}";
        HttpResponse<String> answer = post("/webhooks/striga/kyc", body, Map.of(
                "Content-Type", "application/x-www-form-urlencoded",
                "signature", hmacHex(STRIGA_KEY, body.getBytes(StandardCharsets.UTF_8))));

        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(readJson(answer.body()).get("detail").asText()).isEqualTo("Content-Type must be application/json");
        assertThat(storedWebhooks()).isZero();
    }

    @Test
    void twoMessagesDifferingOnlyInALoneSurrogateAreRefusedNotMergedIntoOne() {
        // Both used to be accepted, the second answered "duplicate" of the first: it was lost.
        HttpResponse<String> first = postStriga("{\"userId\":\"u-\\ud800\",\"status\":\"APPROVED\"}");
        HttpResponse<String> second = postStriga("{\"userId\":\"u-\\udbff\",\"status\":\"REJECTED\"}");

        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(readJson(second.body()).get("detail").asText()).contains("unpaired surrogate");
        assertThat(storedWebhooks()).isZero();
    }

    @Test
    void anEscapedNulIsRefusedNotA500() {
        // Ondato's envelope id is its dedup key: a NUL in it failed the INSERT.
        String ondato = "{\"id\":\"evt-\\u0000\",\"type\":\"KycIdentification.Approved\",\"payload\":{\"id\":\"k\"}}";
        HttpResponse<String> answer = post("/webhooks/ondato", ondato, Map.of("Content-Type", "application/json",
                "Authorization", basic(ONDATO_WEBHOOK_USER, ONDATO_WEBHOOK_PASSWORD)));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(postStriga("{\"userId\":\"u-\\u0000\",\"status\":\"APPROVED\"}").statusCode()).isEqualTo(400);
        assertThat(storedWebhooks()).isZero();
    }

    @Test
    void contentAfterTheJsonObjectIsRefused() {
        byte[] valid = "{\"userId\":\"u-tail\",\"status\":\"APPROVED\"}".getBytes(StandardCharsets.UTF_8);
        for (byte[] tail : new byte[][] {{0}, "garbage".getBytes(StandardCharsets.UTF_8), {'{', '}'}}) {
            byte[] body = Arrays.copyOf(valid, valid.length + tail.length);
            System.arraycopy(tail, 0, body, valid.length, tail.length);
            HttpResponse<String> answer = post("/webhooks/striga/kyc", body, Map.of("Content-Type",
                    "application/json", "signature", hmacHex(STRIGA_KEY, body)));

            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(readJson(answer.body()).get("detail").asText()).isEqualTo("the body is not a JSON object");
        }
        assertThat(postStriga("{\"userId\":\"u-tail\",\"status\":\"APPROVED\"}\n").statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizedBodyToAPathThatIsNoWebhookIs413AndAddsNoMeter() {
        byte[] huge = new byte[70 * 1024];
        Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> root = post("/webhooks/", huge, Map.of("Content-Type", "application/json"));
        HttpResponse<String> madeUp = post("/webhooks/made-up-provider", huge, Map.of("Content-Type",
                "application/json"));

        assertThat(root.statusCode()).isEqualTo(413);
        assertThat(madeUp.statusCode()).isEqualTo(413);
        assertThat(readJson(madeUp.body()).get("detail").asText()).contains("over the limit");
        // A path an outsider makes up must not become a metric tag: the registry would grow with every one.
        assertThat(operatorApi("/actuator/metrics/kyc.inbox.messages?tag=provider:made-up-provider").statusCode())
                .isEqualTo(404);
        assertThat(operatorApi("/actuator/metrics/kyc.inbox.messages?tag=provider:unknown").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aFieldNameGivenTwiceIsRefused() {
        // The door kept the last userId and acknowledged; the worker read the first, an object, and kept it FAILED.
        HttpResponse<String> answer = postStriga("{\"userId\":{},\"userId\":\"u-twice\",\"status\":\"APPROVED\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(readJson(answer.body()).get("detail").asText()).isEqualTo("the body gives a field name twice");
        assertThat(storedWebhooks()).isZero();
    }

    @Test
    void aBodyStartingWithAByteOrderMarkIsProcessedNotJustStored() {
        // The door accepted it (Jackson skips the BOM in bytes); the worker read the stored text and kept it FAILED.
        byte[] json = "{\"userId\":\"u-bom\",\"status\":\"APPROVED\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(json, 0, body, 3, json.length);
        HttpResponse<String> answer = post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json",
                "signature", hmacHex(STRIGA_KEY, body)));

        assertThat(answer.statusCode()).isEqualTo(200);
        awaitCase("striga", "u-bom", "APPROVED", "NONE");
        assertThat(jdbc.queryForObject("select body from inbound_message", String.class).getBytes(
                StandardCharsets.UTF_8)).isEqualTo(body);
    }

    private int storedWebhooks() {
        return jdbc.queryForObject("select count(*) from inbound_message", Integer.class);
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
