package com.kychub.provider.striga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Striga webhooks through the real HTTP endpoint, the inbox, the worker and PostgreSQL, read back via the API. */
class StrigaWebhookIntegrationTest extends HubIntegrationTest {

    private static final String DOC_USER = "9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e";

    @Test
    void theDocsRejectedThenRejectedFinalPayloadsBuildTheCaseAndItsAuditTrail() {
        HttpResponse<String> first = postStriga(fixture("striga/rejected.json"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(readJson(first.body()).get("status").asText()).isEqualTo("accepted");
        JsonNode rejected = awaitCase(DOC_USER, "REJECTED");
        assertThat(rejected.get("customerId").asText()).isEqualTo(DOC_USER);
        assertThat(rejected.get("nextAction").asText()).isEqualTo("RESTART_KYC");
        assertThat(rejected.get("providerStatus").asText()).isEqualTo("REJECTED");
        assertThat(texts(rejected.get("reasons")))
                .containsExactly("UNSATISFACTORY_PHOTOS", "SCREENSHOTS", "PROBLEMATIC_APPLICANT_DATA");
        assertThat(rejected.at("/providerDetails/rejectionComments/userComment").asText())
                .isEqualTo("The full name on the profile is either missing or incorrect.");

        assertThat(postStriga(fixture("striga/rejected-final.json")).statusCode()).isEqualTo(200);
        JsonNode fin = awaitCase(DOC_USER, "REJECTED_FINAL");
        assertThat(fin.get("id")).isEqualTo(rejected.get("id"));
        assertThat(texts(fin.get("reasons"))).containsExactly("UNSATISFACTORY_PHOTOS", "SCREENSHOTS", "NOT_DOCUMENT");

        JsonNode events = apiJson("/api/v1/cases/" + fin.get("id").asText() + "/events").get("items");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("type").asText()).isEqualTo("CASE_OPENED");
        assertThat(events.get(0).path("fromStatus").isMissingNode()).isTrue();
        assertThat(events.get(0).get("toStatus").asText()).isEqualTo("REJECTED");
        assertThat(events.get(1).get("type").asText()).isEqualTo("STATUS_CHANGED");
        assertThat(events.get(1).get("fromStatus").asText()).isEqualTo("REJECTED");
        assertThat(events.get(1).get("toStatus").asText()).isEqualTo("REJECTED_FINAL");
        assertThat(events.get(1).get("providerEvent").asText()).isEqualTo("REJECTED_FINAL");
        assertThat(events.get(1).get("occurredAt").asText()).isNotBlank();

        JsonNode customer = apiJson("/api/v1/customers/" + DOC_USER + "/kyc");
        assertThat(customer.get("overallStatus").asText()).isEqualTo("REJECTED_FINAL");
        assertThat(customer.get("cases")).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
            "NOT_STARTED,    NOT_STARTED,    START_KYC",
            "INITIATED,      IN_PROGRESS,    COMPLETE_VERIFICATION",
            "PENDING_REVIEW, IN_REVIEW,      WAIT",
            "ON_HOLD,        IN_REVIEW,      WAIT",
            "APPROVED,       APPROVED,       NONE",
            "REJECTED,       REJECTED,       RESTART_KYC",
            "REJECTED_FINAL, REJECTED_FINAL, NONE"})
    void everyStatusArrivesAsTheCanonicalRow(String striga, String status, String nextAction) {
        String user = "user-" + striga.toLowerCase();
        assertThat(postStriga(body(user, striga)).statusCode()).isEqualTo(200);

        JsonNode kycCase = awaitCase(user, status);
        assertThat(kycCase.get("nextAction").asText()).isEqualTo(nextAction);
        assertThat(kycCase.get("provider").asText()).isEqualTo("striga");
        Map<String, Object> row = jdbc.queryForMap(
                "select status, next_action, provider_status from kyc_case where provider_ref = ?", user);
        assertThat(row).containsEntry("status", status).containsEntry("next_action", nextAction)
                .containsEntry("provider_status", striga);
    }

    @Test
    void rejectedWithRejectionFinalIsFinal() {
        postStriga("{\"userId\":\"u-final\",\"status\":\"REJECTED\",\"rejectionFinal\":true}");
        assertThat(awaitCase("u-final", "REJECTED_FINAL").at("/providerDetails/rejectionFinal").asBoolean()).isTrue();
    }

    @Test
    void aDuplicateDeliveryIsAnswered200AndChangesNothing() {
        String body = body("u-dup", "PENDING_REVIEW");
        HttpResponse<String> first = postStriga(body);
        awaitCase("u-dup", "IN_REVIEW");
        // Striga's retry of the same message, re-formatted on the way: the compact form is the same.
        HttpResponse<String> again = postStriga(body.replace(",", ", "));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(readJson(again.body()).get("status").asText()).isEqualTo("duplicate");
        assertThat(readJson(again.body()).get("id")).isEqualTo(readJson(first.body()).get("id"));
        awaitInboxDrained();
        assertThat(count("select count(*) from inbound_message")).isEqualTo(1);
        assertThat(count("select count(*) from kyc_event")).isEqualTo(1);
    }

    @Test
    void aLateNonTerminalStatusNeverOverwritesApproved() {
        postStriga(body("u-late", "APPROVED"));
        JsonNode approved = awaitCase("u-late", "APPROVED");
        postStriga(body("u-late", "PENDING_REVIEW"));
        awaitInboxDrained();

        assertThat(apiJson("/api/v1/cases/" + approved.get("id").asText()).get("status").asText()).isEqualTo("APPROVED");
        assertThat(jdbc.queryForList("select outcome from inbound_message order by id", String.class))
                .containsExactly("CREATED", "STALE");
        assertThat(apiJson("/api/v1/cases/" + approved.get("id").asText() + "/events").get("items")).hasSize(1);
    }

    @Test
    void aLateStatusNeverOverwritesRejectedFinalButANewerTimestampDoes() {
        postStriga("{\"userId\":\"u-ts\",\"status\":\"REJECTED_FINAL\",\"ts\":1763800000000}");
        awaitCase("u-ts", "REJECTED_FINAL");
        postStriga("{\"userId\":\"u-ts\",\"status\":\"REJECTED\",\"ts\":1763700000000}");
        postStriga("{\"userId\":\"u-ts\",\"status\":\"ON_HOLD\"}");
        awaitInboxDrained();
        assertThat(apiJson("/api/v1/cases?provider=striga&providerRef=u-ts").get("items").get(0).get("status").asText())
                .isEqualTo("REJECTED_FINAL");
        assertThat(jdbc.queryForList("select outcome from inbound_message order by id", String.class))
                .containsExactly("CREATED", "STALE", "STALE");

        // Striga's compliance team reopened the case: a later timestamp is a provider update.
        postStriga("{\"userId\":\"u-ts\",\"status\":\"APPROVED\",\"ts\":1763900000000}");
        awaitCase("u-ts", "APPROVED");
    }

    @Test
    void theSameStatusSentAgainLaterMakesTheMessagesInBetweenStale() {
        // A re-submission rejected again for the same reasons, the review status in between delivered last.
        String rejected = "{\"userId\":\"u-again\",\"status\":\"REJECTED\",\"details\":[\"SCREENSHOTS\"],"
                + "\"ts\":%d}";
        postStriga(rejected.formatted(1763700000000L));
        awaitCase("u-again", "REJECTED");
        postStriga(rejected.formatted(1763900000000L));
        awaitInboxDrained();
        postStriga("{\"userId\":\"u-again\",\"status\":\"PENDING_REVIEW\",\"ts\":1763800000000}");
        awaitInboxDrained();

        assertThat(texts(awaitCase("u-again", "REJECTED").get("reasons"))).containsExactly("SCREENSHOTS");
        assertThat(jdbc.queryForList("select outcome from inbound_message order by id", String.class))
                .containsExactly("CREATED", "UNCHANGED", "STALE");
        assertThat(count("select count(*) from kyc_event")).isEqualTo(1);
    }

    @Test
    void theRawBodyAndHeadersAreStoredWithCredentialsRedacted() {
        String body = "{\"userId\":\"u-raw\", \"status\":\"INITIATED\",\n \"note\":\"Zoë\"}";
        String signature = hmacHex(STRIGA_KEY, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json", "Authorization", "Basic c2VjcmV0",
                "signature", signature));

        Map<String, Object> row = jdbc.queryForMap(
                "select body, headers ->> 'authorization' as authorization, headers ->> 'signature' as signature "
                        + "from inbound_message");
        assertThat(row.get("body")).isEqualTo(body);
        assertThat(row.get("authorization")).isEqualTo("[redacted]");
        // A signature is no credential: it is kept as sent.
        assertThat(row.get("signature")).isEqualTo(signature);
    }

    @Test
    void anInvalidOrMissingSignatureIs401AndNothingIsStored() {
        String body = body("u-forged", "APPROVED");
        HttpResponse<String> forged = post("/webhooks/striga/kyc", body,
                Map.of("Content-Type", "application/json", "signature", hmacHex("not-the-key", body.getBytes())));
        HttpResponse<String> unsigned = post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json"));

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(readJson(forged.body()).get("detail").asText()).isEqualTo("invalid signature");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(count("select count(*) from inbound_message")).isZero();
    }

    @Test
    void malformedBodiesGetAClear4xxAndAreNotStored() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(postStriga("{\"userId\": \"u-1\", \"status\": "));
        answers.add(postStriga("{\"status\":\"APPROVED\"}"));
        answers.add(postStriga("[\"APPROVED\"]"));
        byte[] notUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        answers.add(post("/webhooks/striga/kyc", notUtf8, Map.of("Content-Type", "application/json",
                "signature", hmacHex(STRIGA_KEY, notUtf8))));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(readJson(answer.body()).get("detail").asText()).isNotBlank();
            assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at com.");
        });
        assertThat(readJson(answers.get(1).body()).get("detail").asText()).contains("userId");

        HttpResponse<String> text = post("/webhooks/striga/kyc", body("u-1", "APPROVED"),
                Map.of("Content-Type", "text/plain"));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(count("select count(*) from inbound_message")).isZero();
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String huge = "{\"userId\":\"u-big\",\"status\":\"APPROVED\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        HttpResponse<String> answer = postStriga(huge);

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(readJson(answer.body()).get("title").asText()).isEqualTo("Payload Too Large");
        assertThat(count("select count(*) from inbound_message")).isZero();
    }

    @Test
    void anUnknownStatusIsKeptAsFailedNeverGuessedAndCanBeReplayed() {
        HttpResponse<String> answer = postStriga(body("u-new-status", "SUSPENDED"));
        assertThat(answer.statusCode()).isEqualTo(200);
        long id = readJson(answer.body()).get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(
                jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id)));
        assertThat(jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class, id))
                .contains("unknown Striga status 'SUSPENDED'");
        assertThat(count("select count(*) from kyc_case")).isZero();

        JsonNode failed = operatorJson("/api/v1/ops/inbox?state=FAILED&provider=striga").get("items");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("id").asLong()).isEqualTo(id);
        assertThat(failed.get(0).has("body")).isFalse();

        // Replaying before a fix fails the same way: the message stays, visible, never lost.
        assertThat(operatorSend("POST", "/api/v1/ops/inbox/" + id + "/replay", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(
                jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id)));
        assertThat(jdbc.queryForObject("select attempts from inbound_message where id = ?", Integer.class, id))
                .isEqualTo(2);

        // A processed message is not replayed: that would apply it twice.
        long processed = readJson(postStriga(body("u-known", "APPROVED")).body()).get("id").asLong();
        awaitInboxDrained();
        assertThat(operatorSend("POST", "/api/v1/ops/inbox/" + processed + "/replay", "").statusCode()).isEqualTo(409);
    }

    @Test
    void extraFieldsOfNewerPayloadsAreTolerated() {
        assertThat(postStriga(fixture("striga/newer-approved-with-tiers.json")).statusCode()).isEqualTo(200);
        JsonNode kycCase = awaitCase("2f6d1c3e-5a0b-4e43-9b7a-0c1d2e3f4a5b", "APPROVED");
        assertThat(kycCase.at("/providerDetails/currentTier").asInt()).isEqualTo(1);
        assertThat(kycCase.at("/providerDetails/tier2/status").asText()).isEqualTo("NOT_STARTED");
    }

    @Test
    void metricsCountMessagesPerProviderAndOutcome() {
        String body = body("u-metrics", "INITIATED");
        postStriga(body);
        postStriga(body);
        post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json", "signature", "00"));
        awaitInboxDrained();

        for (String outcome : outcomesCountedHere()) {
            JsonNode metric = operatorJson("/actuator/metrics/kyc.inbox.messages?tag=provider:striga&tag=outcome:"
                    + outcome);
            assertThat(metric.at("/measurements/0/value").asDouble()).as(outcome).isGreaterThanOrEqualTo(1.0);
        }
    }

    /** The outcomes this hub counts for messages it received and processed itself. */
    protected List<String> outcomesCountedHere() {
        return List.of("accepted", "duplicate", "rejected", "processed");
    }

    private JsonNode awaitCase(String userId, String status) {
        return awaitCase("striga", userId, status, null);
    }

    private int count(String sql) {
        return jdbc.queryForObject(sql, Integer.class);
    }

    private static String body(String userId, String status) {
        return "{\"userId\":\"" + userId + "\",\"status\":\"" + status + "\"}";
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
