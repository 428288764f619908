package com.kychub.privacy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /api/v1/customers/{id}/personal-data} end to end. The customer's data is built through the real
 * paths: the fintech's profile and email (API), a document, WIDTH data, an ARGOS approval (webhook: ARGOS's report
 * and raw body), a Striga rejection with a reviewer's comment (webhook, case details), a Connect Financial onboarding (webhook, status pulls, a refused document upload held as a failed
 * action). After the erasure, every text, JSON and binary column of every table of the hub's schema is searched for
 * each personal value the test used: none is left. Statuses, reason codes and the audit chain stay.
 */
class ErasureIntegrationTest extends HubIntegrationTest {

    private static final String CUSTOMER = "erase-me-0001";
    private static final String SUBMISSION = "sub-erase-me-0001";
    private static final String ARGOS_FIXTURE_SUBMISSION = "c5b6a1e2-8f3d-4b7a-9e21-6d4f0a7b3c19";

    /** Every personal value this test hands the hub or has a provider report. */
    private static final List<String> PERSONAL_VALUES = List.of(
            // The fintech's profile, email and document.
            "ada.erasmus@example.com", "Adalinde", "Erasmus-Kowalczyk", "1977-03-14", "+353861234567",
            "12 Quillfeather Lane", "Dunmorrow", "adalinde-w9.pdf", "PDF-adalinde-w9-content",
            // Striga's reviewer comment.
            "the selfie does not show Adalinde clearly",
            // WIDTH data.
            "ERASMUS ADALINDE WIDTH", "1977-03-15", "s3://private/adalinde-selfie.jpg",
            // What ARGOS reported (fixtures/argos/approved.json).
            "minji.kim@example.com", "KIM MINJI", "1990-07-15", "203.0.113.45", "900715-2345678", "M70123456",
            "2019-03-12", "2029-03-11", "Software engineer", "loyalty-tier-gold", "ref-77120", "campaign-spring");

    @Test
    void erasureLeavesNoPersonalValueInAnyColumnAndKeepsStatusesAndTheAuditChain() {
        buildTheCustomer();
        assertThat(hits()).as("the values are in the store before").isNotEmpty();
        JsonNode argosBefore = argosCase();
        long eventsBefore = count("select count(*) from kyc_event");

        HttpResponse<String> answer = operatorSend("DELETE", "/api/v1/customers/" + CUSTOMER + "/personal-data", "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode receipt = readJson(answer.body());
        assertThat(receipt.get("customerId").asText()).isEqualTo(CUSTOMER);
        JsonNode rows = receipt.get("rows");
        assertThat(rows.get("customer").asInt()).isEqualTo(1);
        assertThat(rows.get("provider_report").asInt()).isEqualTo(1);
        assertThat(rows.get("customer_document").asInt()).isEqualTo(1);
        assertThat(rows.get("width_customer_data").asInt()).isEqualTo(2);
        assertThat(rows.get("inbound_message").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(rows.get("kyc_case").asInt()).isGreaterThanOrEqualTo(2);
        // The refused upload stays on record (its payload names the document by id, its error by code).
        assertThat(count("select count(*) from provider_action where customer_id = ? and state = 'FAILED'", CUSTOMER))
                .isPositive();

        assertThat(hits()).isEmpty();

        // Kept: the case's status, reasons and provider ids; every audit event, plus the one erasure event.
        JsonNode argosAfter = argosCase();
        assertThat(argosAfter.get("status")).isEqualTo(argosBefore.get("status"));
        assertThat(argosAfter.get("reasons")).isEqualTo(argosBefore.get("reasons"));
        assertThat(argosAfter.at("/providerDetails/applicantId").asText()).isEqualTo("APL-20240304-0042");
        assertThat(count("select count(*) from kyc_event")).isEqualTo(eventsBefore + 1);
        JsonNode erased = readJson(jdbc.queryForObject(
                "select detail::text from kyc_event where type = 'ERASED' and customer_id = ?", String.class,
                CUSTOMER));
        assertThat(erased.get("rows")).isEqualTo(rows);
        assertThat(count("select count(*) from customer_document where customer_id = ? and length(content) = 0",
                CUSTOMER)).isEqualTo(1);

        // Idempotent: the same shape, zeros, and no second event.
        JsonNode again = readJson(operatorSend("DELETE", "/api/v1/customers/" + CUSTOMER + "/personal-data", "")
                .body());
        List<String> tables = new ArrayList<>();
        again.get("rows").fieldNames().forEachRemaining(tables::add);
        assertThat(tables).containsExactlyElementsOf(Erasure.TABLES);
        again.get("rows").forEach(touched -> assertThat(touched.asInt()).isZero());
        assertThat(count("select count(*) from kyc_event where type = 'ERASED'")).isEqualTo(1);

        // The erased customer is not given data again.
        assertThat(apiSend("PATCH", "/api/v1/customers/" + CUSTOMER, "{\"kyc\":{\"nationality\":\"IE\"}}")
                .statusCode()).isEqualTo(409);
        assertThat(apiSend("POST", "/api/v1/customers/" + CUSTOMER + "/data/particulars", widthParticulars())
                .statusCode()).isEqualTo(409);

        // A message about the erased customer arriving later still counts, and is stored redacted.
        ObjectNode rejected = (ObjectNode) readJson(argosApproved());
        rejected.put("webhook_trigger", "rejected");
        ((ObjectNode) rejected.get("kyc_result")).put("status", "rejected");
        ((ObjectNode) rejected.get("kyc_result")).put("updated_at", "2024-03-05 10:00:00");
        postArgos(rejected.toString());
        awaitCase("argos", SUBMISSION, "REJECTED", null);
        awaitInboxDrained();
        assertThat(hits()).isEmpty();
    }

    @Test
    void anUnknownCustomerIs404AndABadIdIs400() {
        assertThat(operatorSend("DELETE", "/api/v1/customers/nobody-here/personal-data", "").statusCode())
                .isEqualTo(404);
        assertThat(operatorSend("DELETE", "/api/v1/customers/bad%20id/personal-data", "").statusCode())
                .isEqualTo(400);
    }

    /** The customer as the fintech and three providers leave it. */
    private void buildTheCustomer() {
        assertThat(apiSend("POST", "/api/v1/customers", """
                {"customerId": "%s", "email": "ada.erasmus@example.com",
                 "kyc": {"firstName": "Adalinde", "lastName": "Erasmus-Kowalczyk", "dateOfBirth": "1977-03-14",
                         "phone": "+353861234567", "nationality": "IE",
                         "mainAddress": {"line1": "12 Quillfeather Lane", "city": "Dunmorrow", "countryCode": "IE"}}}"""
                .formatted(CUSTOMER)).statusCode()).isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/" + CUSTOMER + "/documents", """
                {"type": "W9", "fileName": "adalinde-w9.pdf", "contentType": "application/pdf", "content": "%s"}"""
                .formatted(Base64.getEncoder().encodeToString("%PDF-adalinde-w9-content".getBytes(
                        StandardCharsets.UTF_8)))).statusCode()).isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/" + CUSTOMER + "/data/particulars", widthParticulars())
                .statusCode()).isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/" + CUSTOMER + "/data/liveness", """
                {"status": "PASS", "scores": {}, "images": {"faceFull": "s3://private/adalinde-selfie.jpg"}}""")
                .statusCode()).isEqualTo(201);

        // ARGOS approves the customer: its report and raw body hold what it says about them.
        postArgos(argosApproved());
        awaitCase("argos", SUBMISSION, "APPROVED", null);

        // Striga rejects the customer (its userId is the fintech's id) with a reviewer's comment naming them.
        String striga = fixture("striga/rejected.json").replace("9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e", CUSTOMER)
                .replace("The full name on the profile is either missing or incorrect.",
                        "the selfie does not show Adalinde clearly");
        assertThat(postStriga(striga).statusCode()).isEqualTo(200);
        awaitCase("striga", CUSTOMER, "REJECTED", null);

        // Connect Financial asks for the W9 and refuses its upload: a failed action holds the case.
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/v1/customers")).willReturn(okJson("{\"id\":\"cf-erase-0001\"}")));
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/v1/compliance/status/cf-erase-0001")).willReturn(okJson("""
                {"isCompliant": false, "onboardingStatus": "PROCESSING", "nextAction": "UPLOAD_DOCUMENT",
                 "checks": [{"type": "SDK_VERIFICATION_COMPLETED", "passed": true, "required": true},
                            {"type": "DOC_FATCA", "passed": false, "required": true,
                             "suggestedAction": "UPLOAD_DOCUMENT"}]}""")));
        PROVIDERS.stubFor(WireMock.post(urlEqualTo("/compliance/upload-doc")).willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"unreadable document adalinde-w9.pdf\"}")));
        assertThat(apiSend("POST", "/api/v1/customers/" + CUSTOMER + "/onboardings", "{\"provider\":\"connectfi\"}")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                count("select count(*) from provider_action where customer_id = ? and state = 'FAILED'", CUSTOMER) > 0);
        String webhook = "{\"eventType\":\"CUSTOMER_UPDATED\",\"data\":{\"customerId\":\"cf-erase-0001\"}}";
        assertThat(postConnectfi(webhook).statusCode()).isEqualTo(200);
        awaitInboxDrained();
    }

    private static String widthParticulars() {
        return """
                {"name": "ERASMUS ADALINDE WIDTH", "dateOfBirth": "1977-03-15", "nationality": "IE",
                 "phone": "+353861234567"}""";
    }

    private static String argosApproved() {
        return fixture("argos/approved.json").replace(ARGOS_FIXTURE_SUBMISSION, SUBMISSION)
                .replace("fintech-user-8841", CUSTOMER);
    }

    private void postArgos(String body) {
        assertThat(post("/webhooks/argos", body, Map.of("Content-Type", "application/json", "X-Signature",
                hmacHex(ARGOS_WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8)))).statusCode()).isEqualTo(200);
    }

    private JsonNode argosCase() {
        return apiJson("/api/v1/cases?provider=argos&providerRef=" + SUBMISSION).get("items").get(0);
    }

    /**
     * Every (table.column, value) where a personal value is found: every text, varchar, json, jsonb and bytea column
     * of every table in the hub's schema.
     */
    private List<String> hits() {
        List<String> hits = new ArrayList<>();
        List<Map<String, Object>> columns = jdbc.queryForList("""
                select table_name, column_name, data_type from information_schema.columns
                where table_schema = current_schema()
                  and data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea')""");
        assertThat(columns).extracting(column -> column.get("table_name"))
                .contains("customer", "inbound_message", "provider_report", "kyc_event", "customer_document");
        for (Map<String, Object> column : columns) {
            String table = "\"" + column.get("table_name") + "\"";
            String name = "\"" + column.get("column_name") + "\"";
            String text = "bytea".equals(column.get("data_type"))
                    ? "encode(" + name + ", 'escape')" : name + "::text";
            for (String value : PERSONAL_VALUES) {
                Integer found = jdbc.queryForObject("select count(*) from " + table + " where strpos(" + text
                        + ", ?) > 0", Integer.class, value);
                if (found > 0) {
                    hits.add(column.get("table_name") + "." + column.get("column_name") + ": " + value);
                }
            }
        }
        return hits;
    }

    private long count(String sql, Object... arguments) {
        return jdbc.queryForObject(sql, Long.class, arguments);
    }
}
