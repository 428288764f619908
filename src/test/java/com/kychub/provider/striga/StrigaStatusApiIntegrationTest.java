package com.kychub.provider.striga;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Striga with its status API configured (Get KYC Status on WireMock): a verdict webhook without {@code ts} is settled
 * by the status API, whatever order the webhooks come in, and a quiet case's missed verdict is repaired by
 * reconciliation. A hub of its own, on a database of its own: with the status API configured every Striga verdict
 * without {@code ts} asks it, which the shared context's Striga tests do not stub.
 */
@TestPropertySource(properties = {
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}_striga_api",
        "kyc.providers.striga.api-secret=" + StrigaStatusApiIntegrationTest.SECRET,
        "kyc.providers.striga.requests-per-second=1000",
        "kyc.providers.striga.circuit-open-seconds=1"})
class StrigaStatusApiIntegrationTest extends HubIntegrationTest {

    static final String SECRET = "test-striga-api-secret";
    /** The MD5 of {@code {}}, the body Striga signs for a request without one. */
    private static final String MD5_OF_EMPTY_OBJECT = "99914b932bd37a50b983c5e7c90ae93b";

    @DynamicPropertySource
    static void strigaApi(DynamicPropertyRegistry registry) {
        registry.add("kyc.providers.striga.base-url", () -> PROVIDERS.baseUrl() + "/striga/api/v1");
    }

    @Test
    void aMissedVerdictIsPulledFromGetKycStatusSignedAsStrigaAsks() {
        postStriga(webhook("u-missed", "INITIATED", 1_700_000_000_000L));
        awaitCase("striga", "u-missed", "IN_PROGRESS", "COMPLETE_VERIFICATION");
        stubStatus("u-missed", status("u-missed", "APPROVED"));
        double repaired = reconcilePulls("striga", "repaired");

        makeQuiet("striga", "u-missed");
        awaitPull("striga", "repaired", repaired);

        JsonNode kycCase = awaitCase("striga", "u-missed", "APPROVED", "NONE");
        LoggedRequest request = PROVIDERS.findAll(getRequestedFor(urlEqualTo("/striga/api/v1/user/kyc/u-missed")))
                .get(0);
        assertThat(request.getHeader("api-key")).isEqualTo(STRIGA_KEY);
        String authorization = request.getHeader("Authorization");
        assertThat(authorization).startsWith("HMAC ");
        String time = authorization.substring(5, authorization.indexOf(':'));
        assertThat(authorization.substring(authorization.indexOf(':') + 1)).isEqualTo(hmacHex(SECRET,
                (time + "GET" + "/user/kyc/u-missed" + MD5_OF_EMPTY_OBJECT).getBytes(StandardCharsets.UTF_8)));
        JsonNode events = apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items");
        assertThat(events.get(events.size() - 1).get("toStatus").asText()).isEqualTo("APPROVED");
        assertThat(jdbc.queryForObject("select channel || ':' || message_type from inbound_message "
                + "where id = ?", String.class, events.get(events.size() - 1).get("inboundMessageId").asLong()))
                .isEqualTo("POLL:kyc-status");
    }

    @Test
    void aVerdictWithoutTsIsSettledByThePullWhateverOrderTheWebhooksComeIn() {
        Random random = new Random(12);
        for (int run = 0; run < 4; run++) {
            String user = "u-order-" + run;
            stubStatus(user, status(user, "APPROVED"));
            List<String> webhooks = new ArrayList<>(List.of(webhook(user, "INITIATED", null),
                    webhook(user, "PENDING_REVIEW", null), webhook(user, "APPROVED", null),
                    // Striga's retry of a rejection made before the approval, delivered late.
                    rejected(user)));
            Collections.shuffle(webhooks, random);
            webhooks.forEach(this::postStriga);
            awaitInboxDrained();

            JsonNode kycCase = awaitCase("striga", user, "APPROVED", "NONE");
            assertThat(kycCase.get("providerStatus").asText()).isEqualTo("APPROVED");
        }
        // Each verdict asked Striga; the others did not.
        PROVIDERS.verify(2, getRequestedFor(urlEqualTo("/striga/api/v1/user/kyc/u-order-0")));
    }

    @Test
    void aVerdictWithTsIsOrderedByItsTimeWithoutAPull() {
        postStriga(webhook("u-timed", "APPROVED", 1_700_000_100_000L));
        awaitCase("striga", "u-timed", "APPROVED", "NONE");
        postStriga(webhook("u-timed", "REJECTED", 1_700_000_000_000L));
        awaitInboxDrained();

        assertThat(awaitCase("striga", "u-timed", "APPROVED", "NONE")).isNotNull();
        PROVIDERS.verify(0, getRequestedFor(urlEqualTo("/striga/api/v1/user/kyc/u-timed")));
    }

    @Test
    void aStatusTheHubDoesNotKnowKeepsThePulledAnswerFailedAndTheCaseAsItWas() {
        postStriga(webhook("u-odd", "PENDING_REVIEW", 1_700_000_000_000L));
        awaitCase("striga", "u-odd", "IN_REVIEW", "WAIT");
        stubStatus("u-odd", status("u-odd", "SUSPENDED"));
        double failed = reconcilePulls("striga", "failed");

        makeQuiet("striga", "u-odd");
        awaitPull("striga", "failed", failed);

        assertThat(jdbc.queryForObject("select state || ':' || last_error from inbound_message "
                + "where message_type = 'kyc-status'", String.class)).startsWith("FAILED:").contains("SUSPENDED");
        assertThat(awaitCase("striga", "u-odd", "IN_REVIEW", "WAIT")).isNotNull();
    }

    @Test
    void aRefusedPullIsCountedFailedAndChangesNothing() {
        postStriga(webhook("u-refused", "PENDING_REVIEW", 1_700_000_000_000L));
        awaitCase("striga", "u-refused", "IN_REVIEW", "WAIT");
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/striga/api/v1/user/kyc/u-refused"))
                .willReturn(aResponse().withStatus(401)));
        double failed = reconcilePulls("striga", "failed");

        makeQuiet("striga", "u-refused");
        awaitPull("striga", "failed", failed);

        assertThat(jdbc.queryForObject("select count(*) from inbound_message where message_type = 'kyc-status'",
                Integer.class)).isZero();
        assertThat(awaitCase("striga", "u-refused", "IN_REVIEW", "WAIT")).isNotNull();
    }

    private static String webhook(String user, String status, Long ts) {
        return "{\"userId\":\"" + user + "\",\"status\":\"" + status + "\"" + (ts == null ? "" : ",\"ts\":" + ts) + "}";
    }

    private static String rejected(String user) {
        return "{\"userId\":\"" + user + "\",\"status\":\"REJECTED\",\"details\":[\"UNSATISFACTORY_PHOTOS\"]}";
    }

    /** Get KYC Status's answer, in the shape of the KYC webhook (doc 004: the details are "available via the webhook
     * and the Get KYC Status API"), with fields of Striga's user resource besides. */
    private static String status(String user, String status) {
        return "{\"userId\":\"" + user + "\",\"emailVerified\":true,\"mobileVerified\":true,\"status\":\"" + status
                + "\",\"currentTier\":1}";
    }

    private static void stubStatus(String user, String body) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/striga/api/v1/user/kyc/" + user)).willReturn(okJson(body)));
    }
}
