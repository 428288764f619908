package com.kychub.provider.width;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Each execution status of the doc (and CREATED) against a WIDTH stub: where the case goes, and that polling stops
 * on the terminal ones while a manual review is polled at its own pace until WIDTH decides; an unknown node type or
 * result is flagged, never guessed; the data API's checks.
 */
class WidthStatusesIntegrationTest extends WidthFlows {

    @Test
    void eachTerminalStatusEndsTheCaseAndStopsPolling() {
        String[][] table = {
                {"c-t1", "exec-failed", status("exec-failed", "FAILED"), "ERROR", "CONTACT_SUPPORT"},
                {"c-t2", "exec-timeout", status("exec-timeout", "TIMEOUT"), "EXPIRED", "CONTACT_SUPPORT"},
                {"c-t3", "exec-cancelled", status("exec-cancelled", "CANCELLED"), "CANCELLED", "NONE"},
                {"c-t4", "exec-approved", completed("exec-approved", "\"APPROVED\""), "APPROVED", "NONE"},
                {"c-t5", "exec-rejected", completed("exec-rejected", "{\"decision\":\"REJECTED\"}"), "REJECTED",
                        "NONE"}};
        for (String[] row : table) {
            stubStatus(row[1], status(row[1], "CREATED"));
            startOnboarding(row[0], null, row[1]);
        }
        for (String[] row : table) {
            awaitCase(row[1], "IN_PROGRESS", "WAIT");
            awaitMorePolls(row[1], 1);
            stubStatus(row[1], status(row[1], "RUNNING"));
        }
        for (String[] row : table) {
            awaitCase(row[1], c -> "RUNNING".equals(c.path("providerStatus").asText()));
            stubStatus(row[1], row[2]);
        }
        for (String[] row : table) {
            awaitCase(row[1], row[3], row[4]);
            assertThat(jdbc.queryForObject("select next_poll_at is null from kyc_case where provider_ref = ?",
                    Boolean.class, row[1])).as(row[1]).isTrue();
        }
        int polls = requests("workflow.execution.status").size();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> requests("workflow.execution.status").size() == polls);
    }

    /**
     * "Workflow completes or routes to manual review": a review is no end. The execution is looked at once per
     * review-poll-every (its default, a minute: the next look is asserted, and brought forward where a minute would
     * pass) until WIDTH's decision appears, which ends the polling.
     */
    @Test
    void aManualReviewIsPolledAtTheReviewPaceUntilWidthDecides() {
        String exec = "exec-review";
        stubStatus(exec, status(exec, "RUNNING"));
        startOnboarding("c-r1", null, exec);
        awaitCase(exec, "IN_PROGRESS", "WAIT");

        stubStatus(exec, completed(exec, "\"MANUAL_REVIEW\""));
        JsonNode review = awaitCase(exec, "IN_REVIEW", "WAIT");
        assertThat(review.at("/providerDetails/result").asText()).isEqualTo("MANUAL_REVIEW");
        assertThat(review.at("/providerDetails/awaitingDecision").asBoolean()).isTrue();
        awaitNextLookInAMinute(exec);
        // Meanwhile, not at the pace of a running execution (250 ms here).
        int polls = requests("workflow.execution.status", exec).size();
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3))
                .until(() -> requests("workflow.execution.status", exec).size() == polls);

        // A minute on, still in review: looked at, and the next look a minute on again.
        dueNow(exec);
        awaitMorePolls(exec, 1);
        awaitNextLookInAMinute(exec);
        assertThat(apiJson("/api/v1/cases?provider=width&providerRef=" + exec).get("items").get(0).get("status")
                .asText()).isEqualTo("IN_REVIEW");

        // The decision: the case ends, polling stops.
        stubStatus(exec, completed(exec, "{\"decision\":\"APPROVED\"}"));
        dueNow(exec);
        JsonNode approved = awaitCase(exec, "APPROVED", "NONE");
        assertThat(approved.at("/providerDetails/result").asText()).isEqualTo("APPROVED");
        assertThat(approved.at("/providerDetails/awaitingDecision").isMissingNode()).isTrue();
        assertThat(jdbc.queryForObject("select next_poll_at is null from kyc_case where provider_ref = ?",
                Boolean.class, exec)).isTrue();
        int afterDecision = requests("workflow.execution.status", exec).size();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> requests("workflow.execution.status", exec).size() == afterDecision);
    }

    /**
     * "COMPLETED: stop polling, read result", but the answer has none: flagged in review (reason RESULT_MISSING),
     * never guessed into a verdict nor failed, and looked at once per review-poll-every until the result is there.
     */
    @Test
    void aCompletedExecutionWithoutResultIsFlaggedAndPolledUntilOneAppears() {
        String exec = "exec-no-result";
        stubStatus(exec, status(exec, "RUNNING"));
        startOnboarding("c-r2", null, exec);
        awaitCase(exec, "IN_PROGRESS", "WAIT");

        stubStatus(exec, status(exec, "COMPLETED"));
        JsonNode flagged = awaitCase(exec, "IN_REVIEW", "WAIT");
        assertThat(flagged.get("reasons").toString()).isEqualTo("[\"RESULT_MISSING\"]");
        assertThat(flagged.get("providerStatus").asText()).isEqualTo("COMPLETED");
        assertThat(flagged.at("/providerDetails/result").isMissingNode()).isTrue();
        awaitNextLookInAMinute(exec);
        assertThat(jdbc.queryForList("select to_status || '/' || to_next_action || ' ' || (detail->'reasons')::text "
                        + "from kyc_event e join kyc_case k on k.id = e.case_id where k.provider_ref = ? "
                        + "order by e.id desc limit 1", String.class, exec))
                .containsExactly("IN_REVIEW/WAIT [\"RESULT_MISSING\"]");

        stubStatus(exec, completed(exec, "{\"decision\":null}"));
        dueNow(exec);
        awaitMorePolls(exec, 1);
        // A new answer: stored, then processed, which puts the next look a minute on again. The claim did so already,
        // so the wait below is met before that; the next dueNow must come after the processing, or it is undone.
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("""
                select count(*) from inbound_message
                where provider = 'width' and state = 'PROCESSED' and body like '%"decision":null%'""",
                Integer.class) == 1);
        awaitNextLookInAMinute(exec);

        stubStatus(exec, completed(exec, "\"FAIL\""));
        dueNow(exec);
        JsonNode rejected = awaitCase(exec, "REJECTED", "NONE");
        assertThat(rejected.get("reasons")).isEmpty();
        assertThat(jdbc.queryForObject("select next_poll_at is null from kyc_case where provider_ref = ?",
                Boolean.class, exec)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where provider = 'width' "
                + "and state <> 'PROCESSED'", Integer.class)).isZero();
    }

    @Test
    void anUnknownNodeTypeFlagsTheCaseAndAnUnknownResultIsKeptFailed() {
        stubStatus("exec-unknown", waiting("exec-unknown", "n-x", "flow_action_teleport"));
        startOnboarding("c-u1", "u1@example.com", "exec-unknown");
        JsonNode flagged = awaitCase("exec-unknown", "ACTION_REQUIRED", "CONTACT_SUPPORT");
        assertThat(flagged.get("reasons").get(0).asText()).isEqualTo("UNKNOWN_NODE_TYPE:flow_action_teleport");
        awaitMorePolls("exec-unknown", 3);
        assertThat(PROVIDERS.getAllServeEvents().stream()
                .map(event -> event.getRequest().getUrl())
                .filter(url -> url.startsWith("/api/workflow.kyc."))).isEmpty();

        stubStatus("exec-unknown", completed("exec-unknown", "\"MAYBE\""));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from inbound_message where provider = 'width' and state = 'FAILED' "
                        + "and last_error like '%unknown WIDTH result%'", Integer.class) == 1);
        awaitCase("exec-unknown", "ACTION_REQUIRED", "CONTACT_SUPPORT");
        // The same unknown answer is stored once, not at every poll.
        awaitMorePolls("exec-unknown", 3);
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where provider = 'width' "
                + "and state = 'FAILED'", Integer.class)).isEqualTo(1);
    }

    /**
     * A WAITING answer whose {@code currentNode} is what the doc shows of it, the {@code nodeType} alone: the customer
     * is asked for what the type needs, the case and its audit event say which id keeps the hub from submitting, and
     * the message is processed, not failed. Once WIDTH names the node, the submission goes out.
     */
    @Test
    void aNodeNamedOnlyByItsTypeAsksWhatItNeedsAndSaysWhichIdIsMissing() {
        String exec = "exec-type-only";
        stubStatus(exec, "{\"executionId\":\"" + exec + "\",\"status\":\"WAITING\","
                + "\"currentNode\":{\"nodeType\":\"flow_action_identity_document\"}}");
        startOnboarding("c-n1", null, exec);

        JsonNode asked = awaitCase(exec, "ACTION_REQUIRED", "PROVIDE_DOCUMENT");
        assertThat(asked.get("reasons").toString()).isEqualTo("[\"CALLBACK_KEY_MISSING\"]");
        assertThat(jdbc.queryForList("select to_status || '/' || to_next_action || ' ' || (detail->'reasons')::text "
                        + "from kyc_event e join kyc_case k on k.id = e.case_id where k.provider_ref = ? "
                        + "and e.provider_event = 'WAITING:flow_action_identity_document'", String.class, exec))
                .containsExactly("ACTION_REQUIRED/PROVIDE_DOCUMENT [\"CALLBACK_KEY_MISSING\"]");

        // The document handed over: still nothing to submit it under.
        assertThat(apiSend("POST", "/api/v1/customers/c-n1/data/identity-document", """
                {"frontImage": "s3://workflow-kyc/c-n1/front.jpg", "documentType": "INTERNATIONAL_PASSPORT",
                 "region": "SG"}""").statusCode()).isEqualTo(201);
        awaitMorePolls(exec, 3);
        assertThat(requests("workflow.kyc.ocr")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where provider = 'width' "
                + "and state <> 'PROCESSED'", Integer.class)).isZero();

        // WIDTH names the node: the OCR goes out under its callbackKey.
        stubMethod("workflow.kyc.ocr", "{\"success\":true}");
        stubStatus(exec, waiting(exec, "n-ocr", WidthMapping.OCR));
        assertThat(awaitRequest("workflow.kyc.ocr").get("callbackKey").asText()).isEqualTo("kyc:n-ocr:cb");
        awaitCase(exec, c -> c.get("reasons").isEmpty());
    }

    @Test
    void theDataApiRefusesWhatANodeCannotUseWithAReason() {
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-d1\"}").statusCode()).isEqualTo(201);
        assertBad("particulars", "{\"name\":\"A\",\"nationality\":\"SG\"}", "'dateOfBirth' is required");
        assertBad("particulars", "{\"name\":\"A\",\"dateOfBirth\":\"15/01/1990\",\"nationality\":\"SG\"}",
                "'dateOfBirth' must match");
        assertBad("identity-document", "{\"frontImage\":\"s3://f\",\"documentType\":\"PASSPORT\"}",
                "'region' is required");
        assertBad("liveness", "{\"status\":\"PASS\",\"scores\":{},\"images\":\"selfie\"}", "'images' must be");
        assertBad("documents", "{\"docType\":\"BILL\"}", "documents must be an array");
        assertBad("documents", "[{\"docType\":\"BILL\",\"doc\":{}}]", "'doc' must be a non-empty object");
        assertBad("forms", "[{\"formId\":\"F\",\"formData\":\"x\"}]", "'formData' must be an object");
        assertBad("selfies", "{}", "'kind' must be one of");
        assertThat(apiSend("POST", "/api/v1/customers/c-d1/otp", "{\"code\":\"123\"}").statusCode()).isEqualTo(400);
        assertThat(apiSend("POST", "/api/v1/customers/nobody/data/forms",
                "[{\"formId\":\"F\",\"formData\":{}}]").statusCode()).isEqualTo(404);
        assertThat(apiSend("POST", "/api/v1/customers/c-d1/data/forms",
                "[{\"formId\":\"F\",\"formData\":{}}]").statusCode()).isEqualTo(201);
        assertThat(jdbc.queryForObject("select count(*) from width_customer_data where customer_id = 'c-d1'",
                Integer.class)).isEqualTo(1);
    }

    private void assertBad(String kind, String body, String reason) {
        var response = apiSend("POST", "/api/v1/customers/c-d1/data/" + kind, body);
        assertThat(response.statusCode()).as(kind + " " + body).isEqualTo(400);
        assertThat(readJson(response.body()).get("detail").asText()).as(kind + " " + body).contains(reason);
    }

    /** As if review-poll-every had passed for the execution. */
    private void dueNow(String executionId) {
        jdbc.update("update kyc_case set next_poll_at = now() where provider = 'width' and provider_ref = ?",
                executionId);
    }

    /** The execution's next look is review-poll-every (default 1 min) from now, not poll-every. */
    private void awaitNextLookInAMinute(String executionId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                select next_poll_at between now() + interval '50 seconds' and now() + interval '61 seconds'
                from kyc_case where provider = 'width' and provider_ref = ?""", Boolean.class, executionId));
    }

    private static String completed(String executionId, String result) {
        return "{\"executionId\":\"%s\",\"status\":\"COMPLETED\",\"result\":%s}".formatted(executionId, result);
    }
}
