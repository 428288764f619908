package com.kychub.provider.connectfi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.kychub.support.HubIntegrationTest;

/** What the Connect Financial flow tests share: a stub of the status API, webhooks, and waiting for the case. */
abstract class ConnectfiFlows extends HubIntegrationTest {

    /** The status answer: {@code checks} as "TYPE:passed:required[:suggestedAction]". */
    static String status(boolean compliant, String onboardingStatus, String nextAction, String... checks) {
        StringBuilder body = new StringBuilder("{\"isCompliant\":").append(compliant)
                .append(",\"onboardingStatus\":\"").append(onboardingStatus).append("\",\"nextAction\":")
                .append(nextAction == null ? "null" : "\"" + nextAction + "\"").append(",\"checks\":[");
        for (int i = 0; i < checks.length; i++) {
            String[] parts = checks[i].split(":");
            body.append(i == 0 ? "" : ",").append("{\"type\":\"").append(parts[0]).append("\",\"passed\":")
                    .append(parts[1]).append(",\"required\":").append(parts[2]);
            if (parts.length > 3) {
                body.append(",\"suggestedAction\":\"").append(parts[3]).append('"');
            }
            body.append('}');
        }
        return body.append("]}").toString();
    }

    static void stubStatus(String connectfiCustomerId, String body) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/v1/compliance/status/" + connectfiCustomerId)).willReturn(okJson(body)));
    }

    static void stubStatusFailing(String connectfiCustomerId, int httpStatus) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/v1/compliance/status/" + connectfiCustomerId))
                .willReturn(aResponse().withStatus(httpStatus)));
    }

    static String webhook(String eventType, String connectfiCustomerId, String onboardingId, String extra) {
        return "{\"eventType\":\"" + eventType + "\",\"data\":{\"customerId\":\"" + connectfiCustomerId + "\""
                + (onboardingId == null ? "" : ",\"onboardingId\":\"" + onboardingId + "\"")
                + (extra == null ? "" : "," + extra) + "}}";
    }

    void send(String eventType, String connectfiCustomerId, String onboardingId) {
        send(eventType, connectfiCustomerId, onboardingId, null);
    }

    void send(String eventType, String connectfiCustomerId, String onboardingId, String extra) {
        assertThat(postConnectfi(webhook(eventType, connectfiCustomerId, onboardingId, extra)).statusCode())
                .isEqualTo(200);
    }

    JsonNode awaitCase(String providerRef, String status, String nextAction) {
        return awaitCase("connectfi", providerRef, status, nextAction);
    }

    JsonNode awaitCase(String providerRef, Predicate<JsonNode> condition) {
        return awaitCase("connectfi", providerRef, condition);
    }

    List<String> statusesOf(JsonNode kycCase) {
        List<String> statuses = new ArrayList<>();
        apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items")
                .forEach(event -> statuses.add(event.get("toStatus").asText()));
        return statuses;
    }

    JsonNode checks(String providerRef) {
        return readJson(jdbc.queryForObject("""
                select coalesce(json_object_agg(k.name, json_build_object('passed', k.passed, 'required', k.required,
                                'detail', k.detail)), '{}')::text
                from kyc_check k join kyc_case c on c.id = k.case_id
                where c.provider = 'connectfi' and c.provider_ref = ?""", String.class, providerRef));
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
