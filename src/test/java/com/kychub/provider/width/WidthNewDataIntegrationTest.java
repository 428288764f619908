package com.kychub.provider.width;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * New data reaches WIDTH while the execution still waits on its node: particulars or an identity document handed
 * over anew are submitted once per new version and never twice for the same (the same data again, the same status
 * polled again); a submission WIDTH refused is not repeated, new data is tried.
 */
class WidthNewDataIntegrationTest extends WidthFlows {

    private static final String EXEC = "exec-new-data";
    private static final String PARTICULARS = """
            {"name": "John Smith", "dateOfBirth": "1990-01-15", "nationality": "SG"}""";
    private static final String CORRECTED = """
            {"name": "John A. Smith", "dateOfBirth": "1990-01-15", "nationality": "SG"}""";

    @Test
    void newParticularsForANodeStillWaitingAreSubmittedOnceAndTheSameNever() {
        stubStatus(EXEC, waiting(EXEC, "n-part", WidthMapping.PARTICULAR));
        stubMethod("workflow.kyc.particular.data", "{\"success\":true}");
        startOnboarding("c-wn", null, EXEC);
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_PERSONAL_DATA");

        assertThat(handOver("c-wn", "particulars", PARTICULARS)).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> namesSubmitted().equals(List.of("John Smith")));
        // WIDTH still waits on the node: nothing more goes out by itself.
        awaitMorePolls(EXEC, 3);
        assertThat(namesSubmitted()).containsExactly("John Smith");

        // The same particulars again: no new datum (200), nothing submitted.
        assertThat(handOver("c-wn", "particulars", PARTICULARS)).isEqualTo(200);
        awaitMorePolls(EXEC, 3);
        assertThat(namesSubmitted()).containsExactly("John Smith");

        // Corrected particulars: submitted once, to the node still waiting, though the case reads as before.
        assertThat(handOver("c-wn", "particulars", CORRECTED)).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> namesSubmitted().equals(List.of("John Smith",
                "John A. Smith")));
        awaitMorePolls(EXEC, 3);
        assertThat(namesSubmitted()).containsExactly("John Smith", "John A. Smith");
        assertThat(requests("workflow.kyc.particular.data").get(1).getBodyAsString()).contains("kyc:n-part:cb");
        awaitCase(EXEC, "IN_PROGRESS", "WAIT");
        // Named by the execution, the node and the version, never by the data.
        assertThat(jdbc.queryForList("select action || ' ' || state from provider_action where kind = 'PARTICULAR' "
                + "order by id", String.class)).hasSize(2).doesNotHaveDuplicates()
                .allMatch(row -> row.matches("PARTICULAR:" + EXEC + ":n-part:\\d{13} DONE"));
    }

    @Test
    void aRefusedSubmissionIsNotRepeatedButNewDataIsTried() {
        stubStatus(EXEC, waiting(EXEC, "n-part", WidthMapping.PARTICULAR));
        stubMethod("workflow.kyc.particular.data", "{\"success\":false,\"code\":\"INVALID_PARTICULARS\"}");
        startOnboarding("c-wn", null, EXEC);
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_PERSONAL_DATA");

        assertThat(handOver("c-wn", "particulars", PARTICULARS)).isEqualTo(201);
        JsonNode held = awaitCase(EXEC, "ACTION_REQUIRED", "CONTACT_SUPPORT");
        assertThat(held.get("reasons").get(0).asText()).isEqualTo("ACTION_FAILED:PARTICULAR:INVALID_PARTICULARS");
        awaitMorePolls(EXEC, 4);
        assertThat(namesSubmitted()).containsExactly("John Smith");

        stubMethod("workflow.kyc.particular.data", "{\"success\":true}");
        assertThat(handOver("c-wn", "particulars", CORRECTED)).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> namesSubmitted().equals(List.of("John Smith",
                "John A. Smith")));
        awaitMorePolls(EXEC, 3);
        assertThat(namesSubmitted()).containsExactly("John Smith", "John A. Smith");
        assertThat(jdbc.queryForList("select state from provider_action where kind = 'PARTICULAR' order by id",
                String.class)).containsExactly("FAILED", "DONE");

        // WIDTH takes them and moves on: so does the case.
        stubStatus(EXEC, status(EXEC, "RUNNING"));
        JsonNode movedOn = awaitCase(EXEC, "IN_PROGRESS", "WAIT");
        assertThat(movedOn.get("providerStatus").asText()).isEqualTo("RUNNING");
    }

    @Test
    void aNewIdentityDocumentIsSubmittedToOcrAgainAndItsOwnResultPolled() {
        stubStatus(EXEC, waiting(EXEC, "n-ocr", WidthMapping.OCR));
        stubMethod("workflow.kyc.ocr", "{\"success\":true}");
        stubMethod("workflow.kyc.ocr.data", "{\"status\":\"COMPLETED\",\"result\":{\"fullName\":\"JOHN SMITH\"}}");
        startOnboarding("c-wn", null, EXEC);
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_DOCUMENT");

        assertThat(handOver("c-wn", "identity-document", identityDocument("front-1.jpg"))).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests("workflow.kyc.ocr.data").size() == 1);
        awaitMorePolls(EXEC, 3);
        assertThat(frontImagesSubmitted()).containsExactly("s3://workflow-kyc/c-wn/front-1.jpg");
        assertThat(requests("workflow.kyc.ocr.data")).hasSize(1);

        // WIDTH still waits on the OCR node (the first image unreadable, say): a new image is submitted once, and the
        // result of that submission is polled, not taken for the one already read.
        assertThat(handOver("c-wn", "identity-document", identityDocument("front-1.jpg"))).isEqualTo(200);
        assertThat(handOver("c-wn", "identity-document", identityDocument("front-2.jpg"))).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests("workflow.kyc.ocr.data").size() == 2);
        awaitMorePolls(EXEC, 3);
        assertThat(frontImagesSubmitted()).containsExactly("s3://workflow-kyc/c-wn/front-1.jpg",
                "s3://workflow-kyc/c-wn/front-2.jpg");
        assertThat(requests("workflow.kyc.ocr.data")).hasSize(2);
        assertThat(requests("workflow.kyc.ocr.data").get(1).getLoggedDate())
                .isAfterOrEqualTo(requests("workflow.kyc.ocr").get(1).getLoggedDate());
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where provider = 'width' "
                + "and message_type = 'ocr-data'", Integer.class)).isEqualTo(2);
    }

    private int handOver(String customerId, String kind, String body) {
        return apiSend("POST", "/api/v1/customers/" + customerId + "/data/" + kind, body).statusCode();
    }

    private static String identityDocument(String front) {
        return "{\"frontImage\": \"s3://workflow-kyc/c-wn/" + front + "\", \"documentType\": \"INTERNATIONAL_PASSPORT\","
                + " \"region\": \"SG\"}";
    }

    /** The names WIDTH was sent in particulars, in order. */
    private List<String> namesSubmitted() {
        return requests("workflow.kyc.particular.data").stream()
                .map(request -> parse(parse(request.getBodyAsString()).get("personData").asText()).get("name").asText())
                .toList();
    }

    private List<String> frontImagesSubmitted() {
        return requests("workflow.kyc.ocr").stream()
                .map(request -> parse(request.getBodyAsString()).get("frontImage").asText()).toList();
    }
}
