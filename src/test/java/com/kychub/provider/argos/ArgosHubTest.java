package com.kychub.provider.argos;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.support.HubIntegrationTest;

/** What the ARGOS end-to-end tests share: posting as ARGOS does, and reading cases, events and rows back. */
abstract class ArgosHubTest extends HubIntegrationTest {

    static final String PATH = "/webhooks/argos";
    static final String SUBMISSION = "c5b6a1e2-8f3d-4b7a-9e21-6d4f0a7b3c19";
    static final String USER = "fintech-user-8841";

    /** The applicant's personal values in the fixtures: none may be left anywhere after an erasure. */
    static final List<String> PERSONAL_VALUES = List.of("minji.kim@example.com", "KIM MINJI", "1990-07-15",
            "203.0.113.45", "900715-2345678", "M70123456", "2019-03-12", "2029-03-11", "Software engineer",
            "loyalty-tier-gold", "ref-77120", "campaign-spring");

    /** Posts a webhook body the way this test class's hub expects ARGOS to send it. */
    abstract HttpResponse<String> postArgos(String body);

    /** A fixture of fixtures/argos, with its submission id replaced so each test has cases of its own. */
    static String argosFixture(String name, String submission) {
        return fixture("argos/" + name).replace(SUBMISSION, submission);
    }

    static String withField(String body, String field, String value) {
        ObjectNode tree = (ObjectNode) readJson(body);
        tree.put(field, value);
        return tree.toString();
    }

    long accepted(HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            throw new AssertionError("answered " + answer.statusCode() + ": " + answer.body());
        }
        return readJson(answer.body()).get("id").asLong();
    }

    JsonNode awaitCase(String submission, String status) {
        return awaitCase("argos", submission, status, null);
    }

    JsonNode caseOf(String submission) {
        awaitInboxDrained();
        JsonNode cases = apiJson("/api/v1/cases?provider=argos&providerRef=" + submission).get("items");
        if (cases.size() != 1) {
            throw new AssertionError("expected one case for " + submission + ", found " + cases);
        }
        return cases.get(0);
    }

    JsonNode events(JsonNode kycCase) {
        return apiJson("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items");
    }

    String awaitState(long messageId, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> state.equals(
                jdbc.queryForObject("select state from inbound_message where id = ?", String.class, messageId)));
        return state;
    }

    Map<String, Object> check(JsonNode kycCase, String name) {
        return jdbc.queryForMap("select passed, required, detail::text as detail from kyc_check "
                + "where case_id = ?::uuid and name = ?", kycCase.get("id").asText(), name);
    }

    /**
     * What providers reported about the customer ({@code provider_report}), shaped per provider and reference:
     * {@code {"argos": {"<submission_id>": {"asOf", "fields"}}}}.
     */
    JsonNode personalData(String customerId) {
        ObjectNode all = JSON.createObjectNode();
        jdbc.query("""
                select provider, provider_ref, to_char(as_of at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as as_of,
                       fields::text as fields
                from provider_report where customer_id = ?""", row -> {
            String provider = row.getString("provider");
            ObjectNode ofProvider = all.has(provider) ? (ObjectNode) all.get(provider) : all.putObject(provider);
            ObjectNode entry = ofProvider.putObject(row.getString("provider_ref"));
            if (row.getString("as_of") != null) {
                entry.put("asOf", row.getString("as_of"));
            }
            entry.set("fields", readJson(row.getString("fields")));
        }, customerId);
        return all;
    }

    int count(String sql, Object... arguments) {
        return jdbc.queryForObject(sql, Integer.class, arguments);
    }

    /** Every row of the store that could hold personal data, as text. */
    List<String> storeText() {
        List<String> rows = new ArrayList<>();
        rows.addAll(jdbc.queryForList("select row_to_json(c)::text from customer c", String.class));
        rows.addAll(jdbc.queryForList("select row_to_json(k)::text from kyc_case k", String.class));
        rows.addAll(jdbc.queryForList("select row_to_json(m)::text from inbound_message m", String.class));
        rows.addAll(jdbc.queryForList("select row_to_json(e)::text from kyc_event e", String.class));
        rows.addAll(jdbc.queryForList("select row_to_json(c)::text from kyc_check c", String.class));
        rows.addAll(jdbc.queryForList("select row_to_json(r)::text from provider_report r", String.class));
        rows.addAll(jdbc.queryForList("select row_to_json(p)::text from kyc_event_personal p", String.class));
        return rows;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
