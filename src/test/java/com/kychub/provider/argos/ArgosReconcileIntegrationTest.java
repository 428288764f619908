package com.kychub.provider.argos;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * A missed ARGOS webhook repaired by reconciliation: the quiet case's submission is pulled from
 * {@code GET /submission} (WireMock) and its KYC result applied as the truth, through the inbox and the worker.
 */
class ArgosReconcileIntegrationTest extends ArgosHubTest {

    @Override
    HttpResponse<String> postArgos(String body) {
        return post(PATH, body, Map.of("Content-Type", "application/json",
                "X-Signature", hmacHex(ARGOS_WEBHOOK_SECRET, utf8(body))));
    }

    @Test
    void aMissedResultIsPulledAppliedAndKeptWithoutPersonalData() {
        accepted(postArgos(argosFixture("submit.json", "sub-missed")));
        awaitCase("sub-missed", "IN_REVIEW");
        stubSubmission("sub-missed", answer("sub-missed", "{\"result\":\"approved\",\"comment\":[],\"commentCode\":[]}"));
        double repaired = reconcilePulls("argos", "repaired");

        makeQuiet("argos", "sub-missed");
        awaitPull("argos", "repaired", repaired);

        JsonNode kycCase = caseOf("sub-missed");
        assertThat(kycCase.get("status").asText()).isEqualTo("APPROVED");
        assertThat(kycCase.get("customerId").asText()).isEqualTo(USER);
        PROVIDERS.verify(getRequestedFor(urlEqualTo("/argos/submission?submission_id=sub-missed"))
                .withHeader("x-api-key", equalTo(ARGOS_API_KEY)));
        JsonNode last = events(kycCase).get(events(kycCase).size() - 1);
        assertThat(last.get("type").asText()).isEqualTo("STATUS_CHANGED");
        assertThat(last.get("fromStatus").asText()).isEqualTo("IN_REVIEW");
        assertThat(last.get("providerEvent").asText()).isEqualTo("submission");
        String stored = jdbc.queryForObject(
                "select body from inbound_message where provider = 'argos' and message_type = 'submission'",
                String.class);
        assertThat(stored).contains("approved").doesNotContain("minji.kim@example.com", "KIM MINJI", "M70123456");
    }

    @Test
    void aRejectionPulledCarriesItsCodesAsReasons() {
        accepted(postArgos(argosFixture("submit.json", "sub-rej")));
        awaitCase("sub-rej", "IN_REVIEW");
        stubSubmission("sub-rej", answer("sub-rej",
                "{\"result\":\"rejected\",\"comment\":[\"Document expired\"],\"commentCode\":[\"DOC_EXPIRED\"]}"));
        double repaired = reconcilePulls("argos", "repaired");

        makeQuiet("argos", "sub-rej");
        awaitPull("argos", "repaired", repaired);

        JsonNode kycCase = caseOf("sub-rej");
        assertThat(kycCase.get("status").asText()).isEqualTo("REJECTED");
        assertThat(kycCase.get("nextAction").asText()).isEqualTo("RESTART_KYC");
        assertThat(texts(kycCase.get("reasons"))).containsExactly("DOC_EXPIRED");
    }

    @Test
    void anAnswerTheCaseAlreadySaysIsCountedUnchangedAndNotStored() {
        accepted(postArgos(argosFixture("submit.json", "sub-same")));
        awaitCase("sub-same", "IN_REVIEW");
        stubSubmission("sub-same", answer("sub-same", "{\"result\":\"pending\"}"));
        double unchanged = reconcilePulls("argos", "unchanged");

        makeQuiet("argos", "sub-same");
        awaitPull("argos", "unchanged", unchanged);

        assertThat(count("select count(*) from inbound_message where message_type = 'submission'")).isZero();
        assertThat(caseOf("sub-same").get("status").asText()).isEqualTo("IN_REVIEW");
    }

    @Test
    void aResultTheHubDoesNotKnowIsKeptFailedOnceAndNeverGuessed() {
        accepted(postArgos(argosFixture("submit.json", "sub-odd")));
        awaitCase("sub-odd", "IN_REVIEW");
        stubSubmission("sub-odd", answer("sub-odd", "{\"result\":\"on_hold\"}"));

        for (int sweep = 0; sweep < 2; sweep++) {
            double failed = reconcilePulls("argos", "failed");
            makeQuiet("argos", "sub-odd");
            awaitPull("argos", "failed", failed);
        }

        assertThat(jdbc.queryForList("select state from inbound_message where message_type = 'submission'",
                String.class)).containsExactly("FAILED");
        assertThat(jdbc.queryForObject("select last_error from inbound_message where message_type = 'submission'",
                String.class)).contains("on_hold");
        assertThat(caseOf("sub-odd").get("status").asText()).isEqualTo("IN_REVIEW");
    }

    @Test
    void aFailedPullIsCountedAndTheCaseWaitsForTheNextReconcileAfter() throws InterruptedException {
        accepted(postArgos(argosFixture("submit.json", "sub-down")));
        awaitCase("sub-down", "IN_REVIEW");
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/argos/submission?submission_id=sub-down"))
                .willReturn(aResponse().withStatus(500)));
        double failed = reconcilePulls("argos", "failed");

        makeQuiet("argos", "sub-down");
        awaitPull("argos", "failed", failed);
        // Several sweeps later, still the one pull: the claim stamped the case, due again only after reconcile.after.
        Thread.sleep(1500);

        PROVIDERS.verify(1, getRequestedFor(urlEqualTo("/argos/submission?submission_id=sub-down")));
        assertThat(caseOf("sub-down").get("status").asText()).isEqualTo("IN_REVIEW");
    }

    @Test
    void onlyQuietOpenCasesAndVerdictsWithinReconcileRecentArePulled() {
        for (String submission : new String[] {"sub-open", "sub-heard", "sub-old-verdict", "sub-new-verdict"}) {
            accepted(postArgos(argosFixture("submit.json", submission)));
            awaitCase(submission, "IN_REVIEW");
            stubSubmission(submission, answer(submission, "{\"result\":\"pending\"}"));
        }
        jdbc.update("update kyc_case set status = 'APPROVED', updated_at = now() - interval '2 days' "
                + "where provider_ref = 'sub-old-verdict'");
        jdbc.update("update kyc_case set status = 'APPROVED', updated_at = now() - interval '3 hours' "
                + "where provider_ref = 'sub-new-verdict'");
        makeQuiet("argos", "sub-open");
        makeQuiet("argos", "sub-old-verdict");
        makeQuiet("argos", "sub-new-verdict");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PROVIDERS.verify(1, getRequestedFor(urlEqualTo("/argos/submission?submission_id=sub-open")));
            PROVIDERS.verify(1, getRequestedFor(urlEqualTo("/argos/submission?submission_id=sub-new-verdict")));
        });
        PROVIDERS.verify(0, getRequestedFor(urlEqualTo("/argos/submission?submission_id=sub-heard")));
        PROVIDERS.verify(0, getRequestedFor(urlEqualTo("/argos/submission?submission_id=sub-old-verdict")));
    }

    /** ARGOS's answer: {@code Items} holding the submission, with the applicant's personal data. */
    private static String answer(String submission, String kyc) {
        return "{\"Items\":[{\"submission_id\":\"" + submission + "\",\"userid\":\"" + USER + "\","
                + "\"email\":\"minji.kim@example.com\",\"fullName\":\"KIM MINJI\",\"documentNumber\":\"M70123456\","
                + "\"kyc\":" + kyc + ",\"created_at\":\"2024-03-04-09-12-45-000\","
                + "\"updated_at\":\"2024-03-05-10-00-00-000\"}]}";
    }

    private static void stubSubmission(String submission, String body) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/argos/submission?submission_id=" + submission))
                .willReturn(okJson(body)));
    }
}
