package com.kychub.provider.ondato;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Duplicates, unknown events and statuses, failing pulls and the door's checks, end to end. */
class OndatoEdgeCasesIntegrationTest extends OndatoFlows {

    @Test
    void aDuplicateDeliveryIsAnsweredDuplicateAndChangesNothing() {
        stubVerification("idv-d", verification("idv-d", "kyc-d"));
        stubIdentification("kyc-d", identification("kyc-d", "Approved", null));
        String body = envelope("evt-d", "KycIdentification.Approved",
                "{\"id\":\"kyc-d\",\"identityVerificationId\":\"idv-d\"}");
        long id = send(body);
        JsonNode approved = awaitCase("idv-d", "APPROVED", "NONE");
        awaitInboxDrained();

        // Ondato retries for 24 h: the same envelope id again, even re-serialised in PascalCase, is the same message.
        var again = postOndato(body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(readJson(again.body()).get("status").asText()).isEqualTo("duplicate");
        assertThat(readJson(again.body()).get("id").asLong()).isEqualTo(id);
        var pascal = postOndato("{\"Id\":\"evt-d\",\"Type\":\"KycIdentification.Approved\","
                + "\"Payload\":{\"IdentityVerificationId\":\"idv-d\"}}");
        assertThat(readJson(pascal.body()).get("status").asText()).isEqualTo("duplicate");
        awaitInboxDrained();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where channel = 'WEBHOOK'", Integer.class))
                .isEqualTo(1);
        PROVIDERS.verify(1, getRequestedFor(urlEqualTo(VERIFICATION_PATH + "idv-d")));
        assertThat(apiJson("/api/v1/cases/" + approved.get("id").asText() + "/events").get("items")).hasSize(1);
    }

    @Test
    void outOfOrderDeliveriesEndAtThePulledTruth() {
        // Created arrives after Approved; both pull the current state, which is Approved.
        stubVerification("idv-o", verification("idv-o", "kyc-o"));
        stubIdentification("kyc-o", identification("kyc-o", "Approved", null));
        send(identificationEvent("KycIdentification.Approved", "idv-o", "kyc-o"));
        awaitCase("idv-o", "APPROVED", "NONE");
        send(identificationEvent("KycIdentification.Created", "idv-o", "kyc-o"));
        awaitInboxDrained();
        JsonNode approved = awaitCase("idv-o", "APPROVED", "NONE");
        assertThat(statusesOf(approved)).containsExactly("APPROVED");
    }

    @Test
    void anUnknownEventTypeIsKeptAsFailedAndNothingIsPulled() {
        long id = send(envelope("evt-u", "KycIdentification.Archived",
                "{\"id\":\"kyc-u\",\"identityVerificationId\":\"idv-u\"}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(state(id)));
        assertThat(jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class, id))
                .contains("KycIdentification.Archived");
        PROVIDERS.verify(0, getRequestedFor(urlPathMatching("/ondato-.*")));
    }

    @Test
    void anUnknownIdentificationStatusIsKeptAsFailedNeverGuessed() {
        stubVerification("idv-s", verification("idv-s", "kyc-s"));
        stubIdentification("kyc-s", identification("kyc-s", "Suspicious", null));
        send(identificationEvent("KycIdentification.Updated", "idv-s", "kyc-s"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(jdbc.queryForObject(
                "select max(state) from inbound_message where message_type = 'identification'", String.class)));
        assertThat(jdbc.queryForObject("select last_error from inbound_message where message_type = 'identification'",
                String.class)).contains("Suspicious");
        assertThat(apiJson("/api/v1/cases?provider=ondato&providerRef=idv-s").get("items")).isEmpty();
    }

    @Test
    void anAwaitingIdentificationWithAReasonTheDocsDoNotShowIsKeptAsFailedNeverGuessed() {
        stubVerification("idv-r", verification("idv-r", "kyc-r"));
        stubIdentification("kyc-r", identification("kyc-r", "idv-r", "Awaiting", "ManualReview", null));
        send(identificationEvent("KycIdentification.Updated", "idv-r", "kyc-r"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(jdbc.queryForObject(
                "select max(state) from inbound_message where message_type = 'identification'", String.class)));
        assertThat(jdbc.queryForObject("select last_error from inbound_message where message_type = 'identification'",
                String.class)).contains("Awaiting").contains("ManualReview");
        assertThat(apiJson("/api/v1/cases?provider=ondato&providerRef=idv-r").get("items")).isEmpty();
    }

    @Test
    void aVerificationStatusTheDocsDoNotShowIsKeptAsFailedNeverGuessed() {
        stubVerification("idv-v", verification("idv-v", "Active", null));
        send(verificationEvent("IdentityVerification.StatusChanged", "idv-v"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(jdbc.queryForObject(
                "select max(state) from inbound_message where message_type = 'identity-verification'", String.class)));
        assertThat(jdbc.queryForObject("select last_error from inbound_message "
                + "where message_type = 'identity-verification'", String.class)).contains("'Active'");
        assertThat(apiJson("/api/v1/cases?provider=ondato&providerRef=idv-v").get("items")).isEmpty();
    }

    @Test
    void aVerificationThatExpiredOrWasAbortedBeforeTheIdentificationAsksForANewOne() {
        stubVerification("idv-e", verification("idv-e", "Pending", null));
        send(verificationEvent("IdentityVerification.StatusChanged", "idv-e"));
        awaitCase("idv-e", "ACTION_REQUIRED", "COMPLETE_VERIFICATION");

        stubVerification("idv-e", verification("idv-e", "Expired", null));
        send(verificationEvent("IdentityVerification.StatusChanged", "idv-e"));
        JsonNode expired = awaitCase("idv-e", "EXPIRED", "RESTART_KYC");
        assertThat(expired.get("providerStatus").asText()).isEqualTo("Expired");

        stubVerification("idv-a", verification("idv-a", "Aborted", null));
        send(verificationEvent("Idv.StatusChanged", "idv-a"));
        awaitCase("idv-a", "CANCELLED", "RESTART_KYC");
    }

    @Test
    void aVerificationCompletedWithoutAnIdentificationIsFlaggedForReview() {
        stubVerification("idv-c", verification("idv-c", "Completed", null));
        send(verificationEvent("IdentityVerification.StatusChanged", "idv-c"));
        JsonNode flagged = awaitCase("idv-c", "IN_REVIEW", "WAIT");
        assertThat(texts(flagged.get("reasons"))).containsExactly("COMPLETED_WITHOUT_IDENTIFICATION");
    }

    @Test
    void aFailingPullIsRetriedAndTheMessageProcessedOnceOndatoRecovers() {
        stubVerification("idv-5", verification("idv-5", "kyc-5"));
        stubIdentificationFailing("kyc-5", 500);
        send(identificationEvent("KycIdentification.Processed", "idv-5", "kyc-5"));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from inbound_message where message_type = 'identity-verification'", Integer.class) == 1);
        long pull = jdbc.queryForObject("select id from inbound_message where message_type = 'identity-verification'",
                Long.class);
        afterFirstAttempt(pull, () -> {
            assertThat(jdbc.queryForObject("select state from inbound_message where id = ?", String.class, pull))
                    .isEqualTo("ACCEPTED");
            stubIdentification("kyc-5", identification("kyc-5", "idv-5", "Awaiting", "Processing", null));
        });
        awaitCase("idv-5", "IN_REVIEW", "WAIT");
        awaitInboxDrained();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state <> 'PROCESSED'",
                Integer.class)).isZero();
    }

    @Test
    void webhooksAreAuthenticatedWithHttpBasicAndValidated() {
        String body = identificationEvent("KycIdentification.Created", "idv-a", "kyc-a");
        assertThat(postOndato(body, ONDATO_WEBHOOK_USER, "wrong").statusCode()).isEqualTo(401);
        assertThat(postOndato(body, "someone", ONDATO_WEBHOOK_PASSWORD).statusCode()).isEqualTo(401);
        assertThat(post("/webhooks/ondato", body, Map.of("Content-Type", "application/json")).statusCode())
                .isEqualTo(401);
        assertThat(post("/webhooks/ondato", body, Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + ONDATO_WEBHOOK_PASSWORD)).statusCode()).isEqualTo(401);

        assertThat(postOndato("{\"type\":\"KycIdentification.Created\",\"payload\":{}}").statusCode()).isEqualTo(400);
        assertThat(postOndato("{\"id\":\"e\",\"payload\":{}}").statusCode()).isEqualTo(400);
        assertThat(postOndato("{\"id\":\"e\",\"type\":\"KycIdentification.Created\"}").statusCode()).isEqualTo(400);
        assertThat(postOndato("[]").statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from inbound_message", Integer.class)).isZero();

        // The credentials were checked, never stored.
        send(body);
        assertThat(jdbc.queryForObject("select headers ->> 'authorization' from inbound_message", String.class))
                .isEqualTo("[redacted]");
    }
}
