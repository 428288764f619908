package com.kychub.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transactional outbox (V16's trigger on {@code kyc_event}) through the hub's real paths: provider webhooks, ARGOS's
 * delete and the customer erasure API. Each audit event yields exactly one outbound event, written by the same
 * transaction, with its canonical type, the case's next sequence number and a payload of ids, statuses and codes only;
 * a change rolled back leaves none; endpoints get a delivery row for what their filters take.
 */
class OutboxIntegrationTest extends HubIntegrationTest {

    private static final String CUSTOMER = "outbox-cust-0001";
    private static final String SUBMISSION = "sub-outbox-0001";
    private static final String ARGOS_FIXTURE_SUBMISSION = "c5b6a1e2-8f3d-4b7a-9e21-6d4f0a7b3c19";

    /** Every personal value this test hands the hub or has a provider report. */
    private static final List<String> PERSONAL_VALUES = List.of(
            // The fintech's profile.
            "ottilie.boxworth@example.com", "Ottilie", "Boxworth-Pemberly", "1981-11-02", "7 Larkspur Mews",
            // Striga's reviewer comments (fixtures/striga/rejected.json).
            "The full name on the profile is either missing or incorrect.",
            "Please enter your first and last name exactly as they are written in your identity document.",
            // What ARGOS reports (fixtures/argos/*.json), and who deleted the submission and why.
            "minji.kim@example.com", "KIM MINJI", "1990-07-15", "203.0.113.45", "900715-2345678", "M70123456",
            "loyalty-tier-gold", "ref-77120", "campaign-spring", "compliance-lead@fintech.example",
            "Erased at the applicant's request");

    @Test
    void eachAuditEventOfACaseYieldsOneOutboundEventInItsTransactionNumberedInOrder() {
        String striga = fixture("striga/rejected.json").replace("9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e", "out-striga");
        postStriga("{\"userId\":\"out-striga\",\"status\":\"INITIATED\"}");
        awaitCase("striga", "out-striga", "IN_PROGRESS", null);
        postStriga("{\"userId\":\"out-striga\",\"status\":\"PENDING_REVIEW\"}");
        awaitCase("striga", "out-striga", "IN_REVIEW", null);
        postStriga(striga);
        JsonNode kycCase = awaitCase("striga", "out-striga", "REJECTED", null);
        awaitInboxDrained();
        String caseId = kycCase.get("id").asText();

        // One per audit event, and the same transaction wrote both rows.
        assertThat(jdbc.queryForObject("""
                select count(*) from kyc_event e join outbound_event o on o.kyc_event_id = e.id
                where e.case_id = ?::uuid and o.xmin = e.xmin""", Integer.class, caseId)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from outbound_event", Integer.class)).isEqualTo(3);

        List<JsonNode> events = payloads("where case_id = ?::uuid order by sequence", caseId);
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly(
                "kyc.case.opened", "kyc.case.status_changed", "kyc.case.status_changed");
        assertThat(events).extracting(event -> event.at("/data/sequence").asInt()).containsExactly(1, 2, 3);
        List<Long> auditIds = jdbc.queryForList("select id from kyc_event where case_id = ?::uuid order by id",
                Long.class, caseId);
        assertThat(events).extracting(event -> event.at("/data/auditEvent/id").asLong())
                .containsExactlyElementsOf(auditIds);

        JsonNode rejected = events.get(2);
        assertThat(rejected.get("id").asText()).startsWith("evt_").isEqualTo(jdbc.queryForObject(
                "select event_id from outbound_event where case_id = ?::uuid and sequence = 3", String.class, caseId));
        assertThat(rejected.get("version").asInt()).isEqualTo(1);
        assertThat(rejected.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode data = rejected.get("data");
        assertThat(data.get("caseId").asText()).isEqualTo(caseId);
        assertThat(data.get("customerId").asText()).isEqualTo(kycCase.get("customerId").asText());
        assertThat(data.get("provider").asText()).isEqualTo("striga");
        assertThat(data.get("providerRef").asText()).isEqualTo("out-striga");
        assertThat(data.get("status").asText()).isEqualTo("REJECTED");
        assertThat(data.get("previousStatus").asText()).isEqualTo("IN_REVIEW");
        assertThat(data.get("nextAction").asText()).isEqualTo("RESTART_KYC");
        assertThat(data.get("previousNextAction").asText()).isEqualTo("WAIT");
        assertThat(data.get("reasons")).isEqualTo(kycCase.get("reasons"));
        assertThat(data.at("/auditEvent/type").asText()).isEqualTo("STATUS_CHANGED");
        assertThat(data.at("/links/case").asText()).isEqualTo("/api/v1/cases/" + caseId);
        assertThat(events.get(0).get("data").has("previousStatus")).isFalse();
        assertThat(jdbc.queryForList("select distinct order_key from outbound_event", String.class))
                .containsExactly(caseId);
    }

    @Test
    void erasuresAreEventsTooAndNoPayloadEverCarriesPersonalData() {
        assertThat(apiSend("POST", "/api/v1/customers", """
                {"customerId": "%s", "email": "ottilie.boxworth@example.com",
                 "kyc": {"firstName": "Ottilie", "lastName": "Boxworth-Pemberly", "dateOfBirth": "1981-11-02",
                         "mainAddress": {"line1": "7 Larkspur Mews", "countryCode": "IE"}}}"""
                .formatted(CUSTOMER)).statusCode()).isEqualTo(201);
        String striga = fixture("striga/rejected.json").replace("9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e", CUSTOMER);
        assertThat(postStriga(striga).statusCode()).isEqualTo(200);
        awaitCase("striga", CUSTOMER, "REJECTED", null);
        postArgos(argos("submit.json"));
        awaitCase("argos", SUBMISSION, "IN_REVIEW", null);
        postArgos(argos("approved.json"));
        awaitCase("argos", SUBMISSION, "APPROVED", null);
        postArgos(argos("aml.json"));
        postArgos(argos("delete.json"));
        awaitInboxDrained();
        assertThat(payloadsWithPersonalValues()).isEmpty();

        List<JsonNode> argosEvents = payloads("where provider = 'argos' order by sequence");
        JsonNode erased = argosEvents.get(argosEvents.size() - 1);
        assertThat(erased.get("type").asText()).isEqualTo("kyc.case.data_erased");
        assertThat(erased.at("/data/auditEvent/type").asText()).isEqualTo("DATA_ERASED");
        assertThat(argosEvents).extracting(event -> event.at("/data/sequence").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, argosEvents.size()).boxed()
                        .toList());

        assertThat(operatorSend("DELETE", "/api/v1/customers/" + CUSTOMER + "/personal-data", "").statusCode())
                .isEqualTo(200);
        List<JsonNode> customerEvents = payloads("where order_key = ?", "customer:" + CUSTOMER);
        assertThat(customerEvents).hasSize(1);
        JsonNode customerErased = customerEvents.get(0);
        assertThat(customerErased.get("type").asText()).isEqualTo("kyc.customer.erased");
        assertThat(customerErased.at("/data/customerId").asText()).isEqualTo(CUSTOMER);
        assertThat(customerErased.at("/data/sequence").asInt()).isEqualTo(1);
        assertThat(customerErased.get("data").has("caseId")).isFalse();
        assertThat(customerErased.get("data").has("provider")).isFalse();
        assertThat(customerErased.get("data").has("links")).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from kyc_event", Integer.class))
                .isEqualTo(jdbc.queryForObject("select count(*) from outbound_event", Integer.class));
        assertThat(payloadsWithPersonalValues()).isEmpty();
    }

    @Test
    void aChangeRolledBackLeavesNoEventAndNoGapInTheSequence() {
        postStriga("{\"userId\":\"out-rollback\",\"status\":\"INITIATED\"}");
        String caseId = awaitCase("striga", "out-rollback", "IN_PROGRESS", null).get("id").asText();
        awaitInboxDrained();

        transactions.executeWithoutResult(transaction -> {
            insertAuditEvent(caseId);
            assertThat(jdbc.queryForObject("select count(*) from outbound_event where case_id = ?::uuid",
                    Integer.class, caseId)).as("visible inside the transaction").isEqualTo(2);
            transaction.setRollbackOnly();
        });
        assertThat(jdbc.queryForObject("select count(*) from outbound_event where case_id = ?::uuid", Integer.class,
                caseId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select event_seq from kyc_case where id = ?::uuid", Long.class, caseId))
                .isEqualTo(1);

        postStriga("{\"userId\":\"out-rollback\",\"status\":\"APPROVED\"}");
        awaitCase("striga", "out-rollback", "APPROVED", null);
        awaitInboxDrained();
        assertThat(jdbc.queryForList("select sequence from outbound_event where case_id = ?::uuid order by sequence",
                Long.class, caseId)).containsExactly(1L, 2L);
    }

    /** The type function on every kind of audit event, most telling first. */
    @ParameterizedTest
    @CsvSource({
            "CASE_OPENED,    ,                ACTION_REQUIRED, ,                      PROVIDE_DOCUMENT, kyc.case.opened",
            "STATUS_CHANGED, IN_PROGRESS,     ACTION_REQUIRED, COMPLETE_VERIFICATION, PROVIDE_DOCUMENT, kyc.case.action_required",
            "CASE_UPDATED,   ACTION_REQUIRED, ACTION_REQUIRED, PROVIDE_DOCUMENT,      PROVIDE_PERSONAL_DATA, kyc.case.action_required",
            "STATUS_CHANGED, IN_PROGRESS,     IN_REVIEW,       COMPLETE_VERIFICATION, WAIT,             kyc.case.status_changed",
            "CASE_UPDATED,   IN_PROGRESS,     IN_PROGRESS,     START_KYC,             COMPLETE_VERIFICATION, kyc.case.next_action_changed",
            "CASE_UPDATED,   IN_REVIEW,       IN_REVIEW,       WAIT,                  WAIT,             kyc.case.updated",
            "CASE_UPDATED,   ACTION_REQUIRED, ACTION_REQUIRED, PROVIDE_DOCUMENT,      PROVIDE_DOCUMENT, kyc.case.updated",
            "DATA_ERASED,    APPROVED,        APPROVED,        NONE,                  NONE,             kyc.case.data_erased"})
    void theCanonicalTypeOfEachAuditEvent(String auditType, String fromStatus, String toStatus, String fromNext,
                                          String toNext, String expected) {
        String event = JSON.createObjectNode().put("case_id", "00000000-0000-0000-0000-000000000001")
                .put("type", auditType).put("from_status", fromStatus).put("to_status", toStatus)
                .put("from_next_action", fromNext).put("to_next_action", toNext).toString();
        assertThat(jdbc.queryForObject("select outbound_event_type(jsonb_populate_record(null::kyc_event, ?::jsonb))",
                String.class, event)).isEqualTo(expected);
        assertThat(EventTypes.ALL).contains(expected);
    }

    @Test
    void theCustomerErasureIsTheOneEventOfNoCase() {
        String event = "{\"customer_id\": \"c-1\", \"type\": \"ERASED\"}";
        assertThat(jdbc.queryForObject("select outbound_event_type(jsonb_populate_record(null::kyc_event, ?::jsonb))",
                String.class, event)).isEqualTo(EventTypes.CUSTOMER_ERASED);
    }

    @Test
    void endpointsGetADeliveryForWhatTheirFiltersTake() {
        String all = endpoint("{\"url\": \"http://127.0.0.1:9/all\"}");
        String statuses = endpoint("{\"url\": \"http://127.0.0.1:9/statuses\", "
                + "\"eventTypes\": [\"kyc.case.status_changed\", \"kyc.customer.erased\"]}");
        String argosOnly = endpoint("{\"url\": \"http://127.0.0.1:9/argos\", \"providers\": [\"argos\"]}");
        String disabled = endpoint("{\"url\": \"http://127.0.0.1:9/off\", \"enabled\": false}");

        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\": \"out-filters\"}").statusCode())
                .isEqualTo(201);
        postStriga("{\"userId\":\"out-filters\",\"status\":\"INITIATED\"}");
        awaitCase("striga", "out-filters", "IN_PROGRESS", null);
        postStriga("{\"userId\":\"out-filters\",\"status\":\"APPROVED\"}");
        awaitCase("striga", "out-filters", "APPROVED", null);
        awaitInboxDrained();
        assertThat(operatorSend("DELETE", "/api/v1/customers/out-filters/personal-data", "").statusCode())
                .isEqualTo(200);

        assertThat(deliveredTypes(all)).containsExactly("kyc.case.opened", "kyc.case.status_changed",
                "kyc.customer.erased");
        assertThat(deliveredTypes(statuses)).containsExactly("kyc.case.status_changed", "kyc.customer.erased");
        // An event about the customer as a whole concerns every provider.
        assertThat(deliveredTypes(argosOnly)).containsExactly("kyc.customer.erased");
        assertThat(deliveredTypes(disabled)).isEmpty();
        assertThat(jdbc.queryForList("select distinct state from event_delivery", String.class))
                .isSubsetOf("PENDING", "DELIVERED", "DEAD");
    }

    private String endpoint(String body) {
        var answer = operatorSend("POST", "/api/v1/event-endpoints", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return readJson(answer.body()).get("id").asText();
    }

    private List<String> deliveredTypes(String endpointId) {
        return jdbc.queryForList("""
                select o.type from event_delivery d join outbound_event o on o.id = d.event_id
                where d.endpoint_id = ?::uuid order by o.id""", String.class, endpointId);
    }

    private void insertAuditEvent(String caseId) {
        jdbc.update("""
                insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action)
                select id, 'CASE_UPDATED', status, status, next_action, next_action from kyc_case where id = ?::uuid""",
                caseId);
    }

    private List<JsonNode> payloads(String where, Object... arguments) {
        return jdbc.queryForList("select payload::text from outbound_event " + where, String.class, arguments)
                .stream().map(HubIntegrationTest::readJson).toList();
    }

    private List<String> payloadsWithPersonalValues() {
        List<String> payloads = jdbc.queryForList("select payload::text from outbound_event", String.class);
        assertThat(payloads).isNotEmpty();
        return payloads.stream().filter(payload -> PERSONAL_VALUES.stream().anyMatch(payload::contains)).toList();
    }

    private String argos(String fixture) {
        return fixture("argos/" + fixture).replace(ARGOS_FIXTURE_SUBMISSION, SUBMISSION)
                .replace("fintech-user-8841", CUSTOMER);
    }

    private void postArgos(String body) {
        assertThat(post("/webhooks/argos", body, Map.of("Content-Type", "application/json", "X-Signature",
                hmacHex(ARGOS_WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8)))).statusCode()).isEqualTo(200);
    }
}
