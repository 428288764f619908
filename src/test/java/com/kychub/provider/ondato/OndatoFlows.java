package com.kychub.provider.ondato;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.kychub.support.HubIntegrationTest;

/**
 * What the Ondato tests share: stubs of the IDV API ({@code /ondato-idv}) and the KYC ID API ({@code /ondato-kyc}),
 * webhooks in Ondato's envelope with HTTP Basic credentials, and waiting for the case.
 */
abstract class OndatoFlows extends HubIntegrationTest {

    static final String VERIFICATION_PATH = "/ondato-idv/v1/identity-verifications/";
    static final String IDENTIFICATION_PATH = "/ondato-kyc/v1/identifications/";

    /**
     * The IDV API's identity verification, naming its KYC identification when there is one: {@code InProgress} as in
     * Ondato's IdentityVerification.Consented example.
     */
    static String verification(String verificationId, String kycIdentificationId) {
        return verification(verificationId, "InProgress", kycIdentificationId);
    }

    static String verification(String verificationId, String status, String kycIdentificationId) {
        return "{\"id\":\"" + verificationId + "\",\"setupId\":\"" + ONDATO_SETUP_ID + "\",\"status\":\"" + status
                + "\",\"createdUtc\":\"2024-05-06T07:08:09Z\",\"step\":"
                + (kycIdentificationId == null ? "{\"consent\":{\"isConsented\":true}}"
                        : "{\"kycIdentification\":{\"id\":\"" + kycIdentificationId + "\"}}") + "}";
    }

    /** The KYC ID API's identification with a status and no reason (a verdict), and the personal data it carries. */
    static String identification(String kycIdentificationId, String status, String extra) {
        return identification(kycIdentificationId, null, status, null, extra);
    }

    /**
     * The KYC ID API's identification as Ondato's KycIdentification webhook examples show it: it names its identity
     * verification (when given), has a status and a status reason (when given), and carries personal data.
     */
    static String identification(String kycIdentificationId, String verificationId, String status, String reason,
                                 String extra) {
        return "{\"id\":\"" + kycIdentificationId + "\","
                + (verificationId == null ? "" : "\"identityVerificationId\":\"" + verificationId + "\",")
                + "\"status\":\"" + status + "\","
                + (reason == null ? "" : "\"statusReason\":\"" + reason + "\",")
                + "\"isCrossChecked\":false,"
                + "\"document\":{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"documentNumber\":\"X1234567\","
                + "\"dateOfBirth\":\"1815-12-10\"}" + (extra == null ? "" : "," + extra) + "}";
    }

    static void stubVerification(String verificationId, String body) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo(VERIFICATION_PATH + verificationId)).willReturn(okJson(body)));
    }

    static void stubIdentification(String kycIdentificationId, String body) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo(IDENTIFICATION_PATH + kycIdentificationId)).willReturn(okJson(body)));
    }

    static void stubIdentificationFailing(String kycIdentificationId, int status) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo(IDENTIFICATION_PATH + kycIdentificationId))
                .willReturn(aResponse().withStatus(status)));
    }

    /** Ondato's envelope; {@code payload} is the resource the event is about. */
    static String envelope(String id, String type, String payload) {
        return "{\"id\":\"" + id + "\",\"applicationId\":\"app-1\",\"createdUtc\":\"2024-05-06T07:08:09Z\","
                + "\"deliveredUtc\":\"2024-05-06T07:08:10Z\",\"isDelivered\":false,\"payload\":" + payload
                + ",\"type\":\"" + type + "\"}";
    }

    /** A KycIdentification.* event: its payload is the identification, naming its verification. */
    static String identificationEvent(String type, String verificationId, String kycIdentificationId) {
        return envelope(UUID.randomUUID().toString(), type, "{\"id\":\"" + kycIdentificationId
                + "\",\"identityVerificationId\":\"" + verificationId + "\"}");
    }

    /** A KycIdentification.* event whose payload names only the identification it is ({@code id}). */
    static String identificationOnlyEvent(String type, String kycIdentificationId) {
        return envelope(UUID.randomUUID().toString(), type, "{\"id\":\"" + kycIdentificationId + "\"}");
    }

    /** An IdentityVerification.* (or Idv.*) event: its payload is the identity verification. */
    static String verificationEvent(String type, String verificationId) {
        return envelope(UUID.randomUUID().toString(), type, "{\"id\":\"" + verificationId
                + "\",\"setupId\":\"" + ONDATO_SETUP_ID + "\"}");
    }

    HttpResponse<String> postOndato(String body) {
        return postOndato(body, ONDATO_WEBHOOK_USER, ONDATO_WEBHOOK_PASSWORD);
    }

    HttpResponse<String> postOndato(String body, String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return post("/webhooks/ondato", body, Map.of("Content-Type", "application/json",
                "Authorization", "Basic " + credentials));
    }

    long send(String body) {
        HttpResponse<String> response = postOndato(body);
        assertThat(response.statusCode()).isEqualTo(200);
        return readJson(response.body()).get("id").asLong();
    }

    JsonNode awaitCase(String providerRef, String status, String nextAction) {
        return awaitCase("ondato", providerRef, status, nextAction);
    }

    JsonNode awaitCase(String providerRef, Predicate<JsonNode> condition) {
        return awaitCase("ondato", providerRef, condition);
    }

    String state(long messageId) {
        return jdbc.queryForObject("select state from inbound_message where id = ?", String.class, messageId);
    }

    List<String> statusesOf(JsonNode kycCase) {
        List<String> statuses = new ArrayList<>();
        apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items")
                .forEach(event -> statuses.add(event.get("toStatus").asText()));
        return statuses;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
