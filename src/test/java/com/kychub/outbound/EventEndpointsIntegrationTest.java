package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /api/v1/event-endpoints} over HTTP against the real store: the endpoint as the operator sees it, its secret
 * shown only where it should be and usable by the Standard Webhooks library, rotation with its grace period, the
 * hub's own RABBITMQ endpoint protected, and every bad input a 400 problem.
 */
class EventEndpointsIntegrationTest extends HubIntegrationTest {

    private static final String PATH = "/api/v1/event-endpoints";

    @Test
    void anEndpointIsCreatedReadChangedAndDeletedAndItsSecretShowsOnlyWhereItShould() throws Exception {
        HttpResponse<String> created = operatorSend("POST", PATH, """
                {"url": "https://receiver.example/kyc?tenant=7", "description": "fintech core",
                 "eventTypes": ["kyc.case.status_changed", "kyc.case.action_required"], "providers": ["striga"]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode endpoint = readJson(created.body());
        String id = endpoint.get("id").asText();
        String secret = endpoint.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        // The library takes the secret, and what it signs with it verifies.
        Webhook webhook = new Webhook(secret);
        long now = Instant.now().getEpochSecond();
        String signature = webhook.sign("evt_1", now, "{}");
        webhook.verify("{}", Map.of("webhook-id", java.util.List.of("evt_1"),
                "webhook-timestamp", java.util.List.of(Long.toString(now)),
                "webhook-signature", java.util.List.of(signature)));
        assertThat(endpoint.get("kind").asText()).isEqualTo("WEBHOOK");
        assertThat(endpoint.get("url").asText()).isEqualTo("https://receiver.example/kyc?tenant=7");
        assertThat(texts(endpoint.get("eventTypes")))
                .containsExactly("kyc.case.status_changed", "kyc.case.action_required");
        assertThat(texts(endpoint.get("providers"))).containsExactly("striga");
        assertThat(endpoint.get("enabled").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("select secret from event_endpoint where id = ?::uuid", String.class, id))
                .isEqualTo(secret);

        JsonNode read = operatorJson(PATH + "/" + id);
        assertThat(read.has("secret")).isFalse();
        assertThat(read.get("description").asText()).isEqualTo("fintech core");
        JsonNode list = operatorJson(PATH);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo(id);
        assertThat(list.toString()).doesNotContain(secret);
        assertThat(operatorJson(PATH + "/" + id + "/secret").get("secret").asText()).isEqualTo(secret);

        // A change touches only the fields it names; an empty filter means every type.
        JsonNode changed = readJson(operatorSend("PATCH", PATH + "/" + id, "{\"eventTypes\": []}").body());
        assertThat(changed.get("eventTypes")).isEmpty();
        assertThat(texts(changed.get("providers"))).containsExactly("striga");
        assertThat(changed.get("url").asText()).isEqualTo("https://receiver.example/kyc?tenant=7");

        // Disabled by the operator: the reason says so. Enabled again: it starts afresh.
        JsonNode disabled = readJson(operatorSend("PATCH", PATH + "/" + id, "{\"enabled\": false}").body());
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("disabledReason").asText()).isEqualTo("OPERATOR");
        assertThat(disabled.has("disabledAt")).isTrue();
        jdbc.update("update event_endpoint set disabled_reason = 'FAILING', failing_since = now() - interval '6 days' "
                + "where id = ?::uuid", id);
        JsonNode enabled = readJson(operatorSend("PATCH", PATH + "/" + id, "{\"enabled\": true}").body());
        assertThat(enabled.get("enabled").asBoolean()).isTrue();
        assertThat(enabled.has("disabledReason")).isFalse();
        assertThat(enabled.has("disabledAt")).isFalse();
        assertThat(enabled.has("failingSince")).isFalse();

        assertThat(operatorSend("DELETE", PATH + "/" + id, "").statusCode()).isEqualTo(204);
        assertThat(operatorApi(PATH + "/" + id).statusCode()).isEqualTo(404);
        assertThat(operatorSend("DELETE", PATH + "/" + id, "").statusCode()).isEqualTo(404);
        assertThat(operatorJson(PATH)).isEmpty();
    }

    @Test
    void anEndpointCreatedDisabledSaysTheOperatorDisabledIt() {
        JsonNode endpoint = readJson(operatorSend("POST", PATH,
                "{\"url\": \"https://receiver.example/off\", \"enabled\": false}").body());
        assertThat(endpoint.get("enabled").asBoolean()).isFalse();
        assertThat(endpoint.get("disabledReason").asText()).isEqualTo("OPERATOR");
    }

    @Test
    void rotationGivesANewSecretAndTheOldOneSignsUntilTheGracePeriodEnds() {
        JsonNode endpoint = readJson(operatorSend("POST", PATH, "{\"url\": \"https://receiver.example/r\"}").body());
        String id = endpoint.get("id").asText();
        String first = endpoint.get("secret").asText();

        HttpResponse<String> rotated = operatorSend("POST", PATH + "/" + id + "/secret/rotate?graceSeconds=600", "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        JsonNode answer = readJson(rotated.body());
        String second = answer.get("secret").asText();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(Instant.parse(answer.get("previousSecretSignsUntil").asText()))
                .isCloseTo(Instant.now().plusSeconds(600), within(30, ChronoUnit.SECONDS));
        JsonNode secrets = operatorJson(PATH + "/" + id + "/secret");
        assertThat(secrets.get("secret").asText()).isEqualTo(second);
        assertThat(secrets.get("previousSecret").asText()).isEqualTo(first);

        // Without graceSeconds: kyc.events.secret-grace (a day by default).
        JsonNode byDefault = readJson(operatorSend("POST", PATH + "/" + id + "/secret/rotate", "").body());
        assertThat(Instant.parse(byDefault.get("previousSecretSignsUntil").asText()))
                .isCloseTo(Instant.now().plus(Duration.ofDays(1)), within(30, ChronoUnit.SECONDS));
        assertThat(operatorJson(PATH + "/" + id + "/secret").get("previousSecret").asText()).isEqualTo(second);

        // No grace: the previous secret is retired at once.
        String third = readJson(operatorSend("POST", PATH + "/" + id + "/secret/rotate?graceSeconds=0", "").body())
                .get("secret").asText();
        JsonNode retired = operatorJson(PATH + "/" + id + "/secret");
        assertThat(retired.get("secret").asText()).isEqualTo(third);
        assertThat(retired.has("previousSecret")).isFalse();

        assertThat(operatorSend("POST", PATH + "/" + id + "/secret/rotate?graceSeconds=-1", "").statusCode())
                .isEqualTo(400);
        assertThat(operatorSend("POST", PATH + "/" + id + "/secret/rotate?graceSeconds=99999999", "").statusCode())
                .isEqualTo(400);
        assertThat(operatorSend("POST", PATH + "/" + UUID.randomUUID() + "/secret/rotate", "").statusCode())
                .isEqualTo(404);
        assertThat(operatorApi(PATH + "/" + UUID.randomUUID() + "/secret").statusCode()).isEqualTo(404);
    }

    @Test
    void theHubsRabbitmqEndpointIsListedAndFilteredButNotDeletedNorPointedElsewhere() {
        String id = jdbc.queryForObject("""
                insert into event_endpoint (kind, url, secret) values ('RABBITMQ', 'amqp://127.0.0.1:5672/kyc.events',
                'whsec_unused') returning id::text""", String.class);
        assertThat(operatorJson(PATH).findValuesAsText("kind")).containsExactly("RABBITMQ");

        HttpResponse<String> filtered = operatorSend("PATCH", PATH + "/" + id,
                "{\"providers\": [\"argos\"], \"enabled\": false}");
        assertThat(filtered.statusCode()).as(filtered.body()).isEqualTo(200);
        assertThat(texts(readJson(filtered.body()).get("providers"))).containsExactly("argos");

        assertError(operatorSend("PATCH", PATH + "/" + id, "{\"url\": \"https://elsewhere.example\"}"), 409,
                "configuration");
        assertError(operatorSend("DELETE", PATH + "/" + id, ""), 409, "configuration");
        assertThat(operatorSend("POST", PATH + "/" + id + "/secret/rotate", "").statusCode()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select url from event_endpoint where id = ?::uuid", String.class, id))
                .isEqualTo("amqp://127.0.0.1:5672/kyc.events");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"url\": \"\"}",
            "{\"url\": \"/relative/path\"}",
            "{\"url\": \"ftp://receiver.example/x\"}",
            "{\"url\": \"https://user:password@receiver.example/x\"}",
            "{\"url\": \"https://receiver.example/x#part\"}",
            "{\"url\": \"https://receiver example/x\"}",
            "{\"url\": \"https:///no-host\"}",
            "{\"url\": \"https://receiver.example/x\", \"eventTypes\": [\"kyc.case.approved\"]}",
            "{\"url\": \"https://receiver.example/x\", \"eventTypes\": [null]}",
            "{\"url\": \"https://receiver.example/x\", \"eventTypes\": \"kyc.case.opened\"}",
            "{\"url\": \"https://receiver.example/x\", \"providers\": [\"sumsub\"]}",
            "{\"url\": \"https://receiver.example/x\", \"enabled\": \"maybe\"}",
            "{\"url\": \"https://receiver.example/x\", \"eventType\": [\"kyc.case.opened\"]}",
            "{\"url\": \"https://receiver.example/x\", \"secret\": \"whsec_mine\"}",
            "[\"https://receiver.example/x\"]",
            "not json"})
    void aBadEndpointIsRefusedWith400AndNothingIsStored(String body) {
        HttpResponse<String> answer = operatorSend("POST", PATH, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode error = readJson(answer.body());
        assertThat(error.get("title").asText()).isEqualTo("Bad Request");
        assertThat(error.get("detail").asText()).isNotBlank();
        assertThat(jdbc.queryForObject("select count(*) from event_endpoint", Integer.class)).isZero();
    }

    @Test
    void limitsAndNamesAreExplainedInTheErrors() {
        assertError(operatorSend("POST", PATH, "{\"url\": \"https://r.example/" + "x".repeat(2000) + "\"}"), 400,
                "2000");
        assertError(operatorSend("POST", PATH, "{\"url\": \"https://r.example/\", \"description\": \""
                + "d".repeat(501) + "\"}"), 400, "description");
        assertError(operatorSend("POST", PATH, "{\"url\": \"https://r.example/\", \"providers\": [\"sumsub\"]}"), 400,
                "striga");
        assertError(operatorSend("POST", PATH, "{\"url\": \"https://r.example/\", \"filters\": {}}"), 400,
                "'filters' is not a field");
        assertError(operatorSend("POST", PATH, "{\"url\": \"https://admin:pw@r.example/\"}"), 400, "credentials");

        String id = readJson(operatorSend("POST", PATH, "{\"url\": \"https://r.example/\"}").body()).get("id").asText();
        assertError(operatorSend("PATCH", PATH + "/" + id, "{\"url\": \"ftp://r.example/\"}"), 400, "url");
        assertError(operatorSend("PATCH", PATH + "/" + id, "{\"eventTypes\": [\"kyc.case.closed\"]}"), 400,
                "kyc.case.opened");
        assertError(operatorSend("PATCH", PATH + "/" + id, "{\"colour\": \"blue\"}"), 400, "'colour'");
        assertError(operatorSend("PATCH", PATH + "/" + UUID.randomUUID(), "{\"enabled\": true}"), 404, "no event");
        assertError(operatorApi(PATH + "/not-a-uuid"), 400, "'id'");
        assertThat(operatorJson(PATH + "/" + id).get("url").asText()).isEqualTo("https://r.example/");
    }

    @Test
    void operatorsOnly() {
        assertThat(get(PATH, Map.of()).statusCode()).isEqualTo(401);
        assertThat(api(PATH).statusCode()).isEqualTo(403);
        assertThat(apiSend("POST", PATH, "{\"url\": \"https://r.example/\"}").statusCode()).isEqualTo(403);
    }

    private static void assertError(HttpResponse<String> answer, int status, String reasonPart) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(readJson(answer.body()).get("detail").asText()).contains(reasonPart);
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }
}
