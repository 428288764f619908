package com.kychub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link OverallStatus}'s table as the fintech reads it, {@code GET /api/v1/customers/{id}/kyc}, one test per row:
 * the customer's cases at several providers are written to PostgreSQL as their mappings would write them.
 */
class OverallStatusIntegrationTest extends HubIntegrationTest {

    private static final String CUSTOMER = "c-overall";

    @Autowired
    private CanonicalStore store;

    @Test
    void row1ACustomerWithoutCasesIsNotStarted() {
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"" + CUSTOMER + "\"}").statusCode())
                .isEqualTo(201);

        JsonNode kyc = apiJson("/api/v1/customers/" + CUSTOMER + "/kyc");
        assertThat(kyc.get("overallStatus").asText()).isEqualTo("NOT_STARTED");
        assertThat(kyc.get("cases")).isEmpty();
    }

    @Test
    void row2AFinalRejectionAtOneProviderOutweighsAnApprovalAtAnother() {
        write("connectfi", "onb-1", CaseStatus.APPROVED);
        write("striga", "user-1", CaseStatus.REJECTED_FINAL);
        write("ondato", "idv-1", CaseStatus.APPROVED);

        assertThat(overallStatus()).isEqualTo("REJECTED_FINAL");
    }

    @Test
    void row3AnOpenFraudSignalHoldsTheCustomerInReviewUntilItIsClosed() {
        write("connectfi", "onb-1", CaseStatus.APPROVED);
        write("argos", "sub-1", CaseStatus.APPROVED, new CheckResult("INJECTION_FAIL", false, true,
                RiskSignal.FRAUD.mark(Map.of("failCode", "distanceChecks_ipGeo"))));

        JsonNode kyc = apiJson("/api/v1/customers/" + CUSTOMER + "/kyc");
        assertThat(kyc.get("overallStatus").asText()).isEqualTo("IN_REVIEW");
        // Each case keeps its own status: the policy is the customer's.
        assertThat(kyc.get("cases")).extracting(c -> c.get("status").asText()).containsOnly("APPROVED");

        write("argos", "sub-1", CaseStatus.APPROVED, new CheckResult("INJECTION_FAIL", false, false,
                RiskSignal.FRAUD.mark(Map.of("failCode", "distanceChecks_ipGeo", "closedAt", "2024-03-05"))));
        assertThat(overallStatus()).isEqualTo("APPROVED");
    }

    @Test
    void row4AnApprovalAnywhereIsApprovedWhenNoSignalIsOpen() {
        write("ondato", "idv-1", CaseStatus.APPROVED);
        write("width", "exec-1", CaseStatus.REJECTED);
        // A step still to do is no signal, however required.
        write("connectfi", "onb-1", CaseStatus.ACTION_REQUIRED, new CheckResult("W9", false, true, Map.of()));

        assertThat(overallStatus()).isEqualTo("APPROVED");
    }

    @Test
    void row5OtherwiseTheMostRecentlyUpdatedCaseSpeaks() {
        write("connectfi", "onb-1", CaseStatus.REJECTED);
        write("striga", "user-1", CaseStatus.ACTION_REQUIRED);

        assertThat(overallStatus()).isEqualTo("ACTION_REQUIRED");
    }

    private String overallStatus() {
        return apiJson("/api/v1/customers/" + CUSTOMER + "/kyc").get("overallStatus").asText();
    }

    private void write(String provider, String providerRef, CaseStatus status, CheckResult... checks) {
        store.apply(new CaseUpdate(provider, providerRef, CUSTOMER, status, NextAction.NONE, List.of(), null,
                "test", Map.of("written", status.name()), List.of(checks), null, true, null, null), null);
    }
}
