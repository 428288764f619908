package com.kychub.provider.connectfi;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The doc's External KYC flow, phases 1 to 4: the customer is created with KYC data, KYC starts without SDK links,
 * the hub uploads the biometric report, source of funds and tax form it holds, and approval follows on its own.
 */
// A context of its own needs a database of its own: the shared context keeps running meanwhile, and its pollers
// would claim this one's cases. (The same Camel name on another database is another Quartz cluster.)
@TestPropertySource(properties = {"kyc.providers.connectfi.strategy=external",
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}_external"})
class ConnectfiExternalFlowIntegrationTest extends ConnectfiFlows {

    @Test
    void externalPhases1To4EndApprovedWithoutAnySdk() {
        // Phase 1: created with KYC data; START_KYC next.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/customers")).willReturn(okJson("{\"id\":\"cf-x1\"}")));
        stubStatus("cf-x1", status(false, "PENDING", "START_KYC", "KYC_DATA_PRESENT:true:true",
                "KYC_STARTED:false:true:START_KYC"));
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/compliance/kyc"))
                .willReturn(okJson("{\"onboarding\":{\"id\":\"onb-x1\",\"status\":\"PROCESSING\"}}")));
        assertThat(apiSend("POST", "/api/v1/customers", """
                {"customerId": "ext-1", "email": "ext@example.com",
                 "kyc": {"firstName": "Grace", "lastName": "Example", "nationality": "GB", "occupation": "21",
                         "mainAddress": {"street1": "1 High St", "cityCounty": "London", "zip": "N1", "countryCode": "GB"}}}""")
                .statusCode()).isEqualTo(201);
        // The doc's kyc object carries more than the hub checks; a malformed one is refused.
        assertThat(apiSend("PATCH", "/api/v1/customers/ext-1", "{\"kyc\":{\"nationality\":\"Britain\"}}").statusCode())
                .isEqualTo(400);
        assertThat(apiSend("POST", "/api/v1/customers/ext-1/onboardings", "{\"provider\":\"connectfi\"}")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> PROVIDERS.verify(1,
                postRequestedFor(urlEqualTo("/v1/customers"))
                        .withRequestBody(matchingJsonPath("$.kyc.occupation", equalTo("21")))));
        send("CUSTOMER_CREATED", "cf-x1", null);

        // Phase 2: KYC starts with no SDK links; the SDK check passes without being required.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc"))));
        JsonNode started = awaitCase("onb-x1", "IN_PROGRESS", "WAIT");
        assertThat(started.get("providerDetails").has("sdk")).isFalse();
        // What the start's answer made of the case, read in its audit trail: the status stub still says START_KYC, and
        // the pull after the CUSTOMER_CREATED webhook may land after the answer, with the reason KYC_STARTED.
        assertThat(jdbc.queryForObject("""
                select detail -> 'reasons' from kyc_event
                where case_id = ?::uuid and provider_event = 'KYC_STARTED'""", String.class,
                started.get("id").asText())).isEqualTo("[]");

        stubStatus("cf-x1", fixture("connectfi/status-external-upload.json"));
        send("CUSTOMER_KYC_STARTED", "cf-x1", "onb-x1");
        JsonNode upload = awaitCase("onb-x1", "ACTION_REQUIRED", "PROVIDE_DOCUMENT");
        assertThat(texts(upload.get("reasons"))).contains("MISSING_DOCUMENT:BIOMETRIC_REPORT",
                "MISSING_DOCUMENT:SOURCE_OF_FUNDS", "MISSING_DOCUMENT:W9|W8BEN");
        assertThat(checks("onb-x1").at("/SDK_VERIFICATION_COMPLETED/passed").asBoolean()).isTrue();
        assertThat(checks("onb-x1").at("/SDK_VERIFICATION_COMPLETED/required").asBoolean()).isFalse();
        assertThat(checks("onb-x1").at("/DOC_BIOMETRIC_REPORT/required").asBoolean()).isTrue();

        // Phase 3: the documents, the biometric report from the fintech's own KYC provider first.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/compliance/upload-doc")).willReturn(okJson("{}")));
        for (String type : new String[] {"BIOMETRIC_REPORT", "SOURCE_OF_FUNDS", "W8BEN"}) {
            assertThat(apiSend("POST", "/api/v1/customers/ext-1/documents", "{\"type\":\"" + type
                    + "\",\"fileName\":\"" + type.toLowerCase() + ".pdf\",\"contentType\":\"application/pdf\","
                    + "\"content\":\"" + Base64.getEncoder().encodeToString(type.getBytes()) + "\"}").statusCode())
                    .isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String type : new String[] {"BIOMETRIC_REPORT", "SOURCE_OF_FUNDS", "W8BEN"}) {
                PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/compliance/upload-doc"))
                        .withRequestBody(matchingJsonPath("$.type", equalTo(type))));
            }
        });
        stubStatus("cf-x1", status(false, "PROCESSING", "WAIT", "SDK_VERIFICATION_COMPLETED:true:false",
                "KYC_STATUS:false:true", "DOC_BIOMETRIC_REPORT:true:true", "DOC_SOURCE_OF_FUNDS:true:true",
                "DOC_FATCA:true:true"));
        pollNow();
        awaitCase("onb-x1", "IN_REVIEW", "WAIT");

        // Phase 4: automatic approval.
        stubStatus("cf-x1", status(true, "APPROVED", null, "SDK_VERIFICATION_COMPLETED:true:false",
                "KYC_STATUS:true:true", "DOC_BIOMETRIC_REPORT:true:true", "DOC_SOURCE_OF_FUNDS:true:true",
                "DOC_FATCA:true:true"));
        send("CUSTOMER_KYC_FINISHED", "cf-x1", "onb-x1", "\"status\":\"APPROVED\"");
        JsonNode approved = awaitCase("onb-x1", "APPROVED", "NONE");
        assertThat(statusesOf(approved)).containsSubsequence("IN_PROGRESS", "ACTION_REQUIRED", "IN_REVIEW",
                "APPROVED");
        PROVIDERS.verify(0, WireMock.postRequestedFor(urlEqualTo("/v1/compliance/kyc/onb-x1/rerun")));
    }
}
