package com.kychub.provider.ondato;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * Doc 003's integration workflow against Ondato stubs on loopback: the hub starts the identity verification and
 * hands out the IDV URL, then every event is enriched by the two GETs and the pulled identification decides, with the
 * statuses and reasons of Ondato's KYC Identification webhook examples. A rejected customer started again gets a new
 * verification and a case of its own.
 */
class OndatoFlowIntegrationTest extends OndatoFlows {

    @Test
    void startedThroughTheHubThenEveryEventUntilApprovedThenUpdatedAndRejected() {
        // Step 1: the hub creates the identity verification with the setup id; the IDV URL is the customer's way on.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/ondato-idv/v1/identity-verifications"))
                .willReturn(WireMock.aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"02c99769-51a5-4174-aa5b-3fa0c2e6bfef\"}")));
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-1\"}").statusCode()).isEqualTo(201);
        var started = apiSend("POST", "/api/v1/customers/c-1/onboardings", "{\"provider\":\"ondato\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(readJson(started.body()).get("providerRef").asText()).isEqualTo("customer:c-1");

        String idv = "02c99769-51a5-4174-aa5b-3fa0c2e6bfef";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> PROVIDERS.verify(1,
                postRequestedFor(urlEqualTo("/ondato-idv/v1/identity-verifications"))
                        .withHeader("X-Api-Key", equalTo(ONDATO_API_KEY))
                        .withRequestBody(equalToJson("{\"setupId\":\"" + ONDATO_SETUP_ID
                                + "\",\"externalReferenceId\":\"c-1\"}"))));
        JsonNode opened = awaitCase(idv, "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(opened.get("id")).isEqualTo(readJson(started.body()).get("id"));
        assertThat(opened.get("customerId").asText()).isEqualTo("c-1");
        assertThat(opened.at("/providerDetails/idvUrl").asText()).isEqualTo("https://idv.ondato.com/?id=" + idv);
        assertThat(jdbc.queryForObject("select customer_id from provider_customer where provider = 'ondato' "
                + "and provider_customer_id = ?", String.class, idv)).isEqualTo("c-1");
        // Starting again finds the same case and creates nothing.
        assertThat(readJson(apiSend("POST", "/api/v1/customers/c-1/onboardings", "{\"provider\":\"ondato\"}").body())
                .get("id")).isEqualTo(opened.get("id"));

        // The customer opened the IDV URL and consents: the verification is in progress, no identification yet, nothing
        // else is pulled.
        stubVerification(idv, verification(idv, "InProgress", null));
        send(verificationEvent("Idv.Consented", idv));
        awaitInboxDrained();
        JsonNode consented = awaitCase(idv, "IN_PROGRESS", "COMPLETE_VERIFICATION");
        assertThat(consented.at("/providerDetails/idvUrl").asText()).isEqualTo("https://idv.ondato.com/?id=" + idv);
        assertThat(consented.get("providerStatus").asText()).isEqualTo("InProgress");
        PROVIDERS.verify(0, getRequestedFor(WireMock.urlPathMatching("/ondato-kyc/.*")));

        // KycIdentification.Created: the customer started the identification step (Awaiting, Unfinished).
        stubVerification(idv, verification(idv, "kyc-1"));
        stubIdentification("kyc-1", identification("kyc-1", idv, "Awaiting", "Unfinished", null));
        send(identificationEvent("KycIdentification.Created", idv, "kyc-1"));
        JsonNode created = awaitCase(idv, kycCase -> "Unfinished".equals(kycCase.at("/providerDetails/statusReason")
                .asText()));
        assertThat(created.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(created.get("nextAction").asText()).isEqualTo("COMPLETE_VERIFICATION");
        assertThat(created.get("providerStatus").asText()).isEqualTo("Awaiting");
        assertThat(created.at("/providerDetails/kycIdentificationId").asText()).isEqualTo("kyc-1");
        PROVIDERS.verify(getRequestedFor(urlEqualTo(IDENTIFICATION_PATH + "kyc-1"))
                .withHeader("X-Api-Key", equalTo(ONDATO_API_KEY)));

        // KycIdentification.Processed: the customer finished (Awaiting, Processing) and is no longer asked to.
        stubIdentification("kyc-1", identification("kyc-1", idv, "Awaiting", "Processing", null));
        send(identificationEvent("KycIdentification.Processed", idv, "kyc-1"));
        JsonNode processed = awaitCase(idv, "IN_REVIEW", "WAIT");
        assertThat(processed.at("/providerDetails/statusReason").asText()).isEqualTo("Processing");

        stubIdentification("kyc-1", identification("kyc-1", "Approved", null));
        send(identificationEvent("KycIdentification.Approved", idv, "kyc-1"));
        JsonNode approved = awaitCase(idv, "APPROVED", "NONE");
        assertThat(apiJson("/api/v1/customers/c-1/kyc").get("overallStatus").asText()).isEqualTo("APPROVED");

        // Document data updated in Ondato's portal, still approved: no change.
        send(identificationEvent("KycIdentification.Updated", idv, "kyc-1"));
        awaitInboxDrained();
        assertThat(awaitCase(idv, "APPROVED", "NONE").get("updatedAt")).isEqualTo(approved.get("updatedAt"));

        // Then rejected after all: the pulled truth moves the case out of APPROVED, with the reasons.
        stubIdentification("kyc-1", identification("kyc-1", "Rejected",
                "\"rejectionReasons\":[\"DocumentExpired\",{\"reason\":\"FaceMismatch\"}]"));
        send(identificationEvent("KycIdentification.Rejected", idv, "kyc-1"));
        JsonNode rejected = awaitCase(idv, "REJECTED", "RESTART_KYC");
        assertThat(texts(rejected.get("reasons"))).containsExactly("DocumentExpired", "FaceMismatch");

        JsonNode events = apiJson("/api/v1/cases/" + rejected.get("id").asText() + "/events").get("items");
        assertThat(events.get(0).get("providerEvent").asText()).isEqualTo("ONBOARDING_REQUESTED");
        assertThat(events.get(events.size() - 1).get("providerEvent").asText()).isEqualTo("KycIdentification.Rejected");
        assertThat(statusesOf(rejected)).containsSubsequence("IN_PROGRESS", "ACTION_REQUIRED", "IN_PROGRESS",
                "IN_REVIEW", "APPROVED", "REJECTED");
        // Personal data stays in the stored raw answers: never in the case, its events or elsewhere.
        assertThat(jdbc.queryForObject("select count(*) from kyc_event where detail::text like '%Lovelace%' "
                + "or provider_event like '%Lovelace%'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from kyc_case where provider_details::text like '%Lovelace%'",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where message_type = 'identification' "
                + "and body like '%Lovelace%'", Integer.class)).isEqualTo(5);
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state = 'FAILED'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state <> 'PROCESSED'",
                Integer.class)).isZero();
    }

    @Test
    void theNewerIdentityVerificationEventsAndPascalCaseEnvelopesArePulledLikeTheOthers() {
        String idv = "idv-pascal";
        stubVerification(idv, verification(idv, null));
        send("{\"Id\":\"e-1\",\"ApplicationId\":\"app-1\",\"CreatedUtc\":\"2023-01-01T00:00:00Z\","
                + "\"IsDelivered\":false,\"Type\":\"IdentityVerification.Consented\",\"Payload\":{\"Id\":\"" + idv + "\"}}");
        JsonNode consented = awaitCase(idv, "IN_PROGRESS", "COMPLETE_VERIFICATION");
        // Started outside the hub: the verification id names the customer.
        assertThat(consented.get("customerId").asText()).isEqualTo(idv);
        assertThat(consented.at("/providerDetails/identityVerificationStatus").asText()).isEqualTo("InProgress");

        stubVerification(idv, verification(idv, "kyc-p"));
        stubIdentification("kyc-p", "{\"Id\":\"kyc-p\",\"Status\":\"Awaiting\",\"StatusReason\":\"Processing\"}");
        send(verificationEvent("IdentityVerification.StatusChanged", idv));
        awaitCase(idv, "IN_REVIEW", "WAIT");

        stubIdentification("kyc-p", identification("kyc-p", "Approved", null));
        send(verificationEvent("Idv.StatusChanged", idv));
        JsonNode approved = awaitCase(idv, "APPROVED", "NONE");
        JsonNode events = apiJson("/api/v1/cases/" + approved.get("id").asText() + "/events").get("items");
        assertThat(events.get(events.size() - 1).get("providerEvent").asText()).isEqualTo("Idv.StatusChanged");
        PROVIDERS.verify(3, getRequestedFor(urlEqualTo(VERIFICATION_PATH + idv)));
        PROVIDERS.verify(2, getRequestedFor(urlEqualTo(IDENTIFICATION_PATH + "kyc-p")));
    }

    /**
     * Each pull calls a URL that names the verification: the hub's meters must not grow with them (one meter per URL
     * made the registry grow without bound, and Camel searched all of it after every exchange), nor its endpoints (an
     * endpoint per URL built an HTTP client, a connection pool and a connection for every call).
     */
    @Test
    void pullingNewVerificationsAddsNoMetersNorEndpoints() {
        pullOneVerification("idv-meters-1");
        int metersBefore = meters.getMeters().size();
        int endpointsBefore = camel.getEndpoints().size();

        for (int i = 2; i <= 4; i++) {
            pullOneVerification("idv-meters-" + i);
        }

        assertThat(meters.getMeters()).hasSize(metersBefore);
        assertThat(camel.getEndpoints()).hasSize(endpointsBefore);
    }

    private void pullOneVerification(String idv) {
        stubVerification(idv, verification(idv, null));
        send(verificationEvent("Idv.Consented", idv));
        awaitCase(idv, "IN_PROGRESS", "COMPLETE_VERIFICATION");
        PROVIDERS.verify(1, getRequestedFor(urlEqualTo(VERIFICATION_PATH + idv)));
    }

    @Test
    void aRejectedCustomerStartedAgainGetsANewVerificationAndACaseOfItsOwn() {
        stubCreated("idv-first");
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-again\"}").statusCode()).isEqualTo(201);
        JsonNode first = readJson(apiSend("POST", "/api/v1/customers/c-again/onboardings",
                "{\"provider\":\"ondato\"}").body());
        awaitCase("idv-first", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        stubVerification("idv-first", verification("idv-first", "kyc-first"));
        stubIdentification("kyc-first", identification("kyc-first", "idv-first", "Rejected", null,
                "\"rejectionReasons\":[\"DocumentExpired\"]"));
        send(identificationEvent("KycIdentification.Rejected", "idv-first", "kyc-first"));
        JsonNode rejected = awaitCase("idv-first", "REJECTED", "RESTART_KYC");
        awaitInboxDrained();
        int rejectedEvents = apiJson("/api/v1/cases/" + rejected.get("id").asText() + "/events").get("items").size();

        // Started again: Ondato is asked for a new verification, about the same customer, and a new case opens.
        stubCreated("idv-second");
        var again = apiSend("POST", "/api/v1/customers/c-again/onboardings", "{\"provider\":\"ondato\"}");
        assertThat(again.statusCode()).isEqualTo(202);
        JsonNode opened = readJson(again.body());
        assertThat(opened.get("id")).isNotEqualTo(first.get("id"));
        assertThat(opened.get("status").asText()).isEqualTo("IN_PROGRESS");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> PROVIDERS.verify(2,
                postRequestedFor(urlEqualTo("/ondato-idv/v1/identity-verifications"))
                        .withRequestBody(equalToJson("{\"setupId\":\"" + ONDATO_SETUP_ID
                                + "\",\"externalReferenceId\":\"c-again\"}"))));
        JsonNode second = awaitCase("idv-second", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(second.get("id")).isEqualTo(opened.get("id"));
        assertThat(second.get("customerId").asText()).isEqualTo("c-again");
        assertThat(second.at("/providerDetails/idvUrl").asText()).isEqualTo("https://idv.ondato.com/?id=idv-second");
        assertThat(jdbc.queryForObject("select current_ref from provider_customer where provider = 'ondato' "
                + "and customer_id = 'c-again'", String.class)).isEqualTo("idv-second");

        // The old case keeps its status, reasons and trail.
        JsonNode old = awaitCase("idv-first", "REJECTED", "RESTART_KYC");
        assertThat(texts(old.get("reasons"))).containsExactly("DocumentExpired");
        assertThat(apiJson("/api/v1/cases/" + old.get("id").asText() + "/events").get("items")).hasSize(rejectedEvents);

        // Asked again while the new verification is open: that case, and nothing new is asked of Ondato.
        JsonNode thirdAsk = readJson(apiSend("POST", "/api/v1/customers/c-again/onboardings",
                "{\"provider\":\"ondato\"}").body());
        assertThat(thirdAsk.get("id")).isEqualTo(second.get("id"));
        assertThat(jdbc.queryForList("select action from provider_action where provider = 'ondato' "
                + "and customer_id = 'c-again' order by id", String.class))
                .containsExactly("CREATE_IDENTITY_VERIFICATION", "CREATE_IDENTITY_VERIFICATION:2");
        assertThat(apiJson("/api/v1/cases?provider=ondato").get("items").findValuesAsText("providerRef"))
                .contains("idv-first", "idv-second").doesNotContain("customer:c-again");
    }

    @Test
    void aKycIdentificationEventNamingOnlyItsIdentificationReachesTheCaseOfTheVerificationItNames() {
        stubIdentification("kyc-only", identification("kyc-only", "idv-only", "Approved", null, null));

        send(identificationOnlyEvent("KycIdentification.Approved", "kyc-only"));

        JsonNode approved = awaitCase("idv-only", "APPROVED", "NONE");
        assertThat(approved.at("/providerDetails/kycIdentificationId").asText()).isEqualTo("kyc-only");
        JsonNode events = apiJson("/api/v1/cases/" + approved.get("id").asText() + "/events").get("items");
        assertThat(events.get(events.size() - 1).get("providerEvent").asText()).isEqualTo("KycIdentification.Approved");
        awaitInboxDrained();
        PROVIDERS.verify(1, getRequestedFor(urlEqualTo(IDENTIFICATION_PATH + "kyc-only")));
        PROVIDERS.verify(0, getRequestedFor(urlEqualTo(VERIFICATION_PATH + "idv-only")));
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state <> 'PROCESSED'",
                Integer.class)).isZero();
    }

    /** Ondato answers the hub's {@code POST /v1/identity-verifications} with this verification id (the newest stub). */
    private static void stubCreated(String verificationId) {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/ondato-idv/v1/identity-verifications"))
                .willReturn(WireMock.aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + verificationId + "\"}")));
    }
}
