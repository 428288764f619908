package com.kychub.provider.striga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.UnmappableMessageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The Striga table against provider doc 004, payload by payload. */
class StrigaMappingTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "NOT_STARTED,    NOT_STARTED,    START_KYC",
            "INITIATED,      IN_PROGRESS,    COMPLETE_VERIFICATION",
            "PENDING_REVIEW, IN_REVIEW,      WAIT",
            "ON_HOLD,        IN_REVIEW,      WAIT",
            "APPROVED,       APPROVED,       NONE",
            "REJECTED,       REJECTED,       RESTART_KYC",
            "REJECTED_FINAL, REJECTED_FINAL, NONE"})
    void everyVerificationStatusHasOneCanonicalMeaning(String striga, CaseStatus status, NextAction nextAction) {
        CaseUpdate update = StrigaMapping.toCanonical(event("u-1", striga, null));

        assertThat(update.status()).isEqualTo(status);
        assertThat(update.nextAction()).isEqualTo(nextAction);
        assertThat(update.providerStatus()).isEqualTo(striga);
        assertThat(update.provider()).isEqualTo("striga");
        assertThat(update.providerRef()).isEqualTo("u-1");
    }

    @Test
    void theTableCoversExactlyTheSevenDocumentedStatuses() {
        assertThat(StrigaMapping.STATUSES).containsOnlyKeys("NOT_STARTED", "INITIATED", "PENDING_REVIEW", "ON_HOLD",
                "APPROVED", "REJECTED", "REJECTED_FINAL");
    }

    @Test
    void theDocsRejectedExampleKeepsDetailsAndComments() throws IOException {
        CaseUpdate update = StrigaMapping.toCanonical(fixture("rejected.json"));

        assertThat(update.status()).isEqualTo(CaseStatus.REJECTED);
        assertThat(update.providerRef()).isEqualTo("9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e");
        assertThat(update.reasons()).containsExactly("UNSATISFACTORY_PHOTOS", "SCREENSHOTS",
                "PROBLEMATIC_APPLICANT_DATA");
        assertThat(update.providerDetails()).containsKey("rejectionComments");
        assertThat(update.providerDetails().get("rejectionComments"))
                .isEqualTo(new StrigaEvent.RejectionComments(
                        "The full name on the profile is either missing or incorrect.",
                        "Please enter your first and last name exactly as they are written in your identity document."));
    }

    @Test
    void theDocsRejectedFinalExampleIsFinal() throws IOException {
        CaseUpdate update = StrigaMapping.toCanonical(fixture("rejected-final.json"));

        assertThat(update.status()).isEqualTo(CaseStatus.REJECTED_FINAL);
        assertThat(update.nextAction()).isEqualTo(NextAction.NONE);
        assertThat(update.reasons()).containsExactly("UNSATISFACTORY_PHOTOS", "SCREENSHOTS", "NOT_DOCUMENT");
    }

    @Test
    void rejectedWithRejectionFinalTrueIsFinal() {
        CaseUpdate update = StrigaMapping.toCanonical(event("u-1", "REJECTED", true));

        assertThat(update.status()).isEqualTo(CaseStatus.REJECTED_FINAL);
        assertThat(update.providerStatus()).isEqualTo("REJECTED");
        assertThat(update.providerDetails()).containsEntry("rejectionFinal", true);
    }

    @Test
    void rejectedWithRejectionFinalFalseMayRetry() {
        assertThat(StrigaMapping.toCanonical(event("u-1", "REJECTED", false)).status()).isEqualTo(CaseStatus.REJECTED);
    }

    @Test
    void newerPayloadsKeepTiersAndTimestampAndTolerateUnknownFields() throws IOException {
        CaseUpdate update = StrigaMapping.toCanonical(fixture("newer-approved-with-tiers.json"));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.providerDetails()).containsKeys("currentTier", "tier0", "tier1", "tier2", "tier3");
        assertThat(update.occurredAt()).isEqualTo(Instant.ofEpochMilli(1763800000000L));
    }

    @Test
    void anUnknownStatusIsNeverGuessed() {
        assertThatThrownBy(() -> StrigaMapping.toCanonical(event("u-1", "SUSPENDED", null)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("SUSPENDED");
    }

    @Test
    void timestampsInSecondsMillisecondsOrIsoAreRead() {
        assertThat(StrigaMapping.timestamp(json.valueToTree(1763800000L))).isEqualTo(Instant.ofEpochSecond(1763800000L));
        assertThat(StrigaMapping.timestamp(json.valueToTree("2025-11-22T08:26:40Z")))
                .isEqualTo(Instant.parse("2025-11-22T08:26:40Z"));
        assertThat(StrigaMapping.timestamp(json.valueToTree("yesterday"))).isNull();
    }

    @Test
    void timestampsNoCalendarHoldsAreIgnored() {
        // Found by FuzzIntegrationTest: each of these failed the processing until the message went DEAD.
        assertThat(StrigaMapping.timestamp(json.valueToTree(new java.math.BigInteger("1" + "0".repeat(40))))).isNull();
        assertThat(StrigaMapping.timestamp(json.valueToTree(-7771887793557732691L))).isNull();
        assertThat(StrigaMapping.timestamp(json.valueToTree(Long.MAX_VALUE))).isNull();
        assertThat(StrigaMapping.timestamp(json.valueToTree(-1L))).isNull();
        assertThat(StrigaMapping.timestamp(json.valueToTree("+999999999-12-31T23:59:59Z"))).isNull();
        assertThat(StrigaMapping.timestamp(json.valueToTree(1763800000123L))).isEqualTo(
                Instant.ofEpochMilli(1763800000123L));
    }

    private StrigaEvent event(String userId, String status, Boolean rejectionFinal) {
        return json.convertValue(rejectionFinal == null
                ? Map.of("userId", userId, "status", status)
                : Map.of("userId", userId, "status", status, "rejectionFinal", rejectionFinal), StrigaEvent.class);
    }

    private StrigaEvent fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/striga/" + name)) {
            return json.readValue(in, StrigaEvent.class);
        }
    }
}
