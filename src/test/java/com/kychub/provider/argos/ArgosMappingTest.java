package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.CaseView;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.RiskSignal;
import com.kychub.canonical.UnmappableMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ARGOS tables against provider doc 002, payload by payload (fixtures built from the doc's tables). */
class ArgosMappingTest {

    private static final String SUBMISSION = "c5b6a1e2-8f3d-4b7a-9e21-6d4f0a7b3c19";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theTablesCoverExactlyTheDocumentedValues() {
        assertThat(ArgosMapping.TRIGGERS).containsOnlyKeys("submit", "approved", "rejected", "updated", "aml",
                "delete", "injection", "injectionFail", "created", "retry", "aml_monitor");
        assertThat(ArgosMapping.RESULT_SPELLINGS).containsOnlyKeys("pending", "approved", "rejected", "reject");
        assertThat(ArgosMapping.STATUSES).containsOnlyKeys("pending", "approved", "rejected");
        assertThat(ArgosMapping.AML_STATUSES).containsOnlyKeys("not screened", "red flag");
        assertThat(ArgosMapping.AML_RISK_LEVELS).containsOnlyKeys("not screened", "high", "medium", "low");
    }

    @Test
    void onlyARedFlagOrAHighRiskLevelIsAnAmlHit() {
        assertThat(ArgosMapping.AML_STATUSES).containsEntry("red flag", true).containsEntry("not screened", false);
        assertThat(ArgosMapping.AML_RISK_LEVELS).containsEntry("high", true).containsEntry("medium", false)
                .containsEntry("low", false).containsEntry("not screened", false);
    }

    @ParameterizedTest
    @CsvSource({
            "submit.json,   IN_REVIEW, WAIT,        pending",
            "approved.json, APPROVED,  NONE,        approved",
            "rejected.json, REJECTED,  RESTART_KYC, rejected"})
    void theResultTriggersOpenTheCaseWithTheirStatus(String fixture, CaseStatus status, NextAction nextAction,
                                                     String providerStatus) throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture(fixture), null);

        assertThat(update.provider()).isEqualTo("argos");
        assertThat(update.providerRef()).isEqualTo(SUBMISSION);
        assertThat(update.customerId()).isEqualTo("fintech-user-8841");
        assertThat(update.status()).isEqualTo(status);
        assertThat(update.nextAction()).isEqualTo(nextAction);
        assertThat(update.providerStatus()).isEqualTo(providerStatus);
        assertThat(update.providerEvent()).isEqualTo(fixture.replace(".json", ""));
        assertThat(update.authoritative()).isFalse();
    }

    @Test
    void submitIsDatedByWhenTheSubmissionWasMade() throws IOException {
        assertThat(ArgosMapping.toCanonical(fixture("submit.json"), null).occurredAt())
                .isEqualTo(Instant.parse("2024-03-04T09:12:45Z"));
    }

    @Test
    void approvedKeepsArgosIdentifiersAndTimesButNoPersonalData() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("approved.json"), null);

        assertThat(update.occurredAt()).isEqualTo(Instant.parse("2024-03-04T09:30:02Z"));
        assertThat(update.reasons()).isEmpty();
        assertThat(update.providerDetails()).containsEntry("applicantId", "APL-20240304-0042")
                .containsEntry("tokenId", "tok-4f2e9a")
                .containsEntry("lastTrigger", "approved");
        assertThat(update.providerDetails().get("kycResult")).isEqualTo(Map.of("status", "approved",
                "updatedAt", "2024-03-04 09:30:02", "createdAt", "2024-03-04 09:12:45",
                "kycResultAt", "2024-03-04 09:30:02", "pendingAt", "2024-03-04 09:12:45", "reviewer", "agent"));
        assertThat(json.writeValueAsString(List.of(update.providerDetails(), update.reasons(), update.checks())))
                .doesNotContain("KIM MINJI", "1990-07-15", "M70123456",
                "900715-2345678", "minji.kim@example.com", "203.0.113.45", "loyalty-tier-gold", "Software engineer");
    }

    @Test
    void rejectedGivesItsCommentCodeAsReasonAndKeepsTheCommentInTheDetails() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("rejected.json"), null);

        assertThat(update.status()).isEqualTo(CaseStatus.REJECTED);
        // Reasons reach the audit trail: no free text there.
        assertThat(update.reasons()).containsExactly("DOC_EXPIRED");
        assertThat(update.providerDetails().get("kycResult").toString()).contains("The identity document has expired.");
        assertThat(update.providerStatus()).isEqualTo("rejected");
    }

    @Test
    void aCommentAsPlainTextIsNoReason() {
        CaseUpdate update = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "rejected",
                "submission_id", "s-1", "kyc_result", Map.of("status", "rejected", "comment", "Blurry photo"))), null);

        assertThat(update.reasons()).isEmpty();
        assertThat(update.providerDetails().get("kycResult").toString()).contains("Blurry photo");
    }

    @Test
    void theOtherSpellingsOfTheDocAreRead() throws IOException {
        ArgosEvent event = fixture("approved-other-spellings.json");
        CaseUpdate update = ArgosMapping.toCanonical(event, null);

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.occurredAt()).isEqualTo(Instant.parse("2024-03-04T09:30:02Z"));
        Map<String, Object> personal = ArgosMapping.personalData(event);
        assertThat(personal.get("cf")).isEqualTo(json.readTree(
                "{\"cf1\":\"loyalty-tier-gold\",\"cf2\":\"ref-77120\",\"cf3\":\"campaign-spring\"}"));
        assertThat(personal.get("additionalList")).isEqualTo(json.readTree(
                "{\"answer\":\"Occupation\",\"inputValue\":\"Software engineer\",\"blockType\":\"text\"}"));
        // addtional_list (approved) and additional_list (updated): both spellings read, neither dropped.
        JsonNode occupation = json.readTree(
                "[{\"answer\":\"Occupation\",\"inputValue\":\"Software engineer\",\"blockType\":\"text\"}]");
        assertThat(ArgosMapping.personalData(fixture("approved.json")).get("additionalList")).isEqualTo(occupation);
        assertThat(ArgosMapping.personalData(fixture("updated.json")).get("additionalList")).isEqualTo(occupation);
    }

    @Test
    void aKycResultGivenAsBareTextIsRead() {
        CaseUpdate update = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "approved",
                "submission_id", "s-1", "kyc_result", "approved")), null);

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.providerDetails().get("kycResult")).isEqualTo(Map.of("status", "approved"));
    }

    @Test
    void approvedOrRejectedWithAContradictingResultIsNeverGuessed() {
        assertThatThrownBy(() -> ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "approved",
                "submission_id", "s-1", "kyc_result", Map.of("status", "rejected"))), null))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("contradicts");
        assertThatThrownBy(() -> ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "rejected",
                "submission_id", "s-1", "kyc_result", Map.of("status", "on hold"))), null))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("'on hold'");
    }

    @Test
    void updatedWithAChangedResultChangesTheStatusAtItsUpdateTime() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("updated.json"), approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.REJECTED);
        assertThat(update.providerStatus()).isEqualTo("rejected");
        assertThat(update.occurredAt()).isEqualTo(Instant.parse("2024-03-05T02:00:00Z"));
        // Ordered by that time like any result: the store finds an older one stale.
        assertThat(update.authoritative()).isFalse();
        assertThat(update.providerDetails().get("lastUpdate")).isEqualTo(Map.of("fields", List.of("kyc_result"),
                "admin", "compliance-lead@fintech.example", "updateTime", "2024-03-05T02:00:00Z"));
    }

    @Test
    void updatedOfOtherFieldsKeepsTheStatus() {
        CaseUpdate update = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "updated",
                "submission_id", SUBMISSION, "update_time", "2024-03-05T02:00:00Z",
                "data", Map.of("update", List.of("fullName"), "kyc_result", "approved"), "fullName", "KIM MIN-JI")),
                approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.occurredAt()).isNull();
        assertThat(update.authoritative()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"updated_at", "update_at", "updatedAt"})
    void aDecisionWithoutUpdateTimeIsDatedByItsKycResultsTime(String spelling) {
        CaseUpdate update = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "updated",
                "submission_id", SUBMISSION, "data", Map.of("update", List.of("kyc_result"),
                        "kyc_result", Map.of("status", "rejected", spelling, "2024-03-05 02:00:00")))),
                approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.REJECTED);
        assertThat(update.occurredAt()).isEqualTo(Instant.parse("2024-03-05T02:00:00Z"));
        assertThat(update.authoritative()).isFalse();
    }

    @Test
    void kycStatusInTheUpdatedFieldsIsTheResultChanging() {
        // The newer doc lists "kycStatus" in data.update: the same result set again is still a decision.
        CaseUpdate update = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "updated",
                "submission_id", SUBMISSION, "update_time", "2024-03-05T02:00:00Z",
                "data", Map.of("update", List.of("kycStatus"), "kyc_result", "approved"))),
                approvedCase(Map.of("aml", Map.of("currentstatus", "Red Flag", "hold", true))));

        assertThat(update.occurredAt()).isEqualTo(Instant.parse("2024-03-05T02:00:00Z"));
        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.reasons()).isEmpty();
    }

    @Test
    void aDecisionThatCannotBeOrderedIsNeverGuessedToBeTheNewest() {
        assertThatThrownBy(() -> ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "updated",
                "submission_id", SUBMISSION, "update_time", "{update_time}",
                "data", Map.of("update", List.of("kyc_result"), "kyc_result", "rejected"))), approvedCase(Map.of())))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("cannot be ordered");
    }

    @Test
    void updatedListingKycResultWithoutOneIsNeverGuessed() {
        assertThatThrownBy(() -> ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "updated",
                "submission_id", SUBMISSION, "data", Map.of("update", List.of("kyc_result")))), approvedCase(Map.of())))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("data.kyc_result");
    }

    @Test
    void anAmlRedFlagPutsAnApprovedCaseBackInReview() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("aml.json"), approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThat(update.nextAction()).isEqualTo(NextAction.WAIT);
        assertThat(update.reasons()).containsExactly("AML_RED_FLAG");
        assertThat(update.providerStatus()).isEqualTo("approved");
        assertThat(update.authoritative()).isTrue();
        assertThat(update.occurredAt()).isNull();
        CheckResult check = new CheckResult("AML", false, true, Map.of("currentstatus", "Red Flag",
                "riskLevelSummary", "HIGH", "trigger", "aml", "riskSignal", "AML"));
        assertThat(update.checks()).containsExactly(check);
        assertThat(RiskSignal.isOpen(check)).isTrue();
    }

    @Test
    void notScreenedIsRecordedAndKeepsTheApproval() {
        CaseUpdate update = ArgosMapping.toCanonical(aml("Not Screened", "Not Screened"), approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.reasons()).isEmpty();
        assertThat(update.authoritative()).isFalse();
        assertThat(update.checks()).containsExactly(new CheckResult("AML", false, false, Map.of(
                "currentstatus", "Not Screened", "riskLevelSummary", "Not Screened", "trigger", "aml",
                "riskSignal", "AML")));
    }

    @ParameterizedTest
    @CsvSource({
            "Red Flag,     LOW,    IN_REVIEW, AML_RED_FLAG",
            "Red Flag,     MEDIUM, IN_REVIEW, AML_RED_FLAG",
            "Not Screened, HIGH,   IN_REVIEW, AML_RISK_HIGH",
            "Not Screened, MEDIUM, APPROVED,",
            "Not Screened, LOW,    APPROVED,"})
    void aRedFlagOrAHighRiskLevelHoldsAnApprovalAndTheLevelIsKeptOnTheCheck(String currentStatus, String level,
                                                                             CaseStatus status, String reason) {
        CaseUpdate update = ArgosMapping.toCanonical(aml(currentStatus, level), approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(status);
        assertThat(update.reasons()).isEqualTo(reason == null ? List.of() : List.of(reason));
        assertThat(update.checks()).singleElement().satisfies(check -> {
            assertThat(check.detail()).containsEntry("riskLevelSummary", level);
            assertThat(check.required()).isEqualTo(status == CaseStatus.IN_REVIEW);
        });
    }

    @Test
    void notScreenedNeverClearsARedFlagOnlyADashboardDecisionDoes() throws IOException {
        CaseUpdate flagged = ArgosMapping.toCanonical(fixture("aml.json"), approvedCase(Map.of()));
        CaseUpdate notScreened = ArgosMapping.toCanonical(aml("Not Screened", "LOW"), snapshotOf(flagged));

        assertThat(notScreened.status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThat(notScreened.reasons()).containsExactly("AML_RED_FLAG");
        assertThat(notScreened.checks()).singleElement().satisfies(check -> {
            assertThat(check.required()).isTrue();
            assertThat(check.detail()).containsEntry("currentstatus", "Red Flag")
                    .containsEntry("riskLevelSummary", "HIGH")
                    .containsEntry("latest", Map.of("currentstatus", "Not Screened", "riskLevelSummary", "LOW",
                            "trigger", "aml"));
        });

        CaseUpdate decided = ArgosMapping.toCanonical(dashboard("approved", "2024-03-05T02:00:00Z"),
                snapshotOf(notScreened));
        assertThat(decided.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(decided.reasons()).isEmpty();
        assertThat(decided.checks()).singleElement().satisfies(check -> {
            assertThat(check.required()).isFalse();
            assertThat(RiskSignal.isOpen(check)).isFalse();
            assertThat(check.detail()).containsEntry("closedAt", "2024-03-05T02:00:00Z")
                    .containsEntry("riskSignal", "AML");
        });
    }

    @Test
    void amlMonitorKeepsTheDocumentedWorklistRecordsAndDecidesNothingWithoutAResult() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("aml_monitor.json"), approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.reasons()).isEmpty();
        assertThat(update.checks()).isEmpty();
        assertThat(update.authoritative()).isFalse();
        assertThat(update.providerDetails().get("amlMonitoring")).isEqualTo(Map.of("records", List.of(
                Map.of("recordId", "rec-7Qm2", "worklistId", "wl-kyc-standard", "createdAt", "2024-04-01 00:00:05"),
                Map.of("recordId", "rec-9Xa1", "worklistId", "wl-pep", "createdAt", "2024-04-01 00:00:06"))));
        assertThat(json.writeValueAsString(update.providerDetails())).doesNotContain("minji.kim@example.com",
                "loyalty-tier-gold");
    }

    @Test
    void amlMonitorRecordsThatAreNotObjectsAreSkipped() {
        CaseUpdate update = ArgosMapping.toCanonical(json.convertValue(json.createObjectNode()
                .put("webhook_trigger", "aml_monitor").put("submission_id", SUBMISSION)
                .set("records", json.createArrayNode().addNull().add(json.createObjectNode().put("recordId", "r-1"))),
                ArgosEvent.class), approvedCase(Map.of()));

        assertThat(update.providerDetails().get("amlMonitoring"))
                .isEqualTo(Map.of("records", List.of(Map.of("recordId", "r-1"))));
    }

    @Test
    void aNewHitFromOngoingMonitoringReopensReviewAfterADecision() throws IOException {
        CaseUpdate flagged = ArgosMapping.toCanonical(fixture("aml.json"), approvedCase(Map.of()));
        CaseUpdate decided = ArgosMapping.toCanonical(dashboard("approved", "2024-03-05T02:00:00Z"),
                snapshotOf(flagged));
        assertThat(decided.status()).isEqualTo(CaseStatus.APPROVED);

        ObjectNode monitor = (ObjectNode) json.readTree(getClass().getResourceAsStream("/fixtures/argos/aml_monitor.json"));
        monitor.putObject("aml_result").put("currentstatus", "Red Flag").put("risk_level_summary", "MEDIUM");
        CaseUpdate hit = ArgosMapping.toCanonical(json.treeToValue(monitor, ArgosEvent.class), snapshotOf(decided));

        assertThat(hit.status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThat(hit.reasons()).containsExactly("AML_RED_FLAG");
        assertThat(hit.authoritative()).isTrue();
        assertThat(hit.checks()).containsExactly(new CheckResult("AML", false, true, Map.of(
                "currentstatus", "Red Flag", "riskLevelSummary", "MEDIUM", "trigger", "aml_monitor",
                "riskSignal", "AML")));

        monitor.putObject("aml_result").put("currentstatus", "Not Screened").put("risk_level_summary", "LOW");
        CaseUpdate quiet = ArgosMapping.toCanonical(json.treeToValue(monitor, ArgosEvent.class), snapshotOf(hit));
        assertThat(quiet.status()).isEqualTo(CaseStatus.IN_REVIEW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HIGH", "MEDIUM", "LOW", "high", "Not Screened"})
    void everyDocumentedRiskLevelIsRead(String level) {
        assertThat(ArgosMapping.toCanonical(aml("Red Flag", level), approvedCase(Map.of())).checks()).hasSize(1);
    }

    @Test
    void unknownAmlValuesAreNeverGuessed() {
        assertThatThrownBy(() -> ArgosMapping.toCanonical(aml("Clear", "LOW"), approvedCase(Map.of())))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("currentstatus 'Clear'");
        assertThatThrownBy(() -> ArgosMapping.toCanonical(aml("Red Flag", "SEVERE"), approvedCase(Map.of())))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("'SEVERE'");
        assertThatThrownBy(() -> ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "aml",
                "submission_id", SUBMISSION)), approvedCase(Map.of())))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("aml_result");
    }

    @Test
    void aRedFlagHoldsALaterDeliveredApprovalAndADashboardDecisionReleasesIt() throws IOException {
        // The screening came first (out of order): the trigger table says aml means Approved.
        CaseUpdate aml = ArgosMapping.toCanonical(fixture("aml.json"), null);
        assertThat(aml.status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThat(aml.providerStatus()).isEqualTo("approved");

        CaseUpdate approved = ArgosMapping.toCanonical(fixture("approved.json"), snapshotOf(aml));
        assertThat(approved.status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThat(approved.reasons()).containsExactly("AML_RED_FLAG");

        CaseUpdate dashboard = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "updated",
                "submission_id", SUBMISSION, "update_time", "2024-03-05T02:00:00Z",
                "data", Map.of("update", List.of("kyc_result"), "kyc_result", Map.of("status", "approved")))),
                snapshotOf(approved));
        assertThat(dashboard.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(dashboard.reasons()).isEmpty();
    }

    @Test
    void aDataInjectionIsDataAddedToTheSubmissionNotASignal() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("injection.json"), approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.reasons()).isEmpty();
        assertThat(update.authoritative()).isFalse();
        CheckResult check = new CheckResult("INJECTION", true, false,
                Map.of("type", "address", "createdAt", "2024-03-04 09:13:10", "kycStatus", "approved"));
        assertThat(update.checks()).containsExactly(check);
        assertThat(RiskSignal.of(check)).isEmpty();
    }

    @Test
    void aFailedDataInjectionIsItsOwnFraudSignalAndKeepsTheStatus() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("injection-fail.json"), approvedCase(Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.providerStatus()).isEqualTo("approved");
        assertThat(update.reasons()).containsExactly("INJECTION_FAIL:distanceChecks_ipGeo");
        assertThat(update.authoritative()).isTrue();
        assertThat(update.occurredAt()).isNull();
        CheckResult check = new CheckResult("INJECTION_FAIL", false, true, Map.of("type", "address",
                "createdAt", "2024-03-04-09-13-10-000", "failCode", "distanceChecks_ipGeo", "kycStatus", "approved",
                "riskSignal", "FRAUD"));
        assertThat(update.checks()).containsExactly(check);
        assertThat(RiskSignal.isOpen(check)).isTrue();
        assertThat(update.providerDetails().toString()).doesNotContain("duplicated");
    }

    @Test
    void aFailedInjectionStaysOpenPastALaterSuccessfulOneUntilADashboardDecision() throws IOException {
        CaseUpdate failed = ArgosMapping.toCanonical(fixture("injection-fail.json"), approvedCase(Map.of()));
        CaseUpdate passed = ArgosMapping.toCanonical(fixture("injection.json"), snapshotOf(failed));

        assertThat(passed.reasons()).containsExactly("INJECTION_FAIL:distanceChecks_ipGeo");
        // Only the check the message is about is written: the failed one stays as it was, open.
        assertThat(passed.checks()).extracting(CheckResult::name, CheckResult::passed, CheckResult::required)
                .containsExactly(tuple("INJECTION", true, false));
        assertThat(passed.providerDetails().get("injectionFail")).asInstanceOf(
                MAP).containsEntry("open", true);

        CaseUpdate decided = ArgosMapping.toCanonical(dashboard("approved", "2024-03-05T02:00:00Z"),
                snapshotOf(passed));
        assertThat(decided.reasons()).isEmpty();
        assertThat(decided.checks()).filteredOn(check -> check.name().equals("INJECTION_FAIL")).singleElement()
                .satisfies(check -> {
                    assertThat(RiskSignal.isOpen(check)).isFalse();
                    assertThat(check.detail()).containsEntry("closedAt", "2024-03-05T02:00:00Z");
                });
    }

    @Test
    void aFailedInjectionKeptTheOldWayIsStillAnOpenSignal() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("approved.json"), approvedCase(Map.of("injection",
                Map.of("trigger", "injectionFail", "type", "address", "kycStatus", "approved"))));

        assertThat(update.providerDetails()).doesNotContainKey("injection");
        assertThat(update.reasons()).containsExactly("INJECTION_FAIL");
        assertThat(update.checks()).singleElement().satisfies(check -> {
            assertThat(check.name()).isEqualTo("INJECTION_FAIL");
            assertThat(RiskSignal.isOpen(check)).isTrue();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"created", "retry", "aml_monitor"})
    void newerTriggersAreRecordedNeverGuessedIntoAStatus(String trigger) {
        CaseUpdate onApproved = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", trigger,
                "submission_id", SUBMISSION)), approvedCase(Map.of()));
        CaseUpdate onNothing = ArgosMapping.toCanonical(event(Map.of("webhook_trigger", trigger,
                "submission_id", SUBMISSION)), null);

        assertThat(onApproved.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(onApproved.providerDetails()).containsEntry("lastTrigger", trigger);
        assertThat(onApproved.checks()).isEmpty();
        assertThat(onNothing.status()).isEqualTo(CaseStatus.NOT_STARTED);
        assertThat(onNothing.nextAction()).isEqualTo(NextAction.NONE);
        assertThat(onNothing.providerStatus()).isNull();
        assertThat(onNothing.customerId()).isEqualTo(SUBMISSION);
    }

    @Test
    void anUnknownTriggerIsNeverGuessed() {
        assertThatThrownBy(() -> ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "suspended",
                "submission_id", SUBMISSION)), null))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("unknown ARGOS webhook_trigger 'suspended'");
        assertThatThrownBy(() -> ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "approved")), null))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("submission_id");
    }

    @Test
    void deleteKeepsTheStatusAndMarksTheCaseErased() throws IOException {
        CaseUpdate update = ArgosMapping.toCanonical(fixture("delete.json"),
                approvedCase(Map.of("applicantId", "APL-1", "email", "leaked@example.com")));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.providerDetails()).containsEntry("erased", Map.of("deleteTime", "2024-03-06 11:00:00"))
                .containsEntry("applicantId", "APL-1")
                .doesNotContainKey("email");
    }

    @Test
    void theCustomerIsTheFintechsUseridElseTheSubmission() throws IOException {
        assertThat(ArgosMapping.toCanonical(fixture("approved.json"), null).customerId())
                .isEqualTo("fintech-user-8841");
        assertThat(ArgosMapping.toCanonical(event(Map.of("webhook_trigger", "submit", "submission_id", "s-9")), null)
                .customerId()).isEqualTo("s-9");
        // A case keeps the customer it was opened for.
        assertThat(ArgosMapping.toCanonical(fixture("approved.json"), approvedCase(Map.of())).customerId())
                .isEqualTo("customer-of-the-case");
    }

    @Test
    void personalDataIsEveryPersonalFieldUnderOneName() throws IOException {
        Map<String, Object> personal = ArgosMapping.personalData(fixture("approved.json"));

        assertThat(personal).containsOnlyKeys("email", "cf", "ageGroup", "gender", "dateOfBirth", "nationality",
                "ipAddress", "fullName", "idType", "issuingCountry", "issueDate", "expireDate", "identityNumber",
                "documentNumber", "additionalList");
        assertThat(personal).containsEntry("fullName", "KIM MINJI").containsEntry("dateOfBirth", "1990-07-15")
                .containsEntry("nationality", "KOR").containsEntry("documentNumber", "M70123456");
        assertThat(ArgosMapping.personalData(fixture("injection.json")).get("cf"))
                .isEqualTo(json.readTree("{\"cf1\":\"loyalty-tier-gold\",\"cf2\":\"ref-77120\",\"cf3\":\"campaign-spring\"}"));
        assertThat(ArgosMapping.personalData(fixture("delete.json"))).isEmpty();
    }

    @Test
    void everySpellingOfEveryPersonalComponentIsAPersonalField() {
        Set<String> personal = Set.of("email", "cf", "cf1", "cf2", "cf3", "ageGroup", "gender", "dateOfBirth",
                "nationality", "ipAddress", "fullName", "idType", "issuingCountry", "issueDate", "expireDate",
                "identityNumber", "documentNumber", "additionalList");
        Set<String> spellings = new HashSet<>();
        for (RecordComponent component : ArgosEvent.class.getRecordComponents()) {
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            JsonAlias alias = component.getAccessor().getAnnotation(JsonAlias.class);
            if (personal.contains(component.getName())) {
                spellings.add(property.value());
                if (alias != null) {
                    spellings.addAll(List.of(alias.value()));
                }
            } else {
                assertThat(ArgosMapping.PERSONAL_FIELDS).as(component.getName()).doesNotContain(property.value());
            }
        }
        assertThat(ArgosMapping.PERSONAL_FIELDS).containsExactlyInAnyOrderElementsOf(spellings);
    }

    @Test
    void scrubbingRemovesEveryPersonalFieldAtAnyDepthAndKeepsTheRest() throws IOException {
        JsonNode body = json.readTree(getClass().getResourceAsStream("/fixtures/argos/approved.json"));
        List<String> removed = new ArrayList<>();

        assertThat(ArgosMapping.scrub(body, removed)).isTrue();
        assertThat(body.toString()).doesNotContain("KIM MINJI", "1990-07-15", "M70123456", "900715-2345678",
                "minji.kim@example.com", "203.0.113.45", "loyalty-tier-gold", "Software engineer", "female");
        assertThat(body.get("submission_id").asText()).isEqualTo(SUBMISSION);
        assertThat(body.get("userid").asText()).isEqualTo("fintech-user-8841");
        assertThat(body.at("/kyc_result/status").asText()).isEqualTo("approved");
        assertThat(removed).contains("KIM MINJI", "Software engineer", "loyalty-tier-gold", "minji.kim@example.com");
        assertThat(ArgosMapping.scrub(json.readTree(getClass().getResourceAsStream("/fixtures/argos/delete.json")),
                new ArrayList<>())).isFalse();
    }

    @Test
    void timesAreReadInEveryLikelyFormAndOtherwiseIgnored() {
        assertThat(ArgosMapping.instant("2024-03-04 09:30:02")).isEqualTo(Instant.parse("2024-03-04T09:30:02Z"));
        assertThat(ArgosMapping.instant("2024-03-04T09:30:02")).isEqualTo(Instant.parse("2024-03-04T09:30:02Z"));
        assertThat(ArgosMapping.instant("2024-03-04T09:30:02.123Z"))
                .isEqualTo(Instant.parse("2024-03-04T09:30:02.123Z"));
        assertThat(ArgosMapping.instant("2024-03-04T18:30:02+09:00")).isEqualTo(Instant.parse("2024-03-04T09:30:02Z"));
        assertThat(ArgosMapping.instant("1709544602")).isEqualTo(Instant.parse("2024-03-04T09:30:02Z"));
        assertThat(ArgosMapping.instant("1709544602000")).isEqualTo(Instant.parse("2024-03-04T09:30:02Z"));
        assertThat(ArgosMapping.instant("{update_at}")).isNull();
        assertThat(ArgosMapping.instant(null)).isNull();
    }

    /** A decision taken in ARGOS's dashboard: {@code updated} setting the KYC result at that time. */
    private ArgosEvent dashboard(String result, String updateTime) {
        return event(Map.of("webhook_trigger", "updated", "submission_id", SUBMISSION, "update_time", updateTime,
                "data", Map.of("update", List.of("kyc_result"), "kyc_result", result)));
    }

    private ArgosEvent aml(String currentStatus, String riskLevel) {
        return event(Map.of("webhook_trigger", "aml", "submission_id", SUBMISSION,
                "aml_result", Map.of("currentstatus", currentStatus, "risk_level_summary", riskLevel)));
    }

    private static CaseView approvedCase(Map<String, Object> details) {
        Instant at = Instant.parse("2024-03-04T09:30:02Z");
        return new CaseView(UUID.randomUUID(), "customer-of-the-case", "argos", SUBMISSION, CaseStatus.APPROVED,
                NextAction.NONE, List.of(), "approved", details, List.of(), at, at);
    }

    /** The case as the store would hold it after the update, read back through JSON as the store reads it. */
    private CaseView snapshotOf(CaseUpdate update) throws IOException {
        Map<String, Object> details = json.readValue(json.writeValueAsString(update.providerDetails()),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        return new CaseView(UUID.randomUUID(), update.customerId(), update.provider(), update.providerRef(),
                update.status(), update.nextAction(), update.reasons(), update.providerStatus(), details, List.of(),
                Instant.now(), Instant.now());
    }

    private ArgosEvent event(Map<String, Object> body) {
        return json.convertValue(body, ArgosEvent.class);
    }

    private ArgosEvent fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/argos/" + name)) {
            return json.readValue(in, ArgosEvent.class);
        }
    }
}
