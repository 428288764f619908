package com.kychub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/** The hub API's door: bearer keys, clear errors, health. */
class HubApiIntegrationTest extends HubIntegrationTest {

    @Test
    void withoutAValidKeyTheApiAnswers401() {
        HttpResponse<String> none = get("/api/v1/cases", Map.of());
        HttpResponse<String> wrong = get("/api/v1/cases", Map.of("Authorization", "Bearer nope"));
        HttpResponse<String> basic = get("/api/v1/cases", Map.of("Authorization", "Basic " + API_KEY));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(readJson(none.body()).get("detail").asText()).isEqualTo("missing or invalid API key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/customers/c-1/kyc", Map.of()).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/customers/c-1/otp/resend", "", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void everyConfiguredKeyIsAccepted() {
        assertThat(api("/api/v1/cases").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/cases", Map.of("Authorization", "Bearer second-key")).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownAndMalformedIdsGetClearErrors() {
        HttpResponse<String> unknown = api("/api/v1/cases/" + UUID.randomUUID());
        HttpResponse<String> malformed = api("/api/v1/cases/not-a-uuid");
        HttpResponse<String> badProvider = api("/api/v1/cases?provider=DROP%20TABLE");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(readJson(unknown.body()).get("detail").asText()).startsWith("no case");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(badProvider.statusCode()).isEqualTo(400);
        assertThat(api("/api/v1/customers/nobody/kyc").statusCode()).isEqualTo(404);
        assertThat(operatorApi("/api/v1/ops/inbox?state=LOST").statusCode()).isEqualTo(400);
        HttpResponse<String> noCustomer = apiPost("/api/v1/customers/nobody/otp/resend");
        assertThat(noCustomer.statusCode()).isEqualTo(404);
        assertThat(readJson(noCustomer.body()).get("detail").asText()).isEqualTo("no customer nobody");
        assertThat(apiPost("/api/v1/customers/bad%20id/otp/resend").statusCode()).isEqualTo(400);
    }

    @Test
    void healthReportsTheDatabaseAndTheCamelContextToOperators() {
        HttpResponse<String> health = operatorApi("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(readJson(health.body()).at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(readJson(health.body()).at("/components/camelHealth/status").asText()).isEqualTo("UP");
    }
}
