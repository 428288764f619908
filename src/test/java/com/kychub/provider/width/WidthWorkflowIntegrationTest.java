package com.kychub.provider.width;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

/**
 * One WIDTH execution walked through every node type of the doc: the identity document arriving late and OCR taking
 * several polls, particulars and liveness the hub already holds, the email OTP waiting for the customer's code,
 * required documents with their final submit, a form, the screen check, then the approval. Every node is submitted
 * once, however often the execution is polled.
 */
class WidthWorkflowIntegrationTest extends WidthFlows {

    private static final String EXEC = "exec-abc123def456";

    /**
     * The WIDTH stub for EXEC, stateful: one WireMock scenario whose state is the node the execution waits on, moved
     * on by the hub's own submissions (and by the test only where WIDTH would move by itself: screening done).
     */
    private void statefulWidth() {
        String[][] statuses = {
                {STARTED, waiting(EXEC, "n-ocr", WidthMapping.OCR)},
                {"ocr-1", status(EXEC, "RUNNING")},
                {"ocr-2", status(EXEC, "RUNNING")},
                {"ocr-3", status(EXEC, "RUNNING")},
                {"particular", waiting(EXEC, "n-part", WidthMapping.PARTICULAR)},
                {"liveness", waiting(EXEC, "n-live", WidthMapping.LIVENESS)},
                {"email", waiting(EXEC, "n-email", WidthMapping.EMAIL)},
                {"docs", waiting(EXEC, "n-docs", WidthMapping.REQUIRED_DOCUMENT)},
                {"form", waiting(EXEC, "n-form", WidthMapping.REQUIRED_FORMS)},
                {"screen", waiting(EXEC, "n-screen", WidthMapping.SCREEN_CHECK)},
                {"approved", "{\"executionId\":\"" + EXEC + "\",\"status\":\"COMPLETED\",\"result\":\"APPROVED\"}"}};
        for (String[] state : statuses) {
            PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status")).inScenario("exec")
                    .whenScenarioStateIs(state[0]).willReturn(okJson(state[1])));
        }
        moveOn("workflow.kyc.ocr", STARTED, "ocr-1", "{\"success\":true}");
        moveOn("workflow.kyc.ocr.data", "ocr-1", "ocr-2", "{\"status\":\"PROCESSING\"}");
        moveOn("workflow.kyc.ocr.data", "ocr-2", "ocr-3", "{\"status\":\"PROCESSING\"}");
        moveOn("workflow.kyc.ocr.data", "ocr-3", "particular",
                "{\"status\":\"COMPLETED\",\"result\":{\"fullName\":\"JOHN SMITH\",\"documentNumber\":\"E123\"}}");
        moveOn("workflow.kyc.particular.data", "particular", "liveness", "{\"success\":true}");
        moveOn("workflow.kyc.liveness.data", "liveness", "email", "{\"success\":true}");
        moveOn("workflow.kyc.otp.send", "email", "email",
                "{\"requestId\":\"550e8400-e29b-41d4-a716-446655440000\"}");
        moveOn("workflow.kyc.otp.verify", "email", "docs", "{\"success\":true}");
        moveOn("workflow.kyc.required.doc", "docs", "docs", "{\"success\":true}");
        moveOn("workflow.kyc.required.doc.submit", "docs", "form", "{\"success\":true}");
        moveOn("workflow.kyc.required.form", "form", "screen", "{\"success\":true}");
    }

    private void moveOn(String method, String from, String to, String answer) {
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/" + method)).inScenario("exec")
                .whenScenarioStateIs(from).willReturn(okJson(answer)).willSetStateTo(to));
    }

    @Test
    void anExecutionWalksThroughEveryNodeTypeAndEachNodeIsSubmittedOnce() {
        statefulWidth();
        startOnboarding("c-w1", "john@example.com", EXEC);

        // Registration, then the workflow; its executionId names the case, which is polled from then on.
        JsonNode register = awaitRequest("workflow.applicant.register");
        assertThat(register.get("customerId").asText()).isEqualTo("c-w1");
        assertThat(register.get("email").asText()).isEqualTo("john@example.com");
        JsonNode submit = awaitRequest("workflow.apply.submit");
        assertThat(submit.get("eventType").asText()).isEqualTo("KYC_EVENT");
        assertThat(submit.get("source").asText()).isEqualTo("API");
        String referenceId = submit.at("/data/referenceId").asText();
        assertThat(referenceId).isNotBlank();

        // The identity document is not there yet: the customer is asked for it.
        JsonNode needsDocument = awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_DOCUMENT");
        assertThat(texts(needsDocument.get("reasons"))).containsExactly("MISSING_IDENTITY_DOCUMENT");
        LoggedRequest signed = requests("workflow.execution.status").get(0);
        assertThat(signed.queryParameter("apiKey").firstValue()).isEqualTo(WIDTH_API_KEY);
        assertThat(signed.getHeader("x-domain")).isEqualTo(WIDTH_DOMAIN);
        assertThat(signed.getHeader("x-signature")).isEqualTo(hmacHex(WIDTH_SECRET,
                (signed.getHeader("x-timestamp") + "." + signed.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));

        // Particulars and liveness are handed over before WIDTH asks for them: they will go out at once.
        assertThat(handOver("c-w1", "particulars", """
                {"name": "John Smith", "dateOfBirth": "1990-01-15", "nationality": "SG", "sex": "MALE",
                 "countryOfResidence": "SG", "address": "123 Main St"}""")).isEqualTo(201);
        assertThat(handOver("c-w1", "liveness", """
                {"provider": "SELF", "status": "PASS",
                 "scores": {"qualityScore": 1.0, "brightnessScore": 100, "brightnessStatus": "normal"},
                 "images": {"faceFull": "s3://workflow-kyc/c-w1/selfie.jpg"}}""")).isEqualTo(201);

        // The identity document arrives: OCR is submitted, and its result polled until it is there (two "not yet").
        assertThat(handOver("c-w1", "identity-document", """
                {"frontImage": "s3://workflow-kyc/c-w1/front.jpg", "backImage": "s3://workflow-kyc/c-w1/back.jpg",
                 "documentType": "INTERNATIONAL_PASSPORT", "region": "SG"}""")).isEqualTo(201);
        JsonNode ocr = awaitRequest("workflow.kyc.ocr");
        assertThat(ocr.get("provider").asText()).isEqualTo("WIDTH");
        assertThat(ocr.get("frontImage").asText()).isEqualTo("s3://workflow-kyc/c-w1/front.jpg");
        assertThat(ocr.get("documentType").asText()).isEqualTo("INTERNATIONAL_PASSPORT");
        assertThat(ocr.get("region").asText()).isEqualTo("SG");
        assertNodeIds(ocr, "n-ocr", referenceId);
        await().atMost(Duration.ofSeconds(20)).until(() -> checks(EXEC).has("OCR_RESULT_RECEIVED"));
        assertThat(requests("workflow.kyc.ocr.data")).hasSize(3);
        assertThat(requests("workflow.kyc.ocr.data").get(0).getLoggedDate())
                .isAfterOrEqualTo(requests("workflow.kyc.ocr").get(0).getLoggedDate());
        assertThat(checks(EXEC).at("/OCR_RESULT_RECEIVED/detail/fields").toString())
                .isEqualTo("[\"documentNumber\",\"fullName\"]");
        assertThat(jdbc.queryForObject("select count(*) from kyc_event e join kyc_case k on k.id = e.case_id "
                + "where k.provider_ref = ? and (e.detail::text like '%JOHN%' or e.detail::text like '%E123%')",
                Integer.class, EXEC)).isZero();
        assertThat(apiJson("/api/v1/cases?provider=width&providerRef=" + EXEC).get("items").toString())
                .doesNotContain("JOHN").doesNotContain("E123");

        JsonNode particular = awaitRequest("workflow.kyc.particular.data");
        assertNodeIds(particular, "n-part", referenceId);
        assertThat(particular.get("personData").isTextual()).isTrue();
        assertThat(parse(particular.get("personData").asText()).get("name").asText()).isEqualTo("John Smith");

        JsonNode liveness = awaitRequest("workflow.kyc.liveness.data");
        assertNodeIds(liveness, "n-live", referenceId);
        assertThat(liveness.get("status").asText()).isEqualTo("PASS");
        assertThat(parse(liveness.get("scores").asText()).get("brightnessStatus").asText()).isEqualTo("normal");
        assertThat(parse(liveness.get("images").asText()).get("faceFull").asText()).endsWith("selfie.jpg");

        // Email OTP: sent to the customer's email, then the case waits for the code they received.
        JsonNode send = awaitRequest("workflow.kyc.otp.send");
        assertThat(send.get("type").asText()).isEqualTo("email");
        assertThat(send.get("identity").asText()).isEqualTo("john@example.com");
        assertNodeIds(send, "n-email", referenceId);
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_OTP");
        assertThat(apiSend("POST", "/api/v1/customers/c-w1/otp", "{\"code\":\"98a5\"}").statusCode()).isEqualTo(400);
        assertThat(apiSend("POST", "/api/v1/customers/c-w1/otp", "{\"code\":\"985024\"}").statusCode())
                .isEqualTo(202);
        JsonNode verify = awaitRequest("workflow.kyc.otp.verify");
        assertThat(verify.get("code").asText()).isEqualTo("985024");
        assertThat(verify.get("requestId").asText()).isEqualTo("550e8400-e29b-41d4-a716-446655440000");
        assertThat(verify.get("identity").asText()).isEqualTo("john@example.com");
        assertNodeIds(verify, "n-email", referenceId);

        // Required documents, asked for, then handed over: each uploaded, then the submit that advances the node.
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_DOCUMENT");
        assertThat(handOver("c-w1", "documents", """
                [{"docType": "UTILITY_TELEPHONE_BILL", "isRequired": true, "extraData": {"issueDate": "2026-03-01"},
                  "doc": {"front": {"url": "s3://workflow-kyc/c-w1/bill.pdf", "filename": "bill.pdf",
                                    "content_type": "application/pdf", "size": 85618}}},
                 {"docType": "BANK_STATEMENT",
                  "doc": {"front": {"url": "s3://workflow-kyc/c-w1/bank.pdf", "filename": "bank.pdf",
                                    "content_type": "application/pdf", "size": 1000}}}]""")).isEqualTo(201);
        JsonNode docSubmit = awaitRequest("workflow.kyc.required.doc.submit");
        assertNodeIds(docSubmit, "n-docs", referenceId);
        assertThat(requests("workflow.kyc.required.doc")).hasSize(2);
        assertThat(requests("workflow.kyc.required.doc.submit").get(0).getLoggedDate())
                .isAfterOrEqualTo(requests("workflow.kyc.required.doc").get(1).getLoggedDate());
        JsonNode bill = requests("workflow.kyc.required.doc").stream().map(r -> parse(r.getBodyAsString()))
                .filter(body -> body.get("docType").asText().equals("UTILITY_TELEPHONE_BILL")).findFirst().orElseThrow();
        assertThat(parse(bill.get("doc").asText()).at("/front/filename").asText()).isEqualTo("bill.pdf");
        assertThat(parse(bill.get("extraData").asText()).get("issueDate").asText()).isEqualTo("2026-03-01");
        assertThat(bill.get("isRequired").asBoolean()).isTrue();
        assertNodeIds(bill, "n-docs", referenceId);

        // A form, asked for, then handed over.
        awaitCase(EXEC, "ACTION_REQUIRED", "PROVIDE_FORM");
        assertThat(handOver("c-w1", "forms", """
                [{"formId": "IndividualForm", "formData": {"field_source_of_funds": "EMPLOYMENT",
                                                            "field_annual_income": "50000-100000"}}]""")).isEqualTo(201);
        JsonNode form = awaitRequest("workflow.kyc.required.form");
        assertThat(form.get("formId").asText()).isEqualTo("IndividualForm");
        assertThat(parse(form.get("formData").asText()).get("field_source_of_funds").asText()).isEqualTo("EMPLOYMENT");
        assertNodeIds(form, "n-form", referenceId);

        // Screening runs at WIDTH: recorded, nothing submitted, the polls go on.
        await().atMost(Duration.ofSeconds(20)).until(() -> checks(EXEC).has("SCREEN_CHECK"));
        assertThat(awaitCase(EXEC, "IN_PROGRESS", "WAIT").get("providerStatus").asText()).isEqualTo("WAITING");
        awaitMorePolls(EXEC, 5);
        assertThat(submissionsPerNode(EXEC, "workflow.kyc.ocr", "workflow.kyc.particular.data",
                "workflow.kyc.liveness.data", "workflow.kyc.otp.send", "workflow.kyc.otp.verify",
                "workflow.kyc.required.doc", "workflow.kyc.required.doc.submit", "workflow.kyc.required.form"))
                .isEqualTo(Map.of("workflow.kyc.ocr", 1, "workflow.kyc.particular.data", 1,
                        "workflow.kyc.liveness.data", 1, "workflow.kyc.otp.send", 1, "workflow.kyc.otp.verify", 1,
                        "workflow.kyc.required.doc", 2, "workflow.kyc.required.doc.submit", 1,
                        "workflow.kyc.required.form", 1));
        assertThat(requests("workflow.applicant.register")).hasSize(1);
        assertThat(requests("workflow.apply.submit")).hasSize(1);

        // Screening done, the execution completed and approved: polling stops.
        PROVIDERS.setScenarioState("exec", "approved");
        JsonNode approved = awaitCase(EXEC, "APPROVED", "NONE");
        assertThat(approved.at("/providerDetails/result").asText()).isEqualTo("APPROVED");
        assertThat(jdbc.queryForObject("select next_poll_at is null from kyc_case where provider_ref = ?",
                Boolean.class, EXEC)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where provider = 'width' "
                + "and state <> 'PROCESSED'", Integer.class)).isZero();
        assertThat(PROVIDERS.findAllUnmatchedRequests()).isEmpty();
    }

    private int handOver(String customerId, String kind, String body) {
        return apiSend("POST", "/api/v1/customers/" + customerId + "/data/" + kind, body).statusCode();
    }

    private void assertNodeIds(JsonNode request, String nodeId, String referenceId) {
        assertThat(request.get("executionId").asText()).isEqualTo(EXEC);
        assertThat(request.get("callbackKey").asText()).isEqualTo("kyc:" + nodeId + ":cb");
        assertThat(request.get("referenceId").asText()).isEqualTo(referenceId);
    }

    private JsonNode checks(String providerRef) {
        JsonNode cases = apiJson("/api/v1/cases?provider=width&providerRef=" + providerRef).get("items");
        com.fasterxml.jackson.databind.node.ObjectNode byName = JSON.createObjectNode();
        if (cases.size() == 1 && cases.get(0).has("checks")) {
            cases.get(0).get("checks").forEach(check -> byName.set(check.get("name").asText(), check));
        }
        return byName;
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
