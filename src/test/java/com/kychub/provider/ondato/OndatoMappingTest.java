package com.kychub.provider.ondato;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.UnmappableMessageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The table of {@link OndatoMapping}, row by row, as README.md states it against doc 003. */
class OndatoMappingTest {

    private static final String URL = "https://idv.ondato.com/?id=idv-1";

    @ParameterizedTest
    @CsvSource({
            "Created,   IN_PROGRESS, COMPLETE_VERIFICATION",
            "Processed, IN_REVIEW,   WAIT",
            "Approved,  APPROVED,    NONE",
            "Rejected,  REJECTED,    RESTART_KYC",
            "APPROVED,  APPROVED,    NONE"})
    void identificationStatuses(String status, CaseStatus expected, NextAction next) {
        CaseUpdate update = OndatoMapping.identification("idv-1", "c-1", "kyc-1", status, List.of(), URL,
                "KycIdentification.Updated");
        assertThat(update.status()).isEqualTo(expected);
        assertThat(update.nextAction()).isEqualTo(next);
        assertThat(update.providerRef()).isEqualTo("idv-1");
        assertThat(update.providerStatus()).isEqualTo(status);
        assertThat(update.providerEvent()).isEqualTo("KycIdentification.Updated");
        assertThat(update.authoritative()).isTrue();
        assertThat(update.providerDetails()).containsEntry("idvUrl", URL).containsEntry("kycIdentificationId", "kyc-1");
    }

    @Test
    void rejectionReasonsAreKeptOnlyOnARejection() {
        assertThat(OndatoMapping.identification("idv-1", "c-1", "kyc-1", "Rejected", List.of("DocumentExpired"), URL,
                null).reasons()).containsExactly("DocumentExpired");
        assertThat(OndatoMapping.identification("idv-1", "c-1", "kyc-1", "Approved", List.of("DocumentExpired"), URL,
                null).reasons()).isEmpty();
    }

    @Test
    void anyOtherStatusIsNeverGuessed() {
        assertThatThrownBy(() -> OndatoMapping.identification("idv-1", "c-1", "kyc-1", "Pending", List.of(), URL, null))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("'Pending'");
        assertThatThrownBy(() -> OndatoMapping.identification("idv-1", "c-1", "kyc-1", null, List.of(), URL, null))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("no status");
    }

    @Test
    void aVerificationWithoutIdentificationAsksTheCustomerToCompleteItWithoutOverwritingAVerdict() {
        CaseUpdate update = OndatoMapping.withoutIdentification("idv-1", "c-1", "Active", URL, "Idv.Consented");
        assertThat(update.status()).isEqualTo(CaseStatus.ACTION_REQUIRED);
        assertThat(update.nextAction()).isEqualTo(NextAction.COMPLETE_VERIFICATION);
        assertThat(update.authoritative()).isFalse();
        assertThat(update.providerDetails()).containsEntry("idvUrl", URL)
                .containsEntry("identityVerificationStatus", "Active");
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
