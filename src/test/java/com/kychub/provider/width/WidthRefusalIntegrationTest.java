package com.kychub.provider.width;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * WIDTH's RPC answers carry a {@code success} flag: an answer with {@code success: false} is a refusal even under HTTP
 * 200. A refused call is FAILED (not DONE, not retried) with WIDTH's error code as its last error, never the answer's
 * free text; a refused status poll is kept FAILED in the inbox with its code, never read as a status.
 */
class WidthRefusalIntegrationTest extends WidthFlows {

    @Test
    void aRegistrationWidthRefusesIsFailedWithItsCodeAndGoesNoFurther() {
        stubMethod("workflow.applicant.register", """
                {"success": false, "code": "APPLICANT_EXISTS",
                 "message": "Applicant john@example.com already exists"}""");
        assertThat(apiSend("POST", "/api/v1/customers",
                "{\"customerId\":\"c-f1\",\"email\":\"john@example.com\"}").statusCode()).isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/c-f1/onboardings", "{\"provider\":\"width\"}").statusCode())
                .isEqualTo(202);

        Map<String, Object> action = awaitSettled("c-f1", "REGISTER");
        assertThat(action).containsEntry("state", "FAILED").containsEntry("attempts", 1)
                .containsEntry("last_error",
                        "WIDTH refused workflow.applicant.register (success: false, code APPLICANT_EXISTS)");
        assertThat(requests("workflow.applicant.register")).hasSize(1);
        assertThat(requests("workflow.apply.submit")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where provider = 'width'",
                Integer.class)).isZero();
    }

    @Test
    void aNodeSubmissionWidthRefusesIsFailedWithTheCodeAndWithoutTheFreeText() {
        String exec = "exec-refused-ocr";
        stubStatus(exec, waiting(exec, "n-ocr", WidthMapping.OCR));
        stubMethod("workflow.kyc.ocr", """
                {"success": "false", "error": {"code": "INVALID_CALLBACK_KEY",
                 "message": "kyc:n-ocr:cb of John Smith, passport E1234567, is not waiting"}}""");
        startOnboarding("c-f2", null, exec);
        awaitCase(exec, "ACTION_REQUIRED", "PROVIDE_DOCUMENT");
        assertThat(apiSend("POST", "/api/v1/customers/c-f2/data/identity-document", """
                {"frontImage": "s3://workflow-kyc/c-f2/front.jpg", "documentType": "INTERNATIONAL_PASSPORT",
                 "region": "SG"}""").statusCode()).isEqualTo(201);

        Map<String, Object> action = awaitSettled("c-f2", "OCR");
        assertThat(action).containsEntry("state", "FAILED").containsEntry("last_error",
                "WIDTH refused workflow.kyc.ocr (success: false, code INVALID_CALLBACK_KEY)");
        awaitMorePolls(exec, 3);
        // Not DONE: no OCR result is awaited, and the node is not submitted again.
        assertThat(requests("workflow.kyc.ocr")).hasSize(1);
        assertThat(requests("workflow.kyc.ocr.data")).isEmpty();
        // Not silently: the case says which call WIDTH refused, with WIDTH's code and without its free text.
        JsonNode held = awaitCase(exec, "ACTION_REQUIRED", "CONTACT_SUPPORT");
        assertThat(held.get("reasons").get(0).asText()).isEqualTo("ACTION_FAILED:OCR:INVALID_CALLBACK_KEY");
        assertThat(held.toString()).doesNotContain("John Smith");
        // The registration and the workflow's start were answered without the flag: DONE as before.
        assertThat(jdbc.queryForList("select kind from provider_action where customer_id = 'c-f2' and state = 'DONE' "
                + "order by id", String.class)).containsExactly("REGISTER", "START_WORKFLOW");
    }

    @Test
    void aStatusPollWidthRefusesIsKeptFailedWithItsCodeNeverReadAsAStatus() {
        String exec = "exec-refused-status";
        stubStatus(exec, status(exec, "RUNNING"));
        startOnboarding("c-f3", null, exec);
        awaitCase(exec, c -> "RUNNING".equals(c.path("providerStatus").asText()));

        stubStatus(exec, """
                {"success": false, "code": 40401, "message": "Access denied for john@example.com"}""");
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("""
                select count(*) from inbound_message where provider = 'width' and state = 'FAILED'
                  and last_error = 'WIDTH refused workflow.execution.status (success: false, code 40401)'""",
                Integer.class) == 1);
        awaitMorePolls(exec, 3);
        assertThat(apiJson("/api/v1/cases?provider=width&providerRef=" + exec).get("items").get(0).get("status")
                .asText()).isEqualTo("IN_PROGRESS");
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where provider = 'width' "
                + "and state = 'FAILED'", Integer.class)).isEqualTo(1);
    }

    /** An error code is read from the fields a refusal may carry it in, and only as a token: never free text. */
    @Test
    void theErrorCodeIsATokenNeverFreeText() {
        assertThat(WidthClient.errorCode(parse("{\"code\":\"OTP_EXPIRED\",\"message\":\"x\"}"))).contains("OTP_EXPIRED");
        assertThat(WidthClient.errorCode(parse("{\"errorCode\":40001}"))).contains("40001");
        assertThat(WidthClient.errorCode(parse("{\"error_code\":\"E.42\"}"))).contains("E.42");
        assertThat(WidthClient.errorCode(parse("{\"error\":{\"code\":\"RATE_LIMITED\"}}"))).contains("RATE_LIMITED");
        assertThat(WidthClient.errorCode(parse("{\"msg\":\"INVALID_SIGNATURE\"}"))).contains("INVALID_SIGNATURE");
        assertThat(WidthClient.errorCode(parse("{\"error\":\"DOMAIN_NOT_FOUND\"}"))).contains("DOMAIN_NOT_FOUND");
        assertThat(WidthClient.errorCode(parse("{\"message\":\"Invalid email john@example.com\"}"))).isEmpty();
        assertThat(WidthClient.errorCode(parse("{\"message\":\"6591234567\"}"))).isEmpty();
        assertThat(WidthClient.errorCode(parse("{\"code\":\"" + "A".repeat(65) + "\"}"))).isEmpty();
        assertThat(WidthClient.errorCode(parse("{\"success\":false}"))).isEmpty();
    }

    /** The call of that kind for the customer, once the action worker settled it (not PENDING any more). */
    private Map<String, Object> awaitSettled(String customerId, String kind) {
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("""
                select count(*) from provider_action where customer_id = ? and kind = ? and state <> 'PENDING'""",
                Integer.class, customerId, kind) == 1);
        return jdbc.queryForMap("select state, attempts, last_error from provider_action "
                + "where customer_id = ? and kind = ?", customerId, kind);
    }
}
