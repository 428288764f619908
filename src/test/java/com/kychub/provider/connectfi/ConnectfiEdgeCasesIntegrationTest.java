package com.kychub.provider.connectfi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * The doc's edge-case flows (SDK expired then rerun, in either order of the rerun's answer and the restart; denied,
 * with the FINISHED webhook's status read against the pull; verification error, under review) and what the doc
 * does not cover: unknown event and check types, the status API failing or hanging during the pull, bad webhooks.
 * The customer here was created at Connect Financial without the hub: their Connect Financial id is their id.
 */
class ConnectfiEdgeCasesIntegrationTest extends ConnectfiFlows {

    private static final String NEW_LINK = "https://sdk.connect.example/onb-new";

    /**
     * The rerun is answered, and the answer processed, before CUSTOMER_KYC_RESTARTED: the answer closes the expired
     * onboarding's case and opens the new one's with the rerun's SDK link; the restart, late, changes neither.
     */
    @Test
    void sdkExpiredIsRerunAndTheRerunsLinkLandsOnTheNewOnboardingWhenTheAnswerComesFirst() {
        expiredAndToBeRerun("cf-9");
        send("CUSTOMER_KYC_SDK_EXPIRED", "cf-9", "onb-old");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc/onb-old/rerun"))));

        JsonNode fresh = awaitCase("onb-new", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(fresh.at("/providerDetails/sdk/link").asText()).isEqualTo(NEW_LINK);
        assertThat(fresh.get("customerId").asText()).isEqualTo("cf-9");
        JsonNode closed = awaitCase("onb-old", "CANCELLED", "NONE");
        assertThat(closed.get("providerDetails").get("restartedAs").asText()).isEqualTo("onb-new");
        assertThat(lastEvent(closed).get("providerEvent").asText()).isEqualTo("KYC_RERUN");
        assertThat(lastEvent(fresh).get("providerEvent").asText()).isEqualTo("KYC_RERUN");

        // The restart arrives: the new onboarding is already current, so only its pull counts, and the link stays.
        stubStatus("cf-9", status(false, "PROCESSING", "COMPLETE_SDK_FLOW", "KYC_STARTED:true:true",
                "SDK_VERIFICATION_COMPLETED:false:true:COMPLETE_SDK_FLOW"));
        send("CUSTOMER_KYC_RESTARTED", "cf-9", "onb-new", "\"previousOnboardingId\":\"onb-old\"");
        awaitInboxDrained();
        JsonNode after = awaitCase("onb-new", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
        assertThat(after.get("id")).isEqualTo(fresh.get("id"));
        assertThat(after.at("/providerDetails/sdk/link").asText()).isEqualTo(NEW_LINK);
        assertThat(after.at("/providerDetails/nextAction").asText()).isEqualTo("COMPLETE_SDK_FLOW");
        assertThat(awaitCase("onb-old", "CANCELLED", "NONE").get("id")).isEqualTo(closed.get("id"));
        JsonNode customer = apiJson("/api/v1/customers/cf-9/kyc");
        assertThat(customer.get("cases")).hasSize(2);
        assertThat(customer.get("overallStatus").asText()).isEqualTo("ACTION_REQUIRED");
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc/onb-old/rerun")));
    }

    /**
     * CUSTOMER_KYC_RESTARTED is processed before the rerun's answer (the hub's call is held back here): the restart
     * closes the old case and its pull opens the new one, without a link; the answer then puts its SDK link on that
     * case, not on the closed one.
     */
    @Test
    void sdkExpiredIsRerunAndTheRerunsLinkLandsOnTheNewOnboardingWhenTheRestartComesFirst() throws Exception {
        expiredAndToBeRerun("cf-8");
        JsonNode opened;
        camel.getRouteController().stopRoute("actions-execute-connectfi");
        try {
            send("CUSTOMER_KYC_SDK_EXPIRED", "cf-8", "onb-old");
            awaitCase("onb-old", "IN_PROGRESS", "WAIT");

            stubStatus("cf-8", status(false, "PROCESSING", "COMPLETE_SDK_FLOW", "KYC_STARTED:true:true",
                    "SDK_VERIFICATION_COMPLETED:false:true:COMPLETE_SDK_FLOW"));
            send("CUSTOMER_KYC_RESTARTED", "cf-8", "onb-new", "\"previousOnboardingId\":\"onb-old\"");
            opened = awaitCase("onb-new", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");
            assertThat(opened.at("/providerDetails/sdk").isMissingNode()).isTrue();
            JsonNode closed = awaitCase("onb-old", "CANCELLED", "NONE");
            assertThat(lastEvent(closed).get("providerEvent").asText()).isEqualTo("CUSTOMER_KYC_RESTARTED");
            PROVIDERS.verify(0, postRequestedFor(urlEqualTo("/v1/compliance/kyc/onb-old/rerun")));
        } finally {
            camel.getRouteController().startRoute("actions-execute-connectfi");
        }

        JsonNode linked = awaitCase("onb-new", kycCase -> kycCase.at("/providerDetails/sdk/link").asText("")
                .equals(NEW_LINK));
        assertThat(linked.get("id")).isEqualTo(opened.get("id"));
        assertThat(linked.get("status").asText()).isEqualTo("ACTION_REQUIRED");
        assertThat(linked.get("nextAction").asText()).isEqualTo("COMPLETE_VERIFICATION");
        assertThat(lastEvent(linked).get("providerEvent").asText()).isEqualTo("KYC_RERUN");
        JsonNode closed = awaitCase("onb-old", "CANCELLED", "NONE");
        assertThat(closed.at("/providerDetails/sdk").isMissingNode()).isTrue();
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo("/v1/compliance/kyc/onb-old/rerun")));
        assertThat(apiJson("/api/v1/customers/cf-8/kyc").get("cases")).hasSize(2);
    }

    /**
     * The customer's onboarding {@code onb-old} waits for the SDK; then the status says RERUN_KYC, and Connect
     * Financial answers the rerun with {@code onb-new} and its SDK link, as it answers a start.
     */
    private void expiredAndToBeRerun(String connectfiCustomerId) {
        stubStatus(connectfiCustomerId, status(false, "PROCESSING", "COMPLETE_SDK_FLOW", "KYC_STARTED:true:true",
                "SDK_VERIFICATION_COMPLETED:false:true:COMPLETE_SDK_FLOW"));
        send("CUSTOMER_KYC_STARTED", connectfiCustomerId, "onb-old");
        awaitCase("onb-old", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");

        stubStatus(connectfiCustomerId, status(false, "PROCESSING", "RERUN_KYC",
                "SDK_VERIFICATION_COMPLETED:false:true:RERUN_KYC"));
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/compliance/kyc/onb-old/rerun")).willReturn(okJson(
                "{\"onboarding\":{\"id\":\"onb-new\",\"status\":\"PROCESSING\"},"
                        + "\"sdk\":{\"link\":\"" + NEW_LINK + "\",\"qrCode\":\"data:image/png;base64,AB\"}}")));
    }

    private JsonNode lastEvent(JsonNode kycCase) {
        JsonNode events = apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items");
        return events.get(events.size() - 1);
    }

    @Test
    void deniedIsRejectedFinalWithTheReason() {
        stubStatus("cf-d", status(false, "DENIED_COMPLIANCE", "CONTACT_SUPPORT",
                "KYC_STATUS:false:true:CONTACT_SUPPORT"));
        send("CUSTOMER_KYC_FINISHED", "cf-d", "onb-d", "\"status\":\"DENIED_COMPLIANCE\"");

        JsonNode denied = awaitCase("onb-d", "REJECTED_FINAL", "CONTACT_SUPPORT");
        assertThat(texts(denied.get("reasons"))).startsWith("DENIED_COMPLIANCE");
        assertThat(denied.get("providerStatus").asText()).isEqualTo("DENIED_COMPLIANCE");
        // The webhook's status was read, and agrees with the pull: nothing to flag.
        assertThat(denied.at("/providerDetails/finishedStatus").asText()).isEqualTo("DENIED_COMPLIANCE");
        assertThat(texts(denied.get("reasons"))).noneMatch(reason -> reason.contains("FINISHED"));
    }

    /**
     * CUSTOMER_KYC_FINISHED says APPROVED while the status API still says WAIT, and DENIED_COMPLIANCE while it says
     * compliant: the pull decides each case, and the webhook's word is flagged on the case and in the audit event.
     */
    @Test
    void aFinishedStatusThePullDisagreesWithIsFlaggedAndThePullDecides() {
        stubStatus("cf-fa", status(false, "PROCESSING", "WAIT", "SDK_VERIFICATION_COMPLETED:true:true",
                "KYC_STATUS:false:true"));
        stubStatus("cf-fd", status(true, "APPROVED", null, "KYC_STATUS:true:true"));
        send("CUSTOMER_KYC_FINISHED", "cf-fa", "onb-fa", "\"status\":\"APPROVED\"");
        send("CUSTOMER_KYC_FINISHED", "cf-fd", "onb-fd", "\"status\":\"DENIED_COMPLIANCE\"");

        JsonNode waiting = awaitCase("onb-fa", "IN_REVIEW", "WAIT");
        assertThat(texts(waiting.get("reasons")))
                .startsWith("FINISHED_STATUS_DISAGREES:webhook=APPROVED,pull=IN_REVIEW");
        assertThat(waiting.at("/providerDetails/finishedStatus").asText()).isEqualTo("APPROVED");
        JsonNode approved = awaitCase("onb-fd", "APPROVED", "NONE");
        assertThat(texts(approved.get("reasons")))
                .startsWith("FINISHED_STATUS_DISAGREES:webhook=DENIED_COMPLIANCE,pull=APPROVED");

        for (JsonNode kycCase : new JsonNode[] {waiting, approved}) {
            JsonNode events = apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items");
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.get("providerEvent").asText()).isEqualTo("CUSTOMER_KYC_FINISHED");
            assertThat(last.get("toStatus").asText()).isEqualTo(kycCase.get("status").asText());
            // The event's own detail names both: the webhook's status in the flag, the pull's in providerStatus.
            JsonNode detail = readJson(jdbc.queryForObject(
                    "select detail::text from kyc_event where case_id = ?::uuid order by id desc limit 1",
                    String.class, kycCase.get("id").asText()));
            assertThat(detail.get("reasons").get(0).asText()).isEqualTo(kycCase.get("reasons").get(0).asText());
            assertThat(detail.get("providerStatus").asText()).isEqualTo(kycCase.get("providerStatus").asText());
        }
    }

    @Test
    void aVerificationErrorIsAnErrorForSupport() {
        stubStatus("cf-e", status(false, "PROCESSING", "CONTACT_SUPPORT",
                "SDK_VERIFICATION_COMPLETED:false:true:CONTACT_SUPPORT"));
        send("CUSTOMER_KYC_ERROR", "cf-e", "onb-e");

        JsonNode error = awaitCase("onb-e", "ERROR", "CONTACT_SUPPORT");
        assertThat(texts(error.get("reasons"))).contains("VERIFICATION_ERROR", "SDK_VERIFICATION_COMPLETED");
    }

    @Test
    void underManualReviewTheCaseWaitsInReview() {
        stubStatus("cf-r", status(false, "PROCESSING", "WAIT", "SDK_VERIFICATION_COMPLETED:false:true",
                "KYC_STATUS:false:true"));
        send("CUSTOMER_KYC_SDK_FLOW_COMPLETED", "cf-r", "onb-r");

        awaitCase("onb-r", "IN_REVIEW", "WAIT");
        assertThat(checks("onb-r").at("/SDK_VERIFICATION_COMPLETED/passed").asBoolean()).isFalse();
    }

    @Test
    void anUnknownEventTypeIsKeptAsFailedAndNothingIsPulled() {
        long id = readJson(postConnectfi(webhook("CUSTOMER_KYC_PAUSED", "cf-u", "onb-u", null)).body())
                .get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(state(id)));
        assertThat(jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class, id))
                .contains("CUSTOMER_KYC_PAUSED");
        PROVIDERS.verify(0, getRequestedFor(urlEqualTo("/v1/compliance/status/cf-u")));
    }

    @Test
    void anUnknownCheckTypeIsKeptAndFlaggedOnTheCase() {
        stubStatus("cf-k", status(false, "PROCESSING", "WAIT", "KYC_STATUS:false:true", "PEP_SCREENING:false:true"));
        send("CUSTOMER_KYC_SDK_FLOW_COMPLETED", "cf-k", "onb-k");

        JsonNode flagged = awaitCase("onb-k", "IN_REVIEW", "WAIT");
        assertThat(texts(flagged.get("reasons"))).contains("UNKNOWN_CHECK_TYPE:PEP_SCREENING");
        assertThat(checks("onb-k").at("/PEP_SCREENING/detail/flag").asText()).isEqualTo("unknown check type");
    }

    @Test
    void aStatusApiAnswering500IsRetriedAndTheWebhookIsProcessedOnceItRecovers() {
        stubStatusFailing("cf-5", 500);
        long id = readJson(postConnectfi(webhook("CUSTOMER_KYC_SDK_FLOW_COMPLETED", "cf-5", "onb-5", null)).body())
                .get("id").asLong();
        afterFirstAttempt(id, () -> {
            assertThat(state(id)).isEqualTo("ACCEPTED");
            stubStatus("cf-5", status(false, "PROCESSING", "WAIT", "KYC_STATUS:false:true"));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> "PROCESSED".equals(state(id)));
        awaitCase("onb-5", "IN_REVIEW", "WAIT");
    }

    @Test
    void aStatusApiThatKeepsFailingLeavesTheWebhookDeadNotLost() {
        stubStatusFailing("cf-x", 503);
        long id = readJson(postConnectfi(webhook("CUSTOMER_KYC_ERROR", "cf-x", "onb-x", null)).body())
                .get("id").asLong();

        await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(state(id)));
        assertThat(jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class, id))
                .contains("503");
    }

    @Test
    void aHangingStatusApiTimesOutAndIsRetried() {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/v1/compliance/status/cf-t"))
                .willReturn(aResponse().withFixedDelay(4000).withStatus(200)));
        long id = readJson(postConnectfi(webhook("CUSTOMER_KYC_SDK_FLOW_COMPLETED", "cf-t", "onb-t", null)).body())
                .get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() ->
                jdbc.queryForObject("select attempts from inbound_message where id = ?", Integer.class, id) >= 1);
        assertThat(jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class, id))
                .containsIgnoringCase("timeout");
        stubStatus("cf-t", status(false, "PROCESSING", "WAIT", "KYC_STATUS:false:true"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "PROCESSED".equals(state(id)));
    }

    @Test
    void aStatusApiRefusingTheRequestIsFailedAtOnceNotRetried() {
        stubStatusFailing("cf-404", 404);
        long id = readJson(postConnectfi(webhook("CUSTOMER_UPDATED", "cf-404", null, null)).body()).get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(state(id)));
        assertThat(jdbc.queryForObject("select attempts from inbound_message where id = ?", Integer.class, id))
                .isEqualTo(1);
    }

    @Test
    void webhooksAreAuthenticatedAndValidated() {
        String body = webhook("CUSTOMER_UPDATED", "cf-a", null, null);
        assertThat(post("/webhooks/connectfi", body, Map.of("Content-Type", "application/json",
                "X-Signature", hmacHex("wrong", body.getBytes()))).statusCode()).isEqualTo(401);
        assertThat(post("/webhooks/connectfi", body, Map.of("Content-Type", "application/json")).statusCode())
                .isEqualTo(401);
        assertThat(postConnectfi("{\"eventType\":\"CUSTOMER_UPDATED\"}").statusCode()).isEqualTo(400);
        assertThat(postConnectfi("{\"eventType\":\"CUSTOMER_UPDATED\",\"data\":{\"customerId\":7}}").statusCode())
                .isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from inbound_message", Integer.class)).isZero();

        HttpResponseAssert first = new HttpResponseAssert(postConnectfi(body).body());
        HttpResponseAssert again = new HttpResponseAssert(postConnectfi(body).body());
        assertThat(first.status()).isEqualTo("accepted");
        assertThat(again.status()).isEqualTo("duplicate");
    }

    private record HttpResponseAssert(String body) {
        String status() {
            return readJson(body).get("status").asText();
        }
    }

    private String state(long id) {
        return jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id);
    }
}
