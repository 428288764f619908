package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ARGOS webhooks, plain (encryption off) and authenticated with the HMAC-SHA256 scheme, through the real HTTP
 * endpoint, the inbox, the worker and PostgreSQL; read back through the hub API and SQL. One trigger after another,
 * with the doc's payloads (fixtures/argos).
 */
class ArgosWebhookIntegrationTest extends ArgosHubTest {

    @Override
    HttpResponse<String> postArgos(String body) {
        return post(PATH, body, Map.of("Content-Type", "application/json",
                "X-Signature", hmacHex(ARGOS_WEBHOOK_SECRET, utf8(body))));
    }

    @Test
    void submitIsPendingReviewAndItsPersonalDataGoesToTheCustomerOnly() {
        HttpResponse<String> answer = postArgos(argosFixture("submit.json", "sub-submit"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(readJson(answer.body()).get("status").asText()).isEqualTo("accepted");

        JsonNode kycCase = awaitCase("sub-submit", "IN_REVIEW");
        assertThat(kycCase.get("nextAction").asText()).isEqualTo("WAIT");
        assertThat(kycCase.get("providerStatus").asText()).isEqualTo("pending");
        assertThat(kycCase.get("customerId").asText()).isEqualTo(USER);
        assertThat(kycCase.at("/providerDetails/tokenId").asText()).isEqualTo("tok-4f2e9a");
        assertThat(events(kycCase).get(0).get("type").asText()).isEqualTo("CASE_OPENED");
        assertThat(events(kycCase).get(0).get("providerEvent").asText()).isEqualTo("submit");

        JsonNode personal = personalData(USER).at("/argos/sub-submit/fields");
        assertThat(personal.get("email").asText()).isEqualTo("minji.kim@example.com");
        assertThat(personal.get("ipAddress").asText()).isEqualTo("203.0.113.45");
        assertThat(personal.at("/cf/cf1").asText()).isEqualTo("loyalty-tier-gold");
        // The customer's email is the fintech's alone: what ARGOS reported stays in ARGOS's report.
        assertThat(jdbc.queryForObject("select email from customer where customer_id = ?", String.class, USER))
                .isNull();
        assertThat(kycCase.toString()).doesNotContain("minji.kim@example.com", "203.0.113.45", "loyalty-tier-gold");
    }

    @Test
    void approvedAfterSubmitApprovesAndKeepsEveryPersonalFieldOnTheCustomerRow() {
        postArgos(argosFixture("submit.json", "sub-approved"));
        awaitCase("sub-approved", "IN_REVIEW");
        postArgos(argosFixture("approved.json", "sub-approved"));

        JsonNode kycCase = awaitCase("sub-approved", "APPROVED");
        assertThat(kycCase.get("nextAction").asText()).isEqualTo("NONE");
        assertThat(kycCase.get("reasons")).isEmpty();
        assertThat(kycCase.at("/providerDetails/applicantId").asText()).isEqualTo("APL-20240304-0042");
        assertThat(kycCase.at("/providerDetails/kycResult/reviewer").asText()).isEqualTo("agent");
        JsonNode events = events(kycCase);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).get("type").asText()).isEqualTo("STATUS_CHANGED");
        assertThat(events.get(1).get("fromStatus").asText()).isEqualTo("IN_REVIEW");
        assertThat(events.get(1).get("toStatus").asText()).isEqualTo("APPROVED");
        assertThat(events.get(1).get("providerEvent").asText()).isEqualTo("approved");

        JsonNode personal = personalData(USER).at("/argos/sub-approved");
        assertThat(personal.get("asOf").asText()).isEqualTo("2024-03-04T09:30:02Z");
        assertThat(personal.at("/fields/fullName").asText()).isEqualTo("KIM MINJI");
        assertThat(personal.at("/fields/dateOfBirth").asText()).isEqualTo("1990-07-15");
        assertThat(personal.at("/fields/nationality").asText()).isEqualTo("KOR");
        assertThat(personal.at("/fields/documentNumber").asText()).isEqualTo("M70123456");
        assertThat(personal.at("/fields/additionalList/0/inputValue").asText()).isEqualTo("Software engineer");
        assertNoPersonalValueIn(jdbc.queryForList("select row_to_json(k)::text from kyc_case k", String.class));
        assertNoPersonalValueIn(jdbc.queryForList("select row_to_json(e)::text from kyc_event e", String.class));
    }

    @Test
    void personalDataFromAnOlderMessageOnlyFillsWhatANewerOneDidNotSay() {
        // The dashboard's correction (2024-03-05) arrives before the approval it corrects (2024-03-04).
        postArgos("{\"webhook_trigger\":\"updated\",\"submission_id\":\"sub-order\",\"userid\":\"" + USER
                + "\",\"update_time\":\"2024-03-05T02:00:00Z\",\"data\":{\"update\":[\"fullName\"]},"
                + "\"fullName\":\"KIM MIN-JI\"}");
        awaitCase("sub-order", "NOT_STARTED");
        postArgos(argosFixture("approved.json", "sub-order"));
        awaitCase("sub-order", "APPROVED");

        JsonNode personal = personalData(USER).at("/argos/sub-order");
        assertThat(personal.at("/fields/fullName").asText()).isEqualTo("KIM MIN-JI");
        assertThat(personal.at("/fields/documentNumber").asText()).isEqualTo("M70123456");
        assertThat(personal.get("asOf").asText()).isEqualTo("2024-03-05T02:00:00Z");
    }

    @Test
    void rejectedGivesItsCommentCodeAndCommentAsReasons() {
        postArgos(argosFixture("rejected.json", "sub-rejected"));

        JsonNode kycCase = awaitCase("sub-rejected", "REJECTED");
        assertThat(kycCase.get("nextAction").asText()).isEqualTo("RESTART_KYC");
        assertThat(kycCase.get("providerStatus").asText()).isEqualTo("rejected");
        assertThat(texts(kycCase.get("reasons"))).containsExactly("DOC_EXPIRED");
    }

    @Test
    void updatedWithAChangedKycResultChangesTheStatusAndOtherwiseOnlyTheData() {
        postArgos(argosFixture("approved.json", "sub-updated"));
        awaitCase("sub-updated", "APPROVED");

        // The admin corrected the name in the dashboard: the status stays, the customer's data follows.
        String renamed = readJson(argosFixture("updated.json", "sub-updated")).deepCopy().toString()
                .replace("\"update\":[\"kyc_result\"]", "\"update\":[\"fullName\"]")
                .replace("\"kyc_result\":\"rejected\"", "\"kyc_result\":\"approved\"")
                .replace("KIM MINJI", "KIM MIN-JI");
        postArgos(renamed);
        awaitInboxDrained();
        assertThat(caseOf("sub-updated").get("status").asText()).isEqualTo("APPROVED");
        assertThat(personalData(USER).at("/argos/sub-updated/fields/fullName").asText()).isEqualTo("KIM MIN-JI");

        // Then rejected it from the dashboard.
        postArgos(argosFixture("updated.json", "sub-updated"));
        JsonNode kycCase = awaitCase("sub-updated", "REJECTED");
        assertThat(kycCase.get("providerStatus").asText()).isEqualTo("rejected");
        assertThat(kycCase.at("/providerDetails/lastUpdate/admin").asText()).isEqualTo("compliance-lead@fintech.example");
        JsonNode events = events(kycCase);
        assertThat(events.get(events.size() - 1).get("providerEvent").asText()).isEqualTo("updated");
        assertThat(events.get(events.size() - 1).get("toStatus").asText()).isEqualTo("REJECTED");

        // The approval delivered again, late: older than the dashboard's update, it changes nothing.
        postArgos(withField(argosFixture("approved.json", "sub-updated"), "late", "true"));
        awaitInboxDrained();
        assertThat(caseOf("sub-updated").get("status").asText()).isEqualTo("REJECTED");
        assertThat(jdbc.queryForList("select outcome from inbound_message order by id", String.class))
                .containsExactly("CREATED", "CHANGED", "CHANGED", "STALE");
    }

    @Test
    void anAmlRedFlagPutsAnApprovedCaseBackInReviewWithTheReason() {
        postArgos(argosFixture("approved.json", "sub-aml"));
        awaitCase("sub-aml", "APPROVED");
        postArgos(argosFixture("aml.json", "sub-aml"));

        JsonNode kycCase = awaitCase("sub-aml", "IN_REVIEW");
        assertThat(kycCase.get("nextAction").asText()).isEqualTo("WAIT");
        assertThat(texts(kycCase.get("reasons"))).containsExactly("AML_RED_FLAG");
        assertThat(kycCase.get("providerStatus").asText()).isEqualTo("approved");
        Map<String, Object> aml = check(kycCase, "AML");
        assertThat(aml).containsEntry("passed", false).containsEntry("required", true);
        assertThat(readJson((String) aml.get("detail")).get("riskLevelSummary").asText()).isEqualTo("HIGH");
        JsonNode last = events(kycCase).get(1);
        assertThat(last.get("type").asText()).isEqualTo("STATUS_CHANGED");
        assertThat(last.get("fromStatus").asText()).isEqualTo("APPROVED");
        assertThat(last.get("providerEvent").asText()).isEqualTo("aml");
    }

    @Test
    void notScreenedIsAnAmlCheckThatKeepsTheApproval() {
        postArgos(argosFixture("approved.json", "sub-aml-ns"));
        awaitCase("sub-aml-ns", "APPROVED");
        postArgos(argosFixture("aml.json", "sub-aml-ns").replace("Red Flag", "Not Screened")
                .replace("HIGH", "Not Screened"));
        awaitInboxDrained();

        JsonNode kycCase = caseOf("sub-aml-ns");
        assertThat(kycCase.get("status").asText()).isEqualTo("APPROVED");
        assertThat(check(kycCase, "AML")).containsEntry("passed", false).containsEntry("required", false);
        assertThat(events(kycCase).get(1).get("type").asText()).isEqualTo("CASE_UPDATED");
    }

    @Test
    void aHighRiskLevelHoldsTheCaseInReviewUntilADashboardDecision() {
        postArgos(argosFixture("approved.json", "sub-aml-high"));
        awaitCase("sub-aml-high", "APPROVED");
        postArgos(argosFixture("aml.json", "sub-aml-high").replace("Red Flag", "Not Screened"));

        JsonNode held = awaitCase("sub-aml-high", "IN_REVIEW");
        assertThat(texts(held.get("reasons"))).containsExactly("AML_RISK_HIGH");
        assertThat(check(held, "AML")).containsEntry("passed", false).containsEntry("required", true);
        assertThat(overallStatus()).isEqualTo("IN_REVIEW");

        postArgos(dashboardDecision("sub-aml-high", "approved", "2024-03-05T02:00:00Z"));
        JsonNode decided = awaitCase("sub-aml-high", "APPROVED");
        assertThat(decided.get("reasons")).isEmpty();
        assertThat(check(decided, "AML")).containsEntry("required", false);
        assertThat(readJson((String) check(decided, "AML").get("detail")).get("riskLevelSummary").asText())
                .isEqualTo("HIGH");
        assertThat(overallStatus()).isEqualTo("APPROVED");
        JsonNode last = events(decided).get(events(decided).size() - 1);
        assertThat(last.get("fromStatus").asText()).isEqualTo("IN_REVIEW");
        assertThat(last.get("toStatus").asText()).isEqualTo("APPROVED");
        assertThat(last.get("providerEvent").asText()).isEqualTo("updated");
    }

    @Test
    void aLaterNotScreenedNeverClearsARedFlag() {
        postArgos(argosFixture("approved.json", "sub-aml-twice"));
        awaitCase("sub-aml-twice", "APPROVED");
        postArgos(argosFixture("aml.json", "sub-aml-twice"));
        awaitCase("sub-aml-twice", "IN_REVIEW");
        postArgos(argosFixture("aml.json", "sub-aml-twice").replace("Red Flag", "Not Screened")
                .replace("HIGH", "Not Screened"));
        awaitInboxDrained();

        JsonNode kycCase = caseOf("sub-aml-twice");
        assertThat(kycCase.get("status").asText()).isEqualTo("IN_REVIEW");
        assertThat(texts(kycCase.get("reasons"))).containsExactly("AML_RED_FLAG");
        assertThat(check(kycCase, "AML")).containsEntry("required", true);
        assertThat(kycCase.at("/providerDetails/aml/latest/currentstatus").asText()).isEqualTo("Not Screened");
        assertThat(overallStatus()).isEqualTo("IN_REVIEW");
    }

    @Test
    void amlMonitorIsProcessedAndANewHitReopensReviewAfterADecision() {
        postArgos(argosFixture("approved.json", "sub-monitor"));
        awaitCase("sub-monitor", "APPROVED");
        // Registered for ongoing monitoring (the doc's payload): kept, the approval stands.
        postArgos(argosFixture("aml_monitor.json", "sub-monitor"));
        awaitInboxDrained();
        JsonNode registered = caseOf("sub-monitor");
        assertThat(registered.get("status").asText()).isEqualTo("APPROVED");
        assertThat(registered.at("/providerDetails/amlMonitoring/records/0/worklistId").asText())
                .isEqualTo("wl-kyc-standard");
        assertThat(overallStatus()).isEqualTo("APPROVED");

        // A hit found by the monitoring, long after the approval.
        ObjectNode hit = (ObjectNode) readJson(argosFixture("aml_monitor.json", "sub-monitor"));
        hit.putObject("aml_result").put("currentstatus", "Red Flag").put("risk_level_summary", "LOW");
        postArgos(hit.toString());

        JsonNode reopened = awaitCase("sub-monitor", "IN_REVIEW");
        assertThat(texts(reopened.get("reasons"))).containsExactly("AML_RED_FLAG");
        assertThat(check(reopened, "AML")).containsEntry("required", true);
        JsonNode last = events(reopened).get(events(reopened).size() - 1);
        assertThat(last.get("type").asText()).isEqualTo("STATUS_CHANGED");
        assertThat(last.get("fromStatus").asText()).isEqualTo("APPROVED");
        assertThat(last.get("providerEvent").asText()).isEqualTo("aml_monitor");
        assertThat(overallStatus()).isEqualTo("IN_REVIEW");
        assertThat(reopened.toString()).doesNotContain("minji.kim@example.com", "loyalty-tier-gold");
    }

    @Test
    void aDataInjectionIsRecordedAsPassedAndIsNoSignal() {
        postArgos(argosFixture("approved.json", "sub-injection"));
        awaitCase("sub-injection", "APPROVED");
        postArgos(argosFixture("injection.json", "sub-injection"));
        awaitInboxDrained();

        JsonNode kycCase = caseOf("sub-injection");
        assertThat(kycCase.get("status").asText()).isEqualTo("APPROVED");
        assertThat(kycCase.get("reasons")).isEmpty();
        assertThat(check(kycCase, "INJECTION")).containsEntry("passed", true);
        assertThat(kycCase.at("/providerDetails/injection/type").asText()).isEqualTo("address");
        assertThat(events(kycCase).get(1).get("providerEvent").asText()).isEqualTo("injection");
        assertThat(overallStatus()).isEqualTo("APPROVED");
    }

    @Test
    void aFailedDataInjectionIsAFlaggedFraudSignalThatKeepsTheCustomerFromApproved() {
        postArgos(argosFixture("approved.json", "sub-injection-fail"));
        awaitCase("sub-injection-fail", "APPROVED");
        postArgos(argosFixture("injection-fail.json", "sub-injection-fail"));
        awaitInboxDrained();

        JsonNode kycCase = caseOf("sub-injection-fail");
        assertThat(kycCase.get("status").asText()).isEqualTo("APPROVED");
        assertThat(texts(kycCase.get("reasons"))).containsExactly("INJECTION_FAIL:distanceChecks_ipGeo");
        assertThat(check(kycCase, "INJECTION_FAIL")).containsEntry("passed", false).containsEntry("required", true);
        assertThat(readJson((String) check(kycCase, "INJECTION_FAIL").get("detail")).get("riskSignal").asText())
                .isEqualTo("FRAUD");
        JsonNode event = events(kycCase).get(1);
        assertThat(event.get("type").asText()).isEqualTo("CASE_UPDATED");
        assertThat(event.get("providerEvent").asText()).isEqualTo("injectionFail");
        assertThat(eventDetail(kycCase, "injectionFail")).isEqualTo(
                "{\"checks\": [\"INJECTION_FAIL\"], \"reasons\": [\"INJECTION_FAIL:distanceChecks_ipGeo\"], "
                        + "\"providerStatus\": \"approved\"}");
        assertThat(overallStatus()).isEqualTo("IN_REVIEW");
        // duplicated_information is derived from the applicant's name and birth date: not a case detail.
        assertThat(kycCase.toString()).doesNotContain("c2VhbGVkLWR1cGxpY2F0ZS1rZXk=", "minji.kim@example.com");

        postArgos(dashboardDecision("sub-injection-fail", "approved", "2024-03-05T02:00:00Z"));
        awaitInboxDrained();
        JsonNode decided = caseOf("sub-injection-fail");
        assertThat(decided.get("reasons")).isEmpty();
        assertThat(check(decided, "INJECTION_FAIL")).containsEntry("required", false);
        assertThat(eventDetail(decided, "updated")).contains("\"checks\": [\"INJECTION_FAIL\"]");
        assertThat(overallStatus()).isEqualTo("APPROVED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"created", "retry", "aml_monitor"})
    void newerTriggersAreRecordedAndNeverGuessedIntoAStatus(String trigger) {
        String submission = "sub-" + trigger;
        postArgos("{\"webhook_trigger\":\"" + trigger + "\",\"submission_id\":\"" + submission + "\"}");
        JsonNode opened = awaitCase(submission, "NOT_STARTED");
        assertThat(opened.has("providerStatus")).isFalse();

        postArgos(argosFixture("approved.json", submission));
        awaitCase(submission, "APPROVED");
        postArgos("{\"webhook_trigger\":\"" + trigger + "\",\"submission_id\":\"" + submission
                + "\",\"something\":\"new\"}");
        awaitInboxDrained();

        JsonNode kycCase = caseOf(submission);
        assertThat(kycCase.get("status").asText()).isEqualTo("APPROVED");
        JsonNode events = events(kycCase);
        assertThat(events).hasSize(3);
        assertThat(events.get(2).get("type").asText()).isEqualTo("CASE_UPDATED");
        assertThat(events.get(2).get("providerEvent").asText()).isEqualTo(trigger);
        assertThat(jdbc.queryForList("select state from inbound_message", String.class)).containsOnly("PROCESSED");
    }

    @Test
    void aTriggerListedNowhereIsKeptAsFailedNeverGuessed() {
        long id = accepted(postArgos("{\"webhook_trigger\":\"suspended\",\"submission_id\":\"sub-unknown\"}"));

        awaitState(id, "FAILED");
        assertThat(jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class, id))
                .isEqualTo("unknown ARGOS webhook_trigger 'suspended'");
        assertThat(count("select count(*) from kyc_case")).isZero();
        assertThat(operatorJson("/api/v1/ops/inbox?state=FAILED&provider=argos").get("items")).hasSize(1);
    }

    @Test
    void aDuplicateDeliveryIsAnswered200AndChangesNothing() {
        String body = argosFixture("approved.json", "sub-dup");
        HttpResponse<String> first = postArgos(body);
        awaitCase("sub-dup", "APPROVED");
        HttpResponse<String> again = postArgos(readJson(body).toString());

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(readJson(again.body()).get("status").asText()).isEqualTo("duplicate");
        assertThat(readJson(again.body()).get("id")).isEqualTo(readJson(first.body()).get("id"));
        awaitInboxDrained();
        assertThat(count("select count(*) from inbound_message")).isEqualTo(1);
        assertThat(count("select count(*) from kyc_event")).isEqualTo(1);
    }

    @Test
    void anUnauthenticatedWebhookIs401AndNothingIsStored() {
        String body = argosFixture("approved.json", "sub-forged");
        HttpResponse<String> unsigned = post(PATH, body, Map.of("Content-Type", "application/json"));
        HttpResponse<String> forged = post(PATH, body, Map.of("Content-Type", "application/json",
                "X-Signature", hmacHex("not-the-secret", utf8(body))));

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(readJson(unsigned.body()).get("detail").asText()).isEqualTo("missing x-signature header");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(readJson(forged.body()).get("detail").asText()).isEqualTo("invalid signature");
        assertThat(count("select count(*) from inbound_message")).isZero();
    }

    @Test
    void badBodiesGetAClear400AndAreNotStored() {
        List<HttpResponse<String>> answers = List.of(
                postArgos("{\"webhook_trigger\": "),
                postArgos("{\"submission_id\":\"s-1\"}"),
                postArgos("{\"webhook_trigger\":\"approved\"}"),
                postArgos("{\"data\":\"" + ArgosEncryptionTest.ECB_WITH_API_KEY + "\"}"));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).doesNotContain("Exception");
        });
        assertThat(readJson(answers.get(2).body()).get("detail").asText()).isEqualTo("'submission_id' is required");
        assertThat(readJson(answers.get(3).body()).get("detail").asText()).contains("encryption is off");
        assertThat(count("select count(*) from inbound_message")).isZero();
    }

    /** The detail of the case's audit event for that provider event, as PostgreSQL prints it. */
    private String eventDetail(JsonNode kycCase, String providerEvent) {
        return jdbc.queryForObject("select detail::text from kyc_event where case_id = ?::uuid and provider_event = ?",
                String.class, kycCase.get("id").asText(), providerEvent);
    }

    /** The overall status of the fixtures' customer, as the fintech reads it. */
    private String overallStatus() {
        return apiJson("/api/v1/customers/" + USER + "/kyc").get("overallStatus").asText();
    }

    /** {@code updated} from ARGOS's dashboard setting the KYC result at that time. */
    static String dashboardDecision(String submission, String result, String updateTime) {
        return "{\"webhook_trigger\":\"updated\",\"submission_id\":\"" + submission + "\",\"userid\":\"" + USER
                + "\",\"admin\":\"compliance-lead@fintech.example\",\"update_time\":\"" + updateTime
                + "\",\"data\":{\"update\":[\"kyc_result\"],\"kyc_result\":\"" + result + "\"}}";
    }

    private static void assertNoPersonalValueIn(List<String> rows) {
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row).doesNotContain(PERSONAL_VALUES));
    }
}
