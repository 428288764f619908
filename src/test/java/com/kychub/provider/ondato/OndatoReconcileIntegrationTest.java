package com.kychub.provider.ondato;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * A missed Ondato webhook repaired by reconciliation: the quiet case's identity verification is pulled from the IDV
 * API, then the KYC identification it names from the KYC ID API (both WireMock), and what they say is applied.
 */
class OndatoReconcileIntegrationTest extends OndatoFlows {

    @Test
    void aMissedDecisionIsPulledThroughTheVerificationAndItsIdentification() {
        stubVerification("idv-quiet", verification("idv-quiet", "kyc-quiet"));
        stubIdentification("kyc-quiet", identification("kyc-quiet", "idv-quiet", "Awaiting", "Processing", null));
        send(identificationEvent("KycIdentification.Processed", "idv-quiet", "kyc-quiet"));
        awaitCase("idv-quiet", "IN_REVIEW", "WAIT");
        stubIdentification("kyc-quiet", identification("kyc-quiet", "Approved", null));
        double repaired = reconcilePulls("ondato", "repaired");

        makeQuiet("ondato", "idv-quiet");
        awaitPull("ondato", "repaired", repaired);

        JsonNode kycCase = awaitCase("idv-quiet", "APPROVED", "NONE");
        assertThat(statusesOf(kycCase)).containsExactly("IN_REVIEW", "APPROVED");
        PROVIDERS.verify(2, getRequestedFor(urlEqualTo(VERIFICATION_PATH + "idv-quiet")));
        PROVIDERS.verify(2, getRequestedFor(urlEqualTo(IDENTIFICATION_PATH + "kyc-quiet")));
    }

    @Test
    void aCustomerWhoReachedTheIdentificationStepUnheardIsFoundThere() {
        stubVerification("idv-step", verification("idv-step", null));
        send(verificationEvent("IdentityVerification.StatusChanged", "idv-step"));
        awaitCase("idv-step", "IN_PROGRESS", "COMPLETE_VERIFICATION");
        stubVerification("idv-step", verification("idv-step", "kyc-step"));
        stubIdentification("kyc-step", identification("kyc-step", "Rejected",
                "\"rejectionReasons\":[{\"reason\":\"DOCUMENT_EXPIRED\"}]"));
        double repaired = reconcilePulls("ondato", "repaired");

        makeQuiet("ondato", "idv-step");
        awaitPull("ondato", "repaired", repaired);

        JsonNode kycCase = awaitCase("idv-step", "REJECTED", "RESTART_KYC");
        assertThat(texts(kycCase.get("reasons"))).containsExactly("DOCUMENT_EXPIRED");
    }

    @Test
    void anAnswerTheCaseAlreadySaysIsNotStoredAgain() {
        stubVerification("idv-same", verification("idv-same", "kyc-same"));
        stubIdentification("kyc-same", identification("kyc-same", "idv-same", "Awaiting", "Processing", null));
        send(identificationEvent("KycIdentification.Processed", "idv-same", "kyc-same"));
        awaitCase("idv-same", "IN_REVIEW", "WAIT");
        int stored = jdbc.queryForObject("select count(*) from inbound_message", Integer.class);
        double unchanged = reconcilePulls("ondato", "unchanged");

        makeQuiet("ondato", "idv-same");
        awaitPull("ondato", "unchanged", unchanged);

        assertThat(jdbc.queryForObject("select count(*) from inbound_message", Integer.class)).isEqualTo(stored);
    }

    @Test
    void aCaseOndatoHasNotNamedYetIsLeftToTheStart() throws InterruptedException {
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/ondato-idv/v1/identity-verifications"))
                .willReturn(WireMock.aResponse().withStatus(503)));
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-unnamed\"}").statusCode())
                .isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/c-unnamed/onboardings", "{\"provider\":\"ondato\"}")
                .statusCode()).isEqualTo(202);
        makeQuiet("ondato", "customer:c-unnamed");
        Thread.sleep(1000);

        PROVIDERS.verify(0, getRequestedFor(urlPathMatching("/ondato-idv/v1/identity-verifications/.*")));
        assertThat(jdbc.queryForObject("select reconciled_at is not null from kyc_case "
                + "where provider_ref = 'customer:c-unnamed'", Boolean.class)).isTrue();
    }
}
