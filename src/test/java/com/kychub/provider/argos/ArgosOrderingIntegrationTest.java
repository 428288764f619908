package com.kychub.provider.argos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * ARGOS deliveries come late and out of order: each sequence of one submission's webhooks is delivered in several
 * shuffled orders (a seeded {@link Random}, so a failure replays), one message after the other through the real
 * endpoint, inbox and worker, each order with a submission of its own. Whatever the order, the case ends where the
 * newest event puts it: results are ordered by their own times ({@code created_at}, {@code kyc_result.updated_at},
 * {@code update_time}), and an older one delivered late is stale. An AML screening has no time: a red flag holds the
 * approval until a dashboard decision processed after it, so where the red flag lands among the deliveries matters,
 * and only there.
 */
class ArgosOrderingIntegrationTest extends ArgosHubTest {

    private static final int ORDERS_PER_SEQUENCE = 5;

    /** When ARGOS says each thing happened: submission, first verdict, two dashboard decisions. */
    private static final String SUBMITTED = "2024-03-04 09:12:45";
    private static final String VERDICT = "2024-03-04 09:30:02";
    private static final String FIRST_DECISION = "2024-03-05T02:00:00Z";
    private static final String SECOND_DECISION = "2024-03-06T08:15:00Z";

    private final Random random = new Random(20240304L);

    /** How many orders this test delivered: each gets a submission of its own. */
    private int delivered;

    @Override
    HttpResponse<String> postArgos(String body) {
        return post(PATH, body, Map.of("Content-Type", "application/json",
                "X-Signature", hmacHex(ARGOS_WEBHOOK_SECRET, utf8(body))));
    }

    /** One webhook of a sequence, for whichever submission the order is delivered as. */
    private record Delivery(String name, Function<String, String> body) {
    }

    @Test
    void aDashboardDecisionWinsOverTheVerdictAndAnOlderDecisionWhateverTheOrder() {
        List<Delivery> sequence = List.of(submit(), approved(), aml("Not Screened", "LOW"),
                decision("rejected", FIRST_DECISION), decision("approved", SECOND_DECISION));

        for (List<Delivery> order : orders(sequence)) {
            String submission = deliver("dash", order);

            assertCase(submission, order, "APPROVED", "NONE", "approved", List.of());
        }
    }

    @Test
    void theNewestDashboardRejectionStandsWhateverTheOrder() {
        List<Delivery> sequence = List.of(submit(), rejected(), decision("approved", FIRST_DECISION),
                decision("rejected", SECOND_DECISION));

        for (List<Delivery> order : orders(sequence)) {
            String submission = deliver("rej", order);

            // The rejected webhook's comment is not a reason any more: the dashboard's rejection replaced it.
            assertCase(submission, order, "REJECTED", "RESTART_KYC", "rejected", List.of());
        }
    }

    @Test
    void aVerdictAfterTheSubmissionStandsWhateverTheOrder() {
        List<Delivery> sequence = List.of(submit(), approved(), aml("Not Screened", "Not Screened"));

        for (List<Delivery> order : orders(sequence)) {
            String submission = deliver("verdict", order);

            assertCase(submission, order, "APPROVED", "NONE", "approved", List.of());
        }
    }

    @Test
    void aRedFlagHoldsUnlessADashboardDecisionWasProcessedAfterIt() {
        List<Delivery> sequence = List.of(submit(), approved(), aml("Red Flag", "HIGH"),
                decision("approved", FIRST_DECISION));

        for (List<Delivery> order : orders(sequence)) {
            String submission = deliver("flag", order);

            if (deliveredAfter(order, "aml", "updated " + FIRST_DECISION)) {
                assertCase(submission, order, "IN_REVIEW", "WAIT", "approved", List.of("AML_RED_FLAG"));
            } else {
                assertCase(submission, order, "APPROVED", "NONE", "approved", List.of());
            }
        }
    }

    @Test
    void aRedFlagIsNeverHiddenByARejectionWhateverTheOrder() {
        List<Delivery> sequence = List.of(submit(), approved(), aml("Red Flag", "MEDIUM"),
                decision("rejected", FIRST_DECISION));

        for (List<Delivery> order : orders(sequence)) {
            String submission = deliver("flag-rej", order);

            // Rejected by the newest decision either way; the flag is named while no decision came after it.
            List<String> reasons = deliveredAfter(order, "aml", "updated " + FIRST_DECISION)
                    ? List.of("AML_RED_FLAG") : List.of();
            assertCase(submission, order, "REJECTED", "RESTART_KYC", "rejected", reasons);
        }
    }

    /** The sequence as given, then shuffled orders of it. */
    private List<List<Delivery>> orders(List<Delivery> sequence) {
        List<List<Delivery>> orders = new ArrayList<>();
        orders.add(sequence);
        for (int i = 1; i < ORDERS_PER_SEQUENCE; i++) {
            List<Delivery> order = new ArrayList<>(sequence);
            Collections.shuffle(order, random);
            orders.add(order);
        }
        return orders;
    }

    /** Delivers the order one message at a time, each processed before the next is sent; returns the submission. */
    private String deliver(String name, List<Delivery> order) {
        String submission = "sub-" + name + "-" + (++delivered);
        for (Delivery delivery : order) {
            accepted(postArgos(delivery.body().apply(submission)));
            awaitInboxDrained();
        }
        return submission;
    }

    private void assertCase(String submission, List<Delivery> order, String status, String nextAction,
                            String providerStatus, List<String> reasons) {
        JsonNode kycCase = caseOf(submission);
        String sent = order.stream().map(Delivery::name).toList().toString();
        assertThat(kycCase.get("status").asText()).as(sent).isEqualTo(status);
        assertThat(kycCase.get("nextAction").asText()).as(sent).isEqualTo(nextAction);
        assertThat(kycCase.get("providerStatus").asText()).as(sent).isEqualTo(providerStatus);
        assertThat(texts(kycCase.get("reasons"))).as(sent).containsExactlyElementsOf(reasons);
        assertThat(jdbc.queryForList("select state from inbound_message where body like ?", String.class,
                "%" + submission + "%")).as(sent).containsOnly("PROCESSED");
    }

    private static boolean deliveredAfter(List<Delivery> order, String later, String earlier) {
        List<String> names = order.stream().map(Delivery::name).toList();
        return names.indexOf(later) > names.indexOf(earlier);
    }

    private static Delivery submit() {
        return new Delivery("submit", submission -> withField(argosFixture("submit.json", submission),
                "created_at", SUBMITTED));
    }

    private static Delivery approved() {
        return new Delivery("approved", submission -> argosFixture("approved.json", submission));
    }

    private static Delivery rejected() {
        return new Delivery("rejected", submission -> argosFixture("rejected.json", submission));
    }

    private static Delivery aml(String currentStatus, String riskLevel) {
        return new Delivery("aml", submission -> {
            ObjectNode body = (ObjectNode) readJson(argosFixture("aml.json", submission));
            body.putObject("aml_result").put("currentstatus", currentStatus).put("risk_level_summary", riskLevel);
            return body.toString();
        });
    }

    private static Delivery decision(String result, String updateTime) {
        return new Delivery("updated " + updateTime, submission -> {
            ObjectNode body = (ObjectNode) readJson(argosFixture("updated.json", submission));
            body.put("update_time", updateTime);
            ((ObjectNode) body.get("data")).put("kyc_result", result);
            return body.toString();
        });
    }

    static {
        // The fixtures' own times are the sequence's: a changed fixture would silently change what is newest.
        String approved = fixture("argos/approved.json");
        String rejected = fixture("argos/rejected.json");
        if (!approved.contains(VERDICT) || !rejected.contains(VERDICT)) {
            throw new IllegalStateException("approved.json and rejected.json must be dated " + VERDICT);
        }
    }
}
