package com.kychub.provider.width;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

/**
 * New data reaches WIDTH while the execution still waits on its node: particulars or an identity document handed
 * over anew are submitted once per new version and never twice for the same (the same data again, the same status
 * polled again); a submission WIDTH refused is not repeated, new data is tried, and the refused one replayed after it
 * sends nothing; and the customer asks for a new OTP ({@code POST /api/v1/customers/{id}/otp/resend}), sent once per
 * request, after which the code is verified against the new OTP's request.
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

    /**
     * A poll that finds the status WIDTH answered last stores nothing; what the case's next step depends on changing
     * (the profile, data handed over, a call answered: the case's inputs_changed_at, read with the claim) has the same
     * status stored and processed again, once per change.
     */
    @Test
    void theSameStatusIsPassedOnAgainOncePerChangeOfWhatTheCaseDependsOn() {
        stubStatus(EXEC, waiting(EXEC, "n-part", WidthMapping.PARTICULAR));
        stubMethod("workflow.kyc.particular.data", "{\"success\":true}");
        startOnboarding("c-wn", null, EXEC);
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_PERSONAL_DATA");
        awaitMorePolls(EXEC, 2);
        int stored = statusesStored();
        awaitMorePolls(EXEC, 3);
        assertThat(statusesStored()).isEqualTo(stored);

        // The profile changed: stored again once, though WIDTH's answer is the same.
        assertThat(apiSend("PATCH", "/api/v1/customers/c-wn", "{\"email\":\"wn@example.com\"}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> statusesStored() == stored + 1);
        awaitMorePolls(EXEC, 3);
        assertThat(statusesStored()).isEqualTo(stored + 1);

        // Particulars handed over: stored again (which plans the submission), and again once the submission was
        // answered (what the node router makes of the same status may differ after it); then nothing more.
        assertThat(handOver("c-wn", "particulars", PARTICULARS)).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> namesSubmitted().equals(List.of("John Smith")));
        await().atMost(Duration.ofSeconds(20)).until(() -> statusesStored() == stored + 3);
        awaitMorePolls(EXEC, 3);
        assertThat(statusesStored()).isEqualTo(stored + 3);
        assertThat(namesSubmitted()).containsExactly("John Smith");
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

        // The refused submission replayed now sends nothing: its particulars were replaced since.
        long refused = jdbc.queryForObject("select id from provider_action where state = 'FAILED'", Long.class);
        assertThat(operatorSend("POST", "/api/v1/ops/actions/" + refused + "/replay", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> "DONE".equals(jdbc.queryForObject(
                "select state from provider_action where id = ?", String.class, refused)));
        awaitMorePolls(EXEC, 3);
        assertThat(namesSubmitted()).containsExactly("John Smith", "John A. Smith");

        // WIDTH takes them and moves on: so does the case, the refusal no longer its reason.
        stubStatus(EXEC, status(EXEC, "RUNNING"));
        JsonNode movedOn = awaitCase(EXEC, c -> "RUNNING".equals(c.get("providerStatus").asText()));
        assertThat(movedOn.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(movedOn.get("nextAction").asText()).isEqualTo("WAIT");
        assertThat(movedOn.get("reasons")).isEmpty();
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

    @Test
    void theCustomerAsksForANewOtpWhichIsSentOncePerRequest() {
        // 404 for no such customer; 409 while no case of theirs waits for an OTP.
        HttpResponse<String> unknown = apiSend("POST", "/api/v1/customers/c-nobody/otp/resend", "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(readJson(unknown.body()).get("detail").asText()).contains("c-nobody");
        stubStatus(EXEC, waiting(EXEC, "n-part", WidthMapping.PARTICULAR));
        startOnboarding("c-wn", "john@example.com", EXEC);
        HttpResponse<String> noCase = apiSend("POST", "/api/v1/customers/c-wn/otp/resend", "");
        assertThat(noCase.statusCode()).isEqualTo(409);
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_PERSONAL_DATA");
        HttpResponse<String> otherNode = apiSend("POST", "/api/v1/customers/c-wn/otp/resend", "");
        assertThat(otherNode.statusCode()).isEqualTo(409);
        assertThat(readJson(otherNode.body()).get("title").asText()).isEqualTo("Conflict");
        assertThat(readJson(otherNode.body()).get("detail").asText()).contains("waits for an OTP");

        // The email node: the first OTP goes out and the customer is asked for the code.
        sendsAnswer(List.of("req-1", "req-2", "req-3"));
        stubMethod("workflow.kyc.otp.verify", "{\"success\":true}");
        stubStatus(EXEC, waiting(EXEC, "n-email", WidthMapping.EMAIL));
        awaitCase(EXEC, c -> "PROVIDE_OTP".equals(c.get("nextAction").asText())
                && "req-1".equals(c.at("/providerDetails/otp/requestId").asText()));
        assertThat(requests("workflow.kyc.otp.send")).hasSize(1);

        // The customer did not get it: a new one is asked of WIDTH, once.
        HttpResponse<String> resend = apiSend("POST", "/api/v1/customers/c-wn/otp/resend", "");
        assertThat(resend.statusCode()).isEqualTo(202);
        JsonNode answer = readJson(resend.body());
        assertThat(answer.get("customerId").asText()).isEqualTo("c-wn");
        JsonNode resent = awaitCase(EXEC, c -> "PROVIDE_OTP".equals(c.get("nextAction").asText())
                && "req-2".equals(c.at("/providerDetails/otp/requestId").asText()));
        assertThat(answer.get("caseId").asText()).isEqualTo(resent.get("id").asText());
        awaitMorePolls(EXEC, 3);
        assertThat(requests("workflow.kyc.otp.send")).hasSize(2);
        JsonNode second = parse(requests("workflow.kyc.otp.send").get(1).getBodyAsString());
        assertThat(second.get("type").asText()).isEqualTo("email");
        assertThat(second.get("identity").asText()).isEqualTo("john@example.com");
        assertThat(second.get("callbackKey").asText()).isEqualTo("kyc:n-email:cb");

        // The code the customer then gives is verified against the new OTP's request.
        assertThat(apiSend("POST", "/api/v1/customers/c-wn/otp", "{\"code\":\"482913\"}").statusCode())
                .isEqualTo(202);
        JsonNode verify = awaitRequest("workflow.kyc.otp.verify");
        assertThat(verify.get("code").asText()).isEqualTo("482913");
        assertThat(verify.get("requestId").asText()).isEqualTo("req-2");

        // Asked again: one more send, and only one.
        assertThat(apiSend("POST", "/api/v1/customers/c-wn/otp/resend", "").statusCode()).isEqualTo(202);
        awaitCase(EXEC, c -> "req-3".equals(c.at("/providerDetails/otp/requestId").asText()));
        awaitMorePolls(EXEC, 3);
        assertThat(requests("workflow.kyc.otp.send")).hasSize(3);
        assertThat(requests("workflow.kyc.otp.verify")).hasSize(1);
        assertThat(jdbc.queryForList("select action from provider_action where kind = 'OTP_SEND' order by id",
                String.class)).hasSize(3).doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("OTP_SEND:" + EXEC + ":n-email"));
    }

    /** WIDTH answers each {@code workflow.kyc.otp.send} with the next of these requestIds. */
    private void sendsAnswer(List<String> requestIds) {
        String state = STARTED;
        for (int i = 0; i < requestIds.size(); i++) {
            String next = "sent-" + (i + 1);
            PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.kyc.otp.send")).inScenario("otp")
                    .whenScenarioStateIs(state).willSetStateTo(next)
                    .willReturn(okJson("{\"requestId\":\"" + requestIds.get(i) + "\"}")));
            state = next;
        }
    }

    /** The execution statuses of EXEC stored in the inbox from polls. */
    private int statusesStored() {
        return jdbc.queryForObject("select count(*) from inbound_message where provider = 'width' "
                + "and message_type = 'execution-status' and subject = ?", Integer.class, EXEC);
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
