package com.kychub.provider.ondato;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.UnmappableMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tables of {@link OndatoMapping}, row by row, with the values as Ondato's public documentation writes them (the
 * KYC Identification webhook examples; the "Identity Verifications (IDV)" status table and its JSON examples), as
 * README.md states them.
 */
class OndatoMappingTest {

    private static final String URL = "https://idv.ondato.com/?id=idv-1";

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            // KycIdentification.Created example: the customer started the identification step
            "Awaiting, Unfinished,              IN_PROGRESS, COMPLETE_VERIFICATION",
            // KycIdentification.Processed example: the customer completed it, Ondato decides
            "Awaiting, Processing,              IN_REVIEW,   WAIT",
            // KycIdentification.Approved: "manually or automatically approved", whatever the reason says
            "Approved, -,                       APPROVED,    NONE",
            "Approved, AutomaticallyIdentified, APPROVED,    NONE",
            // KycIdentification.Rejected: "manually or automatically rejected"
            "Rejected, -,                       REJECTED,    RESTART_KYC",
            // matched ignoring case
            "AWAITING, processing,              IN_REVIEW,   WAIT"})
    void identificationStatusesAndReasons(String status, String reason, CaseStatus expected, NextAction next) {
        CaseUpdate update = OndatoMapping.identification("idv-1", "c-1", "kyc-1", status, reason, List.of(), URL,
                "KycIdentification.Updated");
        assertThat(update.status()).isEqualTo(expected);
        assertThat(update.nextAction()).isEqualTo(next);
        assertThat(update.providerRef()).isEqualTo("idv-1");
        assertThat(update.providerStatus()).isEqualTo(status);
        assertThat(update.providerEvent()).isEqualTo("KycIdentification.Updated");
        assertThat(update.authoritative()).isTrue();
        assertThat(update.providerDetails()).containsEntry("idvUrl", URL).containsEntry("kycIdentificationId", "kyc-1");
        if (reason != null) {
            assertThat(update.providerDetails()).containsEntry("statusReason", reason);
        } else {
            assertThat(update.providerDetails()).doesNotContainKey("statusReason");
        }
    }

    @Test
    void rejectionReasonsAreKeptOnlyOnARejection() {
        assertThat(OndatoMapping.identification("idv-1", "c-1", "kyc-1", "Rejected", null, List.of("DocumentExpired"),
                URL, null).reasons()).containsExactly("DocumentExpired");
        assertThat(OndatoMapping.identification("idv-1", "c-1", "kyc-1", "Approved", null, List.of("DocumentExpired"),
                URL, null).reasons()).isEmpty();
    }

    /**
     * Values the documentation does not show are never guessed, nor the words of the event names, which are not
     * statuses: an Awaiting identification decides nothing without a reason the table holds.
     */
    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "Awaiting,   -",
            "Awaiting,   ManualReview",
            "Created,    -",
            "Processed,  -",
            "Suspicious, -"})
    void anyOtherIdentificationStatusOrReasonIsNeverGuessed(String status, String reason) {
        assertThatThrownBy(() -> OndatoMapping.identification("idv-1", "c-1", "kyc-1", status, reason, List.of(), URL,
                null)).isInstanceOf(UnmappableMessageException.class).hasMessageContaining("'" + status + "'");
    }

    @Test
    void anIdentificationWithoutAStatusIsNeverGuessed() {
        assertThatThrownBy(() -> OndatoMapping.identification("idv-1", "c-1", "kyc-1", null, "Processing", List.of(),
                URL, null)).isInstanceOf(UnmappableMessageException.class).hasMessageContaining("no status");
    }

    /** The "Identity Verifications (IDV)" status table (its words, its examples' spelling), with no identification. */
    @ParameterizedTest
    @CsvSource({
            "pending,     ACTION_REQUIRED, COMPLETE_VERIFICATION, IDENTIFICATION_NOT_STARTED",
            "Pending,     ACTION_REQUIRED, COMPLETE_VERIFICATION, IDENTIFICATION_NOT_STARTED",
            "in progress, IN_PROGRESS,     COMPLETE_VERIFICATION, IDENTIFICATION_NOT_STARTED",
            "InProgress,  IN_PROGRESS,     COMPLETE_VERIFICATION, IDENTIFICATION_NOT_STARTED",
            "SUSPENDED,   ACTION_REQUIRED, COMPLETE_VERIFICATION, IDENTIFICATION_NOT_STARTED",
            "completed,   IN_REVIEW,       WAIT,                  COMPLETED_WITHOUT_IDENTIFICATION",
            "Completed,   IN_REVIEW,       WAIT,                  COMPLETED_WITHOUT_IDENTIFICATION",
            "aborted,     CANCELLED,       RESTART_KYC,           IDENTIFICATION_NOT_STARTED",
            "expired,     EXPIRED,         RESTART_KYC,           IDENTIFICATION_NOT_STARTED"})
    void identityVerificationStatusesWithoutAnIdentification(String status, CaseStatus expected, NextAction next,
                                                             String reason) {
        CaseUpdate update = OndatoMapping.withoutIdentification("idv-1", "c-1", status, URL, "Idv.StatusChanged");
        assertThat(update.status()).isEqualTo(expected);
        assertThat(update.nextAction()).isEqualTo(next);
        assertThat(update.reasons()).containsExactly(reason);
        assertThat(update.providerStatus()).isEqualTo(status);
        // Where the customer is never overwrites a verdict.
        assertThat(update.authoritative()).isFalse();
        assertThat(update.providerDetails()).containsEntry("idvUrl", URL)
                .containsEntry("identityVerificationStatus", status);
    }

    @Test
    void anyOtherIdentityVerificationStatusIsNeverGuessed() {
        assertThatThrownBy(() -> OndatoMapping.withoutIdentification("idv-1", "c-1", "Active", URL, null))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("'Active'");
        assertThatThrownBy(() -> OndatoMapping.withoutIdentification("idv-1", "c-1", null, URL, null))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("no status");
    }

    @Test
    void theStartGivesTheIdvUrlFromTheTemplate() {
        String url = OndatoMapping.idvUrl("https://idv.ondato.com/?id={id}", "02c99769-51a5-4174-aa5b-3fa0c2e6bfef");
        assertThat(url).isEqualTo("https://idv.ondato.com/?id=02c99769-51a5-4174-aa5b-3fa0c2e6bfef");
        CaseUpdate started = OndatoMapping.started("02c99769-51a5-4174-aa5b-3fa0c2e6bfef", "c-1", url);
        assertThat(started.nextAction()).isEqualTo(NextAction.COMPLETE_VERIFICATION);
        assertThat(started.providerDetails()).containsEntry("idvUrl", url);
    }

    @Test
    void rejectionReasonsAreReadInEverySpellingAndShape() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(OndatoProcess.rejectionReasons(json.readTree(
                "{\"RejectionReasons\":[\"A\",{\"Code\":\"B\"},{\"reason\":\"C\"},{}],\"rejectionReason\":\"D\"}")))
                .containsExactly("A", "B", "C", "D");
        assertThat(OndatoProcess.rejectionReasons(json.readTree("{\"status\":\"Rejected\"}"))).isEmpty();
    }
}
