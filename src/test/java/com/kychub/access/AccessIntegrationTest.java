package com.kychub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Who may call what: an integration key reaches cases and customers, an operator key the ops endpoints, the erasure
 * path and the actuator as well; no key or an unknown one is a 401 with the Bearer challenge, a key of the wrong
 * scope a 403, both as problems. Health and its probes answer anyone, without details; webhooks take no API key;
 * what no rule names is denied.
 */
class AccessIntegrationTest extends HubIntegrationTest {

    @Test
    void anIntegrationKeyReachesCasesAndCustomers() {
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-scope\"}").statusCode()).isEqualTo(201);
        assertThat(api("/api/v1/customers/c-scope/kyc").statusCode()).isEqualTo(200);
        assertThat(api("/api/v1/cases").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/cases", Map.of("Authorization", "Bearer second-key")).statusCode()).isEqualTo(200);
    }

    @Test
    void anIntegrationKeyIsRefusedWith403AtEveryOperatorEndpoint() {
        postStriga("{\"userId\":\"u-scope\",\"status\":\"APPROVED\"}");
        awaitInboxDrained();
        apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-scope\"}");

        for (HttpResponse<String> refused : List.of(
                api("/api/v1/ops/inbox"),
                apiPost("/api/v1/ops/inbox/replay?provider=striga"),
                api("/api/v1/ops/actions"),
                apiPost("/api/v1/ops/actions/replay?provider=connectfi"),
                api("/api/v1/ops/cases"),
                api("/api/v1/ops/cases/" + caseId("u-scope") + "/messages"),
                apiSend("DELETE", "/api/v1/customers/c-scope/personal-data", ""),
                api("/actuator/metrics"),
                api("/actuator/metrics/kyc.inbox.messages"),
                api("/actuator/info"))) {
            assertThat(refused.statusCode()).as(refused.uri().toString()).isEqualTo(403);
            assertErrorShape(refused, "this API key's scope does not include this endpoint");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
        // The refused erasure left the customer in place.
        assertThat(jdbc.queryForObject("select count(*) from customer where customer_id = 'c-scope'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void anOperatorKeyReachesTheOperatorEndpointsAndTheIntegrationOnes() {
        postStriga("{\"userId\":\"u-operator\",\"status\":\"APPROVED\"}");
        awaitInboxDrained();

        assertThat(operatorJson("/api/v1/ops/inbox?provider=striga").get("items").findValuesAsText("state"))
                .contains("PROCESSED");
        assertThat(operatorJson("/api/v1/ops/cases/" + caseId("u-operator") + "/messages").get("messages")).hasSize(1);
        assertThat(operatorSend("POST", "/api/v1/ops/inbox/replay?provider=striga", "").statusCode()).isEqualTo(200);
        assertThat(operatorJson("/api/v1/cases?provider=striga&providerRef=u-operator").get("items")).hasSize(1);
        assertThat(operatorSend("POST", "/api/v1/customers", "{\"customerId\":\"c-operator\"}").statusCode())
                .isEqualTo(201);
        // Prometheus is an operator's too: ManagementPortIntegrationTest (a test context exports no metrics).
        assertThat(operatorJson("/actuator/metrics").get("names").toString()).contains("\"kyc.inbox.messages\"");
        assertThat(operatorApi("/actuator/info").statusCode()).isEqualTo(200);
        // The erasure endpoint's path is the operator's: past the door, whatever the API answers there.
        assertThat(operatorSend("DELETE", "/api/v1/customers/c-operator/personal-data", "").statusCode())
                .isNotIn(401, 403);
    }

    @Test
    void noKeyOrAnUnknownKeyIsRefusedWith401AndTheBearerChallenge() {
        for (String path : List.of("/api/v1/cases", "/api/v1/customers/c-1/kyc", "/api/v1/ops/inbox",
                "/actuator/metrics", "/actuator/info")) {
            for (Map<String, String> headers : List.of(Map.<String, String>of(),
                    Map.of("Authorization", "Bearer not-a-key"),
                    Map.of("Authorization", "Bearer " + OPERATOR_API_KEY + "x"),
                    Map.of("Authorization", "Basic " + OPERATOR_API_KEY))) {
                HttpResponse<String> refused = get(path, headers);
                assertThat(refused.statusCode()).as(path + " " + headers).isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
                assertErrorShape(refused, "missing or invalid API key");
            }
        }
        assertThat(post("/api/v1/ops/inbox/replay?provider=striga", "", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void healthAndItsProbesAnswerAnyoneWithoutDetailsAndOperatorsWithThem() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            for (Map<String, String> headers : List.of(Map.<String, String>of(),
                    Map.of("Authorization", "Bearer " + API_KEY))) {
                HttpResponse<String> health = get(path, headers);
                assertThat(health.statusCode()).as(path).isEqualTo(200);
                JsonNode body = readJson(health.body());
                assertThat(body.get("status").asText()).isEqualTo("UP");
                assertThat(body.has("components")).as(path + " shows no components").isFalse();
                assertThat(body.has("details")).as(path + " shows no details").isFalse();
            }
        }
        assertThat(get("/actuator/health/db", Map.of()).statusCode()).isEqualTo(404);

        JsonNode detailed = operatorJson("/actuator/health");
        assertThat(detailed.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(detailed.at("/components/db/details/database").asText()).isEqualTo("PostgreSQL");
        assertThat(operatorJson("/actuator/health/db").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void webhooksTakeNoApiKeyAndTheirOwnAuthorizationHeaderIsNotTakenForOne() {
        String body = "{\"userId\":\"u-hook\",\"status\":\"APPROVED\"}";
        HttpResponse<String> accepted = post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json",
                "signature", hmacHex(STRIGA_KEY, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "Authorization", "Bearer not-an-api-key"));

        assertThat(accepted.statusCode()).isEqualTo(200);
        awaitCase("striga", "u-hook", "APPROVED", "NONE");
        // The provider's own authentication still decides.
        assertThat(post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json", "signature", "00",
                "Authorization", "Bearer " + OPERATOR_API_KEY)).statusCode()).isEqualTo(401);
    }

    @Test
    void whatNoRuleNamesIsDenied() {
        for (String path : List.of("/nothing-here", "/api/v2/cases", "/api/v1", "/actuator-like")) {
            assertThat(get(path, Map.of()).statusCode()).as(path).isEqualTo(401);
            HttpResponse<String> denied = operatorApi(path);
            assertThat(denied.statusCode()).as(path).isEqualTo(403);
            assertErrorShape(denied, "this API key's scope does not include this endpoint");
        }
    }

    @Test
    void aPathTheFirewallRefusesIsA400InTheErrorShape() {
        HttpResponse<String> refused = operatorApi("/api/v1/ops/inbox;jsessionid=x");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertErrorShape(refused, "the request's path or headers hold characters the hub does not take");
    }

    private String caseId(String strigaUser) {
        return apiJson("/api/v1/cases?provider=striga&providerRef=" + strigaUser).get("items").get(0).get("id")
                .asText();
    }

    private static void assertErrorShape(HttpResponse<String> answer, String reason) {
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = readJson(answer.body());
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isEqualTo(reason);
    }
}
