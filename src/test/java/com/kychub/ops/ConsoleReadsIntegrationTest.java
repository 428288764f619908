package com.kychub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The console's reads for operators: one raw inbox message and one provider action, redacted of personal data unless
 * revealed, and the providers' page (circuit, backlog, last error, webhooks and pulls per minute).
 */
class ConsoleReadsIntegrationTest extends HubIntegrationTest {

    private static final String PERSONAL = "Adelina Quist";

    @Test
    void aMessageBodyIsRedactedOfPersonalDataUnlessTheOperatorRevealsIt() {
        long id = stored(postStriga("{\"userId\":\"u-raw\",\"status\":\"APPROVED\",\"firstName\":\"" + PERSONAL
                + "\"}"));
        awaitCase("striga", "u-raw", "APPROVED", null);

        JsonNode redacted = operatorJson("/api/v1/ops/inbox/" + id);
        assertThat(redacted.toString()).doesNotContain(PERSONAL);
        assertThat(redacted.get("id").asLong()).isEqualTo(id);
        assertThat(redacted.get("provider").asText()).isEqualTo("striga");
        assertThat(redacted.get("channel").asText()).isEqualTo("WEBHOOK");
        assertThat(redacted.get("state").asText()).isEqualTo("PROCESSED");
        assertThat(redacted.get("caseId").asText()).isNotEmpty();
        assertThat(redacted.get("redacted").asBoolean()).isTrue();
        assertThat(redacted.at("/body/userId").asText()).isEqualTo("u-raw");
        assertThat(redacted.at("/body/status").asText()).isEqualTo("APPROVED");
        assertThat(redacted.at("/body/firstName").asText()).isEqualTo("[redacted]");
        assertThat(redacted.at("/headers/content-type").asText()).isEqualTo("application/json");
        assertThat(redacted.at("/headers/signature").asText()).isEqualTo("[redacted]");

        JsonNode revealed = operatorJson("/api/v1/ops/inbox/" + id + "?reveal=true");
        assertThat(revealed.at("/body/firstName").asText()).isEqualTo(PERSONAL);
        assertThat(revealed.get("redacted").asBoolean()).isFalse();
    }

    @Test
    void anUnknownMessageIs404ANonNumber400AndAnIntegrationKeyIsRefused() {
        long id = stored(postStriga("{\"userId\":\"u-scope\",\"status\":\"APPROVED\"}"));

        assertThat(operatorApi("/api/v1/ops/inbox/" + (id + 1000)).statusCode()).isEqualTo(404);
        assertThat(operatorApi("/api/v1/ops/actions/999999").statusCode()).isEqualTo(404);
        HttpResponse<String> notANumber = operatorApi("/api/v1/ops/inbox/abc");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.body()).contains("id");
        assertThat(operatorApi("/api/v1/ops/inbox/" + id + "?reveal=maybe").statusCode()).isEqualTo(400);
        assertThat(api("/api/v1/ops/inbox/" + id).statusCode()).isEqualTo(403);
        assertThat(api("/api/v1/ops/actions/1").statusCode()).isEqualTo(403);
        assertThat(api("/api/v1/ops/providers").statusCode()).isEqualTo(403);
    }

    @Test
    void anActionPayloadIsRedactedUnlessRevealed() {
        // A refused profile update as the action worker leaves it (the payload is what the hub sent).
        long id = jdbc.queryForObject("""
                insert into provider_action (provider, customer_id, kind, action, payload, state, attempts,
                                             last_error, done_at)
                values ('connectfi', 'c-act', 'UPDATE_PROFILE', 'UPDATE_PROFILE:1', ?::jsonb, 'FAILED', 1,
                        'the provider answered 422 to http://127.0.0.1/v1/customers/cf-act', now())
                returning id""", Long.class,
                "{\"customerId\":\"cf-act\",\"firstName\":\"" + PERSONAL + "\"}");

        JsonNode redacted = operatorJson("/api/v1/ops/actions/" + id);
        assertThat(redacted.toString()).doesNotContain(PERSONAL);
        assertThat(redacted.at("/payload/customerId").asText()).isEqualTo("cf-act");
        assertThat(redacted.at("/payload/firstName").asText()).isEqualTo("[redacted]");
        assertThat(redacted.get("name").asText()).isEqualTo("UPDATE_PROFILE:1");
        assertThat(redacted.get("state").asText()).isEqualTo("FAILED");
        assertThat(redacted.get("lastError").asText()).contains("422");
        assertThat(redacted.get("redacted").asBoolean()).isTrue();

        JsonNode revealed = operatorJson("/api/v1/ops/actions/" + id + "?reveal=true");
        assertThat(revealed.at("/payload/firstName").asText()).isEqualTo(PERSONAL);
        assertThat(revealed.get("redacted").asBoolean()).isFalse();
    }

    @Test
    void theProvidersPageCountsAWebhookJustSentAndShowsAFailedMessageAsTheLastError() {
        stored(postStriga("{\"userId\":\"u-count\",\"status\":\"APPROVED\"}"));
        long failed = stored(postStriga("{\"userId\":\"u-bad\",\"status\":\"NO_SUCH_STATUS\"}"));
        awaitInboxDrained();

        JsonNode providers = operatorJson("/api/v1/ops/providers").get("items");
        assertThat(providers.findValuesAsText("provider"))
                .containsExactly("argos", "connectfi", "ondato", "striga", "width");
        JsonNode striga = providers.get(3);
        assertThat(striga.get("circuit").asText()).isEqualTo("CLOSED");
        assertThat(striga.at("/inbox/ACCEPTED").asLong()).isZero();
        assertThat(striga.at("/inbox/FAILED").asLong()).isEqualTo(1);
        assertThat(striga.at("/inbox/DEAD").asLong()).isZero();
        assertThat(striga.at("/actions/PENDING").asLong()).isZero();
        assertThat(striga.at("/lastError/source").asText()).isEqualTo("inbox");
        assertThat(striga.at("/lastError/id").asLong()).isEqualTo(failed);
        assertThat(striga.at("/lastError/text").asText()).contains("NO_SUCH_STATUS");
        assertThat(providers.get(4).get("lastError").isNull()).isTrue();

        JsonNode minutes = striga.get("perMinute");
        assertThat(minutes).hasSize(60);
        for (int i = 1; i < 60; i++) {
            assertThat(Duration.between(Instant.parse(minutes.get(i - 1).get("minute").asText()),
                    Instant.parse(minutes.get(i).get("minute").asText()))).isEqualTo(Duration.ofMinutes(1));
        }
        // Both webhooks in the current minute, or the one before it when the minute turned in between.
        assertThat(minutes.get(59).get("webhooks").asLong() + minutes.get(58).get("webhooks").asLong())
                .isEqualTo(2);
        assertThat(minutes.get(59).get("pulls").asLong()).isZero();
        assertThat(providers.get(4).get("perMinute").findValuesAsText("webhooks")).containsOnly("0");
    }

    private static long stored(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(200);
        return readJson(answer.body()).get("id").asLong();
    }
}
