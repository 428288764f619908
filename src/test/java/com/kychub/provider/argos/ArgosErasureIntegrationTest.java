package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * ARGOS {@code delete} end to end: after it, none of the submission's personal values is left anywhere in the store
 * (customer, case, checks, events, inbox bodies, headers and errors), another submission's data is untouched, the
 * audit trail is intact and holds the erasure, and a message of the submission arriving late leaves nothing either.
 */
class ArgosErasureIntegrationTest extends ArgosHubTest {

    private static final String ERASED = "sub-erase";
    private static final String KEPT = "sub-keep";

    /** The same customer's other submission, with values of its own. */
    private static final Map<String, String> OTHER_VALUES = new LinkedHashMap<>();

    static {
        List<String> others = List.of("jiho.lee@example.com", "LEE JIHO", "1988-01-02", "198.51.100.7",
                "880102-1234567", "M11122233", "2020-01-01", "2030-01-01", "Teacher", "loyalty-tier-silver",
                "ref-11111", "campaign-autumn");
        for (int i = 0; i < PERSONAL_VALUES.size(); i++) {
            OTHER_VALUES.put(PERSONAL_VALUES.get(i), others.get(i));
        }
    }

    @Override
    HttpResponse<String> postArgos(String body) {
        return postArgos(body, Map.of());
    }

    HttpResponse<String> postArgos(String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        headers.put("X-Signature", hmacHex(ARGOS_WEBHOOK_SECRET, utf8(body)));
        return post(PATH, body, headers);
    }

    @Test
    void deleteErasesTheSubmissionsPersonalDataEverywhereAndKeepsTheAuditTrail() {
        postArgos(otherSubmission(argosFixture("approved.json", KEPT)));
        awaitCase(KEPT, "APPROVED");

        // Everything ARGOS sends about the submission, one message with the applicant's IP in a proxy header, and
        // one the hub cannot map (kept FAILED, body and all).
        postArgos(argosFixture("submit.json", ERASED), Map.of("X-Forwarded-For", "203.0.113.45"));
        awaitCase(ERASED, "IN_REVIEW");
        postArgos(argosFixture("approved.json", ERASED));
        awaitCase(ERASED, "APPROVED");
        postArgos(argosFixture("injection.json", ERASED));
        postArgos(argosFixture("aml.json", ERASED));
        postArgos(readJson(argosFixture("updated.json", ERASED)).toString()
                .replace("\"update\":[\"kyc_result\"]", "\"update\":[\"fullName\"]")
                .replace("\"kyc_result\":\"rejected\"", "\"kyc_result\":\"approved\""));
        long failed = accepted(postArgos(withField(argosFixture("approved.json", ERASED), "webhook_trigger",
                "approved_v2")));
        awaitState(failed, "FAILED");
        JsonNode before = caseOf(ERASED);
        assertThat(before.get("status").asText()).isEqualTo("IN_REVIEW");
        assertThat(storeText()).anySatisfy(row -> assertThat(row).contains("KIM MINJI"));
        List<Long> eventsBefore = eventIds(before);

        long delete = accepted(postArgos(argosFixture("delete.json", ERASED)));
        awaitState(delete, "PROCESSED");
        // The canonical case did not change: the erasure is its own event.
        assertThat(jdbc.queryForObject("select outcome from inbound_message where id = ?", String.class, delete))
                .isEqualTo("UNCHANGED");

        // Nothing of the erased submission is left, in any row.
        assertThat(storeText()).allSatisfy(row -> assertThat(row).doesNotContain(PERSONAL_VALUES));
        assertThat(jdbc.queryForObject("select headers::text from inbound_message where body like '%\"submit\"%'",
                String.class)).contains("\"x-forwarded-for\": \"[redacted]\"");
        assertThat(jdbc.queryForObject("select state from inbound_message where id = ?", String.class, failed))
                .isEqualTo("FAILED");

        // The other submission's data is untouched.
        JsonNode kept = personalData(USER).at("/argos/" + KEPT + "/fields");
        assertThat(kept.get("fullName").asText()).isEqualTo("LEE JIHO");
        assertThat(kept.get("documentNumber").asText()).isEqualTo("M11122233");
        assertThat(personalData(USER).at("/argos/" + ERASED).isMissingNode()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where body like '%LEE JIHO%'",
                Integer.class)).isEqualTo(1);

        // The case keeps its status and reasons; the trail keeps every event and adds the erasure.
        JsonNode after = caseOf(ERASED);
        assertThat(after.get("status")).isEqualTo(before.get("status"));
        assertThat(after.get("reasons")).isEqualTo(before.get("reasons"));
        assertThat(after.at("/providerDetails/erased/deleteTime").asText()).isEqualTo("2024-03-06 11:00:00");
        JsonNode events = events(after);
        assertThat(eventIds(after)).startsWith(eventsBefore.toArray(Long[]::new)).hasSize(eventsBefore.size() + 1);
        JsonNode erasure = events.get(events.size() - 1);
        assertThat(erasure.get("type").asText()).isEqualTo("DATA_ERASED");
        assertThat(erasure.get("providerEvent").asText()).isEqualTo("delete");
        assertThat(erasure.get("inboundMessageId").asLong()).isEqualTo(delete);
        assertThat(erasure.get("fromStatus")).isEqualTo(erasure.get("toStatus"));
        JsonNode detail = readJson(jdbc.queryForObject("select detail::text from kyc_event where type = 'DATA_ERASED'",
                String.class));
        assertThat(detail.get("deleteTime").asText()).isEqualTo("2024-03-06 11:00:00");
        assertThat(detail.at("/rows/provider_report").asInt()).isEqualTo(1);
        // The six messages of the submission and the delete itself (its admin's email and comment are personal too).
        assertThat(detail.at("/rows/inbound_message").asInt()).isEqualTo(7);
        // Who erased and why, in ARGOS's words, are beside the event, where erasing the customer reaches them.
        assertThat(detail.has("accountEmail")).isFalse();
        assertThat(detail.has("comment")).isFalse();
        JsonNode personal = readJson(jdbc.queryForObject("""
                select p.detail::text from kyc_event_personal p join kyc_event e on e.id = p.event_id
                where e.type = 'DATA_ERASED'""", String.class));
        assertThat(personal.get("accountEmail").asText()).isEqualTo("compliance-lead@fintech.example");
        assertThat(personal.get("comment").asText()).isEqualTo("Erased at the applicant's request");

        // A message of the submission delivered after the delete leaves no personal data either.
        long late = accepted(postArgos(withField(argosFixture("approved.json", ERASED), "late", "true")));
        awaitState(late, "PROCESSED");
        assertThat(storeText()).allSatisfy(row -> assertThat(row).doesNotContain(PERSONAL_VALUES));
        assertThat(personalData(USER).at("/argos/" + ERASED).isMissingNode()).isTrue();
    }

    @Test
    void deletingASubmissionTheHubHasNoCaseForLeavesTheRecordOfItsErasure() {
        // Its only message so far could not be mapped: it is still erased.
        long failed = accepted(postArgos(withField(argosFixture("approved.json", "sub-unseen"), "webhook_trigger",
                "approved_v2")));
        awaitState(failed, "FAILED");

        long delete = accepted(postArgos(argosFixture("delete.json", "sub-unseen")));
        awaitState(delete, "PROCESSED");

        JsonNode kycCase = caseOf("sub-unseen");
        assertThat(kycCase.get("status").asText()).isEqualTo("NOT_STARTED");
        assertThat(kycCase.get("customerId").asText()).isEqualTo("sub-unseen");
        assertThat(events(kycCase).findValuesAsText("type")).containsExactly("CASE_OPENED", "DATA_ERASED");
        assertThat(storeText()).allSatisfy(row -> assertThat(row).doesNotContain(PERSONAL_VALUES));

        // The approval delivered late still counts, but brings no personal data back.
        postArgos(argosFixture("approved.json", "sub-unseen"));
        awaitCase("sub-unseen", "APPROVED");
        assertThat(storeText()).allSatisfy(row -> assertThat(row).doesNotContain(PERSONAL_VALUES));
    }

    private List<Long> eventIds(JsonNode kycCase) {
        return jdbc.queryForList("select id from kyc_event where case_id = ?::uuid order by id", Long.class,
                kycCase.get("id").asText());
    }

    private static String otherSubmission(String body) {
        String other = body;
        for (Map.Entry<String, String> value : OTHER_VALUES.entrySet()) {
            other = other.replace(value.getKey(), value.getValue());
        }
        return other;
    }
}
