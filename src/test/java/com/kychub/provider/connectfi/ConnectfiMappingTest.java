package com.kychub.provider.connectfi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.KycProperties;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.CaseUpdate;
import com.kychub.canonical.CheckResult;
import com.kychub.canonical.NextAction;
import com.kychub.canonical.ProviderAction;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.support.RouteFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Connect Financial tables against provider doc 001, with the doc's own example bodies, decided as the hub decides
 * them: through {@code routes/connectfi-status.camel.yaml}, in a Camel context of its own.
 */
class ConnectfiMappingTest {

    private static RouteFiles routes;

    @BeforeAll
    static void startTheStatusRoutes() throws Exception {
        routes = RouteFiles.start("connectfi-status");
    }

    @AfterAll
    static void stopTheStatusRoutes() {
        routes.close();
    }

    private static final KycProperties.Actions ALL = new KycProperties.Actions(true, true, true, true, true);
    private static final KycProperties.Actions NONE = new KycProperties.Actions(false, false, false, false, false);

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "START_KYC,         NOT_STARTED,     START_KYC",
            "COMPLETE_SDK_FLOW, ACTION_REQUIRED, COMPLETE_VERIFICATION",
            "UPLOAD_DOCUMENT,   ACTION_REQUIRED, PROVIDE_DOCUMENT",
            "UPDATE_PROFILE,    ACTION_REQUIRED, UPDATE_PROFILE",
            "RERUN_KYC,         ACTION_REQUIRED, RESTART_KYC",
            "WAIT,              IN_REVIEW,       WAIT",
            "CONTACT_SUPPORT,   ERROR,           CONTACT_SUPPORT"})
    void everyNextActionHasOneCanonicalMeaningWhenTheHubDoesNotAct(String nextAction, CaseStatus status,
                                                                    NextAction canonical) {
        CaseUpdate update = map("{\"isCompliant\":false,\"onboardingStatus\":\"PROCESSING\",\"nextAction\":\""
                + nextAction + "\",\"checks\":[]}", context(NONE, Set.of(), Map.of()));

        assertThat(update.status()).isEqualTo(status);
        assertThat(update.nextAction()).isEqualTo(canonical);
        assertThat(update.actions()).isEmpty();
        assertThat(update.authoritative()).isTrue();
    }

    /**
     * connectfi-check: one failed check of each type of the doc's "Check Types" table, under the next action its fix
     * belongs to, with the hub holding every profile field and document: the call the hub makes, or none.
     */
    @ParameterizedTest
    @CsvSource({
            "KYC_DATA_PRESENT,           UPDATE_PROFILE,  UPDATE_PROFILE:kyc:42,              kyc",
            "REGISTRATION_ADDRESS,       UPDATE_PROFILE,  UPDATE_PROFILE:mainAddress:42,      mainAddress",
            "TAX_COUNTRY,                UPDATE_PROFILE,  UPDATE_PROFILE:nationality:42,      nationality",
            "OCCUPATION,                 UPDATE_PROFILE,  UPDATE_PROFILE:occupation:42,       occupation",
            "DOC_SOURCE_OF_FUNDS,        UPLOAD_DOCUMENT, UPLOAD_DOCUMENT:SOURCE_OF_FUNDS:1,",
            "DOC_FATCA,                  UPLOAD_DOCUMENT, UPLOAD_DOCUMENT:W9:2,",
            "DOC_BIOMETRIC_REPORT,       UPLOAD_DOCUMENT, UPLOAD_DOCUMENT:BIOMETRIC_REPORT:4,",
            "DOC_PROOF_OF_ADDRESS,       UPLOAD_DOCUMENT, UPLOAD_DOCUMENT:PROOF_OF_ADDRESS:5,",
            "KYC_STARTED,                UPDATE_PROFILE,  ,",
            "SDK_VERIFICATION_COMPLETED, UPLOAD_DOCUMENT, ,",
            "KYC_STATUS,                 UPLOAD_DOCUMENT, ,"})
    void eachFailedCheckTypeTakesItsOwnPath(String checkType, String nextAction, String call, String field) {
        CaseUpdate update = map("{\"isCompliant\":false,\"nextAction\":\"" + nextAction + "\",\"checks\":[{\"type\":\""
                + checkType + "\",\"passed\":false,\"required\":true,\"suggestedAction\":\"" + nextAction + "\"}]}",
                context(ALL, Set.of("mainAddress", "nationality", "occupation"), Map.of("SOURCE_OF_FUNDS", 1L, "W9", 2L,
                        "W8BEN", 3L, "BIOMETRIC_REPORT", 4L, "PROOF_OF_ADDRESS", 5L)));

        if (call == null) {
            assertThat(update.actions()).isEmpty();
            assertThat(update.status()).isEqualTo(CaseStatus.ACTION_REQUIRED);
        } else {
            assertThat(update.actions()).singleElement().satisfies(action -> {
                assertThat(action.name()).isEqualTo(call);
                if (field != null) {
                    assertThat(action.payload()).containsEntry("fields", List.of(field));
                }
            });
            assertThat(update.status()).isEqualTo(CaseStatus.IN_PROGRESS);
        }
    }

    @Test
    void compliantWithNoNextActionIsApprovedAndPollingStops() {
        CaseUpdate update = map("{\"isCompliant\":true,\"onboardingStatus\":\"APPROVED\",\"nextAction\":null,"
                + "\"checks\":[{\"type\":\"KYC_STATUS\",\"passed\":true,\"required\":true}]}", context(ALL, Set.of(), Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.APPROVED);
        assertThat(update.nextAction()).isEqualTo(NextAction.NONE);
        assertThat(update.pollEvery()).isNull();
        assertThat(update.reasons()).isEmpty();
    }

    @Test
    void deniedComplianceIsFinal() {
        CaseUpdate update = map("{\"isCompliant\":false,\"onboardingStatus\":\"DENIED_COMPLIANCE\","
                + "\"nextAction\":\"CONTACT_SUPPORT\",\"checks\":[{\"type\":\"KYC_STATUS\",\"passed\":false,"
                + "\"required\":true,\"suggestedAction\":\"CONTACT_SUPPORT\"}]}", context(ALL, Set.of(), Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.REJECTED_FINAL);
        assertThat(update.nextAction()).isEqualTo(NextAction.CONTACT_SUPPORT);
        assertThat(update.reasons()).startsWith("DENIED_COMPLIANCE");
        assertThat(update.pollEvery()).isNull();
    }

    /**
     * A status pulled after CUSTOMER_KYC_FINISHED, read against the webhook's {@code status} (the doc's APPROVED and
     * DENIED_COMPLIANCE, a value it does not list, none): the pull decides; anything but agreement is the first reason.
     */
    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "APPROVED,          APPROVED,          APPROVED,       none",
            "DENIED_COMPLIANCE, DENIED_COMPLIANCE, REJECTED_FINAL, none",
            "APPROVED,          PROCESSING,        IN_REVIEW,      'FINISHED_STATUS_DISAGREES:webhook=APPROVED,pull=IN_REVIEW'",
            "DENIED_COMPLIANCE, APPROVED,          APPROVED,       'FINISHED_STATUS_DISAGREES:webhook=DENIED_COMPLIANCE,pull=APPROVED'",
            "APPROVED,          DENIED_COMPLIANCE, REJECTED_FINAL, 'FINISHED_STATUS_DISAGREES:webhook=APPROVED,pull=REJECTED_FINAL'",
            "REJECTED,          APPROVED,          APPROVED,       UNKNOWN_FINISHED_STATUS:REJECTED",
            "none,              APPROVED,          APPROVED,       FINISHED_WITHOUT_STATUS"})
    void aFinishedWebhooksStatusIsReadAgainstThePullWhichDecides(String webhookStatus, String onboardingStatus,
                                                                 CaseStatus status, String flag) {
        String body = switch (onboardingStatus) {
            case "APPROVED" -> "{\"isCompliant\":true,\"onboardingStatus\":\"APPROVED\",\"nextAction\":null,"
                    + "\"checks\":[{\"type\":\"KYC_STATUS\",\"passed\":true,\"required\":true}]}";
            case "DENIED_COMPLIANCE" -> "{\"isCompliant\":false,\"onboardingStatus\":\"DENIED_COMPLIANCE\","
                    + "\"nextAction\":\"CONTACT_SUPPORT\",\"checks\":[{\"type\":\"KYC_STATUS\",\"passed\":false,"
                    + "\"required\":true,\"suggestedAction\":\"CONTACT_SUPPORT\"}]}";
            default -> "{\"isCompliant\":false,\"onboardingStatus\":\"PROCESSING\",\"nextAction\":\"WAIT\","
                    + "\"checks\":[{\"type\":\"KYC_STATUS\",\"passed\":false,\"required\":true}]}";
        };
        CaseUpdate update = map(body, new ConnectfiContext("onb-1", "c-1", "cf-1", "onb-1", Set.of(), Map.of(), 42L,
                Map.of(), "CUSTOMER_KYC_FINISHED", webhookStatus, false, ALL, Duration.ofMinutes(1)));

        assertThat(update.status()).isEqualTo(status);
        assertThat(update.providerEvent()).isEqualTo("CUSTOMER_KYC_FINISHED");
        if (flag == null) {
            assertThat(update.reasons()).noneMatch(reason -> reason.contains("FINISHED"));
        } else {
            assertThat(update.reasons()).first().isEqualTo(flag);
        }
        assertThat(update.providerDetails().get("finishedStatus")).isEqualTo(webhookStatus);
    }

    @Test
    void theWebhooksStatusIsReadOnlyForFinished() {
        CaseUpdate update = map("{\"isCompliant\":false,\"onboardingStatus\":\"PROCESSING\",\"nextAction\":\"WAIT\","
                + "\"checks\":[]}", new ConnectfiContext("onb-1", "c-1", "cf-1", "onb-1", Set.of(), Map.of(), 42L,
                Map.of(), "CUSTOMER_KYC_SDK_FLOW_COMPLETED", "APPROVED", false, ALL, Duration.ofMinutes(1)));

        assertThat(update.status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThat(update.reasons()).isEmpty();
        assertThat(update.providerDetails()).doesNotContainKey("finishedStatus");
    }

    @Test
    void theDocsExampleWithALiteralEllipsisIsReadAndItsSummaryIgnored() throws IOException {
        CaseUpdate update = map(fixture("status-doc-response-structure.json"), context(NONE, Set.of(), Map.of()));

        assertThat(update.checks()).extracting(CheckResult::name).containsExactly("KYC_STATUS", "DOC_SOURCE_OF_FUNDS");
        // The doc's summary says 8 passed, 2 failed for two listed checks: reasons come from the checks.
        assertThat(update.reasons()).contains("KYC_STATUS", "DOC_SOURCE_OF_FUNDS");
        assertThat(update.nextAction()).isEqualTo(NextAction.PROVIDE_DOCUMENT);
        assertThat(update.reasons()).contains("MISSING_DOCUMENT:SOURCE_OF_FUNDS");
    }

    @Test
    void theExternalKycExampleUploadsWhatTheHubHoldsAndAsksForTheRest() throws IOException {
        CaseUpdate update = map(fixture("status-external-upload.json"),
                context(ALL, Set.of(), Map.of("BIOMETRIC_REPORT", 7L, "W8BEN", 9L)));

        assertThat(update.status()).isEqualTo(CaseStatus.ACTION_REQUIRED);
        assertThat(update.nextAction()).isEqualTo(NextAction.PROVIDE_DOCUMENT);
        assertThat(update.actions()).extracting(ProviderAction::name)
                .containsExactly("UPLOAD_DOCUMENT:BIOMETRIC_REPORT:7", "UPLOAD_DOCUMENT:W8BEN:9");
        assertThat(update.reasons()).contains("MISSING_DOCUMENT:SOURCE_OF_FUNDS");
        CheckResult sdk = update.checks().stream().filter(c -> c.name().equals("SDK_VERIFICATION_COMPLETED"))
                .findFirst().orElseThrow();
        assertThat(sdk.passed()).isTrue();
        assertThat(sdk.required()).isFalse();
        // suggestedAction is absent on passed checks, present on failed ones.
        assertThat(sdk.detail()).doesNotContainKey("suggestedAction");
    }

    @Test
    void withEveryDocumentHeldTheHubUploadsAndTheCaseWaits() throws IOException {
        CaseUpdate update = map(fixture("status-external-upload.json"), context(ALL, Set.of(),
                Map.of("BIOMETRIC_REPORT", 1L, "SOURCE_OF_FUNDS", 2L, "W9", 3L)));

        assertThat(update.status()).isEqualTo(CaseStatus.IN_PROGRESS);
        assertThat(update.nextAction()).isEqualTo(NextAction.WAIT);
        assertThat(update.actions()).hasSize(3);
    }

    /**
     * Each field the failed checks ask for is one PATCH, named by the field and the profile's version: a field is sent
     * once per version of the profile, and one asked for later under the same version is sent too.
     */
    @Test
    void updateProfilePatchesExactlyTheFieldsTheFailedChecksAskForEachOncePerProfileVersion() throws IOException {
        CaseUpdate update = map(fixture("status-update-profile.json"),
                context(ALL, Set.of("mainAddress", "occupation", "nationality"), Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.IN_PROGRESS);
        assertThat(update.actions()).extracting(ProviderAction::name)
                .containsExactly("UPDATE_PROFILE:mainAddress:42", "UPDATE_PROFILE:occupation:42");
        assertThat(update.actions()).extracting(action -> action.payload().get("fields"))
                .containsExactly(List.of("mainAddress"), List.of("occupation"));
        assertThat(update.actions()).allSatisfy(action -> assertThat(action.payload()).containsEntry("version", 42L));
    }

    /** When KYC_DATA_PRESENT asks for the whole kyc object, that one PATCH carries every field. */
    @Test
    void theWholeKycObjectCoversTheFieldsAskedBesideIt() {
        CaseUpdate update = map("{\"isCompliant\":false,\"nextAction\":\"UPDATE_PROFILE\",\"checks\":["
                + "{\"type\":\"OCCUPATION\",\"passed\":false,\"required\":true,\"suggestedAction\":\"UPDATE_PROFILE\"},"
                + "{\"type\":\"KYC_DATA_PRESENT\",\"passed\":false,\"required\":true,\"suggestedAction\":\"UPDATE_PROFILE\"}]}",
                context(ALL, Set.of("occupation"), Map.of()));

        assertThat(update.actions()).extracting(ProviderAction::name).containsExactly("UPDATE_PROFILE:kyc:42");
    }

    @Test
    void updateProfileWithoutTheDataAsksTheFintechForIt() throws IOException {
        CaseUpdate update = map(fixture("status-update-profile.json"), context(ALL, Set.of("mainAddress"), Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.ACTION_REQUIRED);
        assertThat(update.nextAction()).isEqualTo(NextAction.UPDATE_PROFILE);
        assertThat(update.reasons()).contains("MISSING_PROFILE_FIELD:occupation");
        assertThat(update.actions()).isEmpty();
    }

    @Test
    void missingKycDataAsksForPersonalData() {
        CaseUpdate update = map("{\"isCompliant\":false,\"nextAction\":\"UPDATE_PROFILE\",\"checks\":[{\"type\":"
                + "\"KYC_DATA_PRESENT\",\"passed\":false,\"required\":true,\"suggestedAction\":\"UPDATE_PROFILE\"}]}",
                context(ALL, Set.of(), Map.of()));

        assertThat(update.nextAction()).isEqualTo(NextAction.PROVIDE_PERSONAL_DATA);
    }

    @Test
    void underManualReviewTheCaseIsInReviewNotActionRequired() {
        CaseUpdate update = map("{\"isCompliant\":false,\"onboardingStatus\":\"PROCESSING\",\"nextAction\":\"WAIT\","
                + "\"checks\":[{\"type\":\"SDK_VERIFICATION_COMPLETED\",\"passed\":false,\"required\":true},"
                + "{\"type\":\"KYC_STATUS\",\"passed\":false,\"required\":true}]}", context(ALL, Set.of(), Map.of()));

        assertThat(update.status()).isEqualTo(CaseStatus.IN_REVIEW);
        assertThat(update.nextAction()).isEqualTo(NextAction.WAIT);
    }

    @Test
    void startKycAndRerunAreTakenByTheHubWhenAllowed() {
        CaseUpdate start = map("{\"isCompliant\":false,\"nextAction\":\"START_KYC\",\"checks\":[]}",
                context(ALL, Set.of(), Map.of()));
        CaseUpdate rerun = map("{\"isCompliant\":false,\"nextAction\":\"RERUN_KYC\",\"checks\":[]}",
                context(ALL, Set.of(), Map.of()));

        assertThat(start.actions()).extracting(ProviderAction::name).containsExactly("START_KYC");
        assertThat(rerun.actions()).extracting(ProviderAction::name).containsExactly("RERUN_KYC:onb-1");
        assertThat(start.status()).isEqualTo(CaseStatus.IN_PROGRESS);
    }

    @Test
    void anUnknownCheckTypeIsKeptAndFlagged() {
        CaseUpdate update = map("{\"isCompliant\":false,\"nextAction\":\"WAIT\",\"checks\":[{\"type\":\"PEP_SCREENING\","
                + "\"passed\":true,\"required\":true}]}", context(ALL, Set.of(), Map.of()));

        assertThat(update.checks()).singleElement().satisfies(check -> {
            assertThat(check.name()).isEqualTo("PEP_SCREENING");
            assertThat(check.detail()).containsEntry("flag", "unknown check type");
        });
        assertThat(update.reasons()).contains("UNKNOWN_CHECK_TYPE:PEP_SCREENING");
    }

    @Test
    void anUnknownNextActionOrAMissingOneIsNeverGuessed() {
        assertThatThrownBy(() -> map("{\"isCompliant\":false,\"nextAction\":\"CALL_US\",\"checks\":[]}",
                context(ALL, Set.of(), Map.of()))).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("CALL_US");
        assertThatThrownBy(() -> map("{\"isCompliant\":false,\"nextAction\":null,\"checks\":[]}",
                context(ALL, Set.of(), Map.of()))).isInstanceOf(UnmappableMessageException.class);
    }

    @Test
    void theTablesCoverTheDocsElevenCheckTypesAndSevenActions() {
        assertThat(ConnectfiMapping.CHECK_TYPES).hasSize(11);
        assertThat(ConnectfiMapping.NEXT_ACTIONS).hasSize(7);
        assertThat(ConnectfiMapping.EVENTS).contains("CUSTOMER_KYC_SDK_FLOW_COMPLETED", "CUSTOMER_KYC_SDK_FLOW_DONE");
    }

    private CaseUpdate map(String body, ConnectfiContext context) {
        ConnectfiVerdict verdict = ConnectfiMapping.read(ConnectfiProcess.parseStatus(json, body), context);
        return routes.request("direct:connectfi-status", verdict, CaseUpdate.class);
    }

    private static ConnectfiContext context(KycProperties.Actions actions, Set<String> profile,
                                            Map<String, Long> documents) {
        return new ConnectfiContext("onb-1", "c-1", "cf-1", "onb-1", profile, documents, 42L, Map.of(), null, null,
                false, actions, Duration.ofMinutes(1));
    }

    private String fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/connectfi/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
