package com.kychub.provider.connectfi;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * The doc's standard flow, phases 1a to 5, against a Connect Financial stub on loopback: the fintech hands the hub a
 * customer, their data and documents through the hub API; the hub creates the customer, patches the profile, starts
 * KYC, keeps the SDK link, uploads the documents, and follows webhooks and the status API to the approval.
 */
class ConnectfiStandardFlowIntegrationTest extends ConnectfiFlows {

    private static final String KYC = """
            {"kyc": {"firstName": "Ada", "lastName": "Example", "dateOfBirth": "1990-01-01",
                     "mainAddress": {"street1": "123 Main St", "cityCounty": "New York", "stateRegion": "NY",
                                     "zip": "10001", "countryCode": "US"},
                     "nationality": "US", "occupation": "11"}}""";

    @Test
    void standardPhases1aTo5EndApproved() {
        // Phase 1a: a customer without KYC data; the hub creates them at Connect Financial.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/customers")).willReturn(okJson("{\"id\":\"cf-1\"}")));
        stubStatus("cf-1", status(false, "PENDING", "UPDATE_PROFILE",
                "KYC_DATA_PRESENT:false:true:UPDATE_PROFILE", "KYC_STARTED:false:true:START_KYC"));
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-1\",\"email\":\"ada@example.com\"}")
                .statusCode()).isEqualTo(201);
        var started = apiSend("POST", "/api/v1/customers/c-1/onboardings", "{\"provider\":\"connectfi\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(readJson(started.body()).get("providerRef").asText()).isEqualTo("customer:c-1");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> PROVIDERS.verify(1,
                postRequestedFor(urlEqualTo("/v1/customers"))
                        .withHeader("Authorization", equalTo("Bearer " + CONNECTFI_API_KEY))
                        .withRequestBody(matchingJsonPath("$.externalId", equalTo("c-1")))
                        .withRequestBody(matchingJsonPath("$.email", equalTo("ada@example.com")))));
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo("/v1/customers"))).get(0).getBodyAsString())
                .doesNotContain("\"kyc\"");
        send("CUSTOMER_CREATED", "cf-1", null);
        JsonNode needsData = awaitCase("customer:c-1", "ACTION_REQUIRED", "PROVIDE_PERSONAL_DATA");
        assertThat(texts(needsData.get("reasons"))).contains("KYC_DATA_PRESENT", "MISSING_PROFILE_FIELD:kyc");
        assertThat(checks("customer:c-1").at("/KYC_DATA_PRESENT/passed").asBoolean()).isFalse();

        // The fintech hands over the KYC data: the hub PATCHes the whole kyc object, as KYC_DATA_PRESENT asks.
        PROVIDERS.stubFor(patch(urlEqualTo("/v1/customers/cf-1")).willReturn(okJson("{\"id\":\"cf-1\"}")));
        assertThat(apiSend("PATCH", "/api/v1/customers/c-1", KYC).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> PROVIDERS.verify(1,
                patchRequestedFor(urlEqualTo("/v1/customers/cf-1"))
                        .withRequestBody(matchingJsonPath("$.kyc.mainAddress.zip", equalTo("10001")))
                        .withRequestBody(matchingJsonPath("$.kyc.occupation", equalTo("11")))));

        // Phase 2: the data is in, KYC not started: the hub starts it and keeps the SDK link and QR code.
        stubStatus("cf-1", status(false, "PENDING", "START_KYC",
                "KYC_DATA_PRESENT:true:true", "KYC_STARTED:false:true:START_KYC"));
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/compliance/kyc")).willReturn(okJson(
                "{\"onboarding\":{\"id\":\"onb-1\",\"status\":\"PROCESSING\"},"
                        + "\"sdk\":{\"link\":\"https://sdk.connect.example/onb-1\",\"qrCode\":\"data:image/png;base64,AA\"}}")));
        send("CUSTOMER_UPDATED", "cf-1", null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> PROVIDERS.verify(1,
                postRequestedFor(urlEqualTo("/v1/compliance/kyc")).withRequestBody(equalToJson("{\"customerId\":\"cf-1\"}"))));
        JsonNode sdk = awaitCase("onb-1", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(sdk.get("id")).isEqualTo(needsData.get("id"));
        assertThat(sdk.at("/providerDetails/sdk/link").asText()).isEqualTo("https://sdk.connect.example/onb-1");
        assertThat(sdk.at("/providerDetails/sdk/qrCode").asText()).startsWith("data:image/png");

        stubStatus("cf-1", status(false, "PROCESSING", "COMPLETE_SDK_FLOW", "KYC_DATA_PRESENT:true:true",
                "KYC_STARTED:true:true", "SDK_VERIFICATION_COMPLETED:false:true:COMPLETE_SDK_FLOW"));
        send("CUSTOMER_KYC_STARTED", "cf-1", "onb-1");
        send("CUSTOMER_KYC_SDK_FLOW_REQUIRED", "cf-1", "onb-1");
        awaitInboxDrained();
        JsonNode sdkRequired = awaitCase("onb-1", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(sdkRequired.at("/providerDetails/sdk/link").asText()).isEqualTo("https://sdk.connect.example/onb-1");
        assertThat(sdkRequired.get("providerStatus").asText()).isEqualTo("PROCESSING");

        // Phase 3: the user finished the SDK (the doc's other name for the event); documents are missing.
        stubStatus("cf-1", status(false, "PROCESSING", "UPLOAD_DOCUMENT", "SDK_VERIFICATION_COMPLETED:true:true",
                "KYC_STATUS:false:true:UPLOAD_DOCUMENT", "DOC_SOURCE_OF_FUNDS:false:true:UPLOAD_DOCUMENT",
                "DOC_FATCA:false:true:UPLOAD_DOCUMENT"));
        send("CUSTOMER_KYC_SDK_FLOW_DONE", "cf-1", "onb-1");
        JsonNode documents = awaitCase("onb-1", "ACTION_REQUIRED", "PROVIDE_DOCUMENT");
        assertThat(texts(documents.get("reasons"))).contains("MISSING_DOCUMENT:SOURCE_OF_FUNDS",
                "MISSING_DOCUMENT:W9|W8BEN");
        assertThat(checks("onb-1").at("/SDK_VERIFICATION_COMPLETED/passed").asBoolean()).isTrue();

        // Phase 4: the fintech hands over the documents; the hub uploads each once.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/compliance/upload-doc")).willReturn(okJson("{\"status\":\"RECEIVED\"}")));
        assertThat(apiSend("POST", "/api/v1/customers/c-1/documents", document("SOURCE_OF_FUNDS", "payslip.pdf"))
                .statusCode()).isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/c-1/documents", document("W9", "w9.pdf")).statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/compliance/upload-doc"))
                    .withRequestBody(matchingJsonPath("$.type", equalTo("SOURCE_OF_FUNDS"))));
            PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/compliance/upload-doc"))
                    .withRequestBody(matchingJsonPath("$.type", equalTo("W9")))
                    .withRequestBody(matchingJsonPath("$.customerId", equalTo("cf-1")))
                    .withRequestBody(containing(Base64.getEncoder().encodeToString("%PDF-w9.pdf".getBytes()))));
        });
        stubStatus("cf-1", status(false, "PROCESSING", "WAIT", "SDK_VERIFICATION_COMPLETED:true:true",
                "KYC_STATUS:false:true:WAIT", "DOC_SOURCE_OF_FUNDS:true:true", "DOC_FATCA:true:true"));
        pollNow();
        JsonNode waiting = awaitCase("onb-1", "IN_REVIEW", "WAIT");
        assertThat(texts(waiting.get("reasons"))).containsExactly("KYC_STATUS");

        // Phase 5: approved.
        stubStatus("cf-1", status(true, "APPROVED", null, "SDK_VERIFICATION_COMPLETED:true:true",
                "KYC_STATUS:true:true", "DOC_SOURCE_OF_FUNDS:true:true", "DOC_FATCA:true:true"));
        send("CUSTOMER_KYC_FINISHED", "cf-1", "onb-1", "\"status\":\"APPROVED\"");
        JsonNode approved = awaitCase("onb-1", "APPROVED", "NONE");
        assertThat(approved.at("/providerDetails/finishedStatus").asText()).isEqualTo("APPROVED");
        assertThat(texts(approved.get("reasons"))).noneMatch(reason -> reason.contains("FINISHED"));
        assertThat(checks("onb-1").at("/KYC_STATUS/passed").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("select next_poll_at is null from kyc_case where provider_ref = 'onb-1'",
                Boolean.class)).isTrue();

        JsonNode events = apiJson("/api/v1/cases/" + approved.get("id").asText() + "/events").get("items");
        assertThat(events.get(0).get("type").asText()).isEqualTo("CASE_OPENED");
        assertThat(events.get(0).get("providerEvent").asText()).isEqualTo("ONBOARDING_REQUESTED");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("toStatus").asText()).isEqualTo("APPROVED");
        assertThat(last.get("providerEvent").asText()).isEqualTo("CUSTOMER_KYC_FINISHED");
        assertThat(statusesOf(approved)).containsSubsequence("IN_PROGRESS", "ACTION_REQUIRED", "IN_PROGRESS",
                "ACTION_REQUIRED", "IN_REVIEW", "APPROVED");
        assertThat(apiJson("/api/v1/customers/c-1/kyc").get("overallStatus").asText()).isEqualTo("APPROVED");
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state <> 'PROCESSED'",
                Integer.class)).isZero();
    }

    private static String document(String type, String fileName) {
        return "{\"type\":\"" + type + "\",\"fileName\":\"" + fileName + "\",\"contentType\":\"application/pdf\","
                + "\"content\":\"" + Base64.getEncoder().encodeToString(("%PDF-" + fileName).getBytes()) + "\"}";
    }
}
