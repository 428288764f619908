package com.kychub.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The scaled-down {@code bench/order-at-scale.sh}: 2,000 signed Striga and ARGOS webhooks, 30% of them duplicate
 * deliveries (a third re-formatted), shuffled and posted concurrently through the real HTTP door; every case must end
 * in the state the provider rules give whatever the order of arrival, with one audit event per real change.
 */
class OrderAtScaleIntegrationTest extends HubIntegrationTest {

    private static final int WEBHOOKS = 2_000;
    private static final double DUPLICATES = 0.30;
    private static final int CLIENTS = 8;
    private static final DateTimeFormatter ARGOS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Random random = new Random(20261202);
    private final List<Message> messages = new ArrayList<>();
    private final List<Expected> expected = new ArrayList<>();

    record Message(String provider, String ref, String body) {
    }

    record Expected(String provider, String ref, String status, String nextAction, List<String> reasons,
                    String providerStatus) {
    }

    record Delivery(Message message, String body) {
    }

    record Answer(Message message, int status, String ack, long id) {
    }

    @Test
    void shuffledDuplicatedWebhooksEndInTheExpectedStatesWithOneEventPerChange() throws Exception {
        int distinct = (int) Math.round(WEBHOOKS * (1 - DUPLICATES));
        while (messages.size() < distinct) {
            addCase(distinct - messages.size());
        }
        List<Delivery> deliveries = new ArrayList<>();
        messages.forEach(m -> deliveries.add(new Delivery(m, m.body())));
        while (deliveries.size() < WEBHOOKS) {
            Message m = messages.get(random.nextInt(messages.size()));
            // A third of the redeliveries are re-formatted on the way: the same message all the same.
            deliveries.add(new Delivery(m, random.nextInt(3) == 0 ? pretty(m.body()) : m.body()));
        }
        Collections.shuffle(deliveries, random);

        List<Answer> answers = postConcurrently(deliveries);
        await().atMost(Duration.ofSeconds(120)).until(() -> count("select count(*) from inbound_message "
                + "where state = 'ACCEPTED'") == 0);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        Map<Message, List<Answer>> byMessage = new HashMap<>();
        answers.forEach(a -> byMessage.computeIfAbsent(a.message(), m -> new ArrayList<>()).add(a));
        assertThat(byMessage).hasSize(distinct).allSatisfy((message, its) -> {
            assertThat(its).filteredOn(a -> a.ack().equals("accepted")).as(message.body()).hasSize(1);
            assertThat(its).filteredOn(a -> a.ack().equals("duplicate")).hasSize(its.size() - 1);
            assertThat(its).extracting(Answer::id).containsOnly(its.get(0).id());
        });

        // The inbox: each distinct message once, in the row its answers named, processed.
        Map<Long, JsonNode> stored = new HashMap<>();
        jdbc.query("select id, body from inbound_message", row -> {
            stored.put(row.getLong("id"), readJson(row.getString("body")));
        });
        assertThat(stored).hasSize(distinct);
        byMessage.forEach((message, its) ->
                assertThat(stored.get(its.get(0).id())).isEqualTo(readJson(message.body())));
        assertThat(count("select count(*) from inbound_message where state <> 'PROCESSED'")).isZero();

        // Every case in exactly its expected state.
        assertThat(count("select count(*) from kyc_case")).isEqualTo(expected.size());
        for (Expected e : expected) {
            Map<String, Object> row = jdbc.queryForMap("select status, next_action, reasons::text as reasons, "
                    + "provider_status from kyc_case where provider = ? and provider_ref = ?", e.provider(), e.ref());
            assertThat(row).as(e.ref())
                    .containsEntry("status", e.status())
                    .containsEntry("next_action", e.nextAction())
                    .containsEntry("provider_status", e.providerStatus());
            assertThat(readJson((String) row.get("reasons"))).as(e.ref()).isEqualTo(JSON.valueToTree(e.reasons()));
        }

        // One audit event per CREATED or CHANGED message, none for the others, and a clean chain per case.
        assertThat(count("""
                select count(*) from inbound_message i
                where (select count(*) from kyc_event e where e.inbound_message_id = i.id)
                      <> case when i.outcome in ('CREATED', 'CHANGED') then 1 else 0 end""")).isZero();
        assertThat(count("select count(*) from kyc_event")).isEqualTo(
                count("select count(*) from inbound_message where outcome in ('CREATED', 'CHANGED')"));
        assertThat(count("select count(*) from inbound_message where outcome = 'STALE'")).isPositive();
        assertThat(count("""
                select count(*) from (
                    select type, from_status, to_status, lag(to_status) over w previous, row_number() over w n
                    from kyc_event window w as (partition by case_id order by id)) chain
                where (n = 1 and (type <> 'CASE_OPENED' or from_status is not null))
                   or (n > 1 and from_status is distinct from previous)""")).isZero();
    }

    private List<Answer> postConcurrently(List<Delivery> deliveries) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<Answer>>> work = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                work.add(clients.submit(() -> {
                    List<Answer> answers = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < deliveries.size(); i = next.getAndIncrement()) {
                        answers.add(send(deliveries.get(i)));
                    }
                    return answers;
                }));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<List<Answer>> w : work) {
                answers.addAll(w.get());
            }
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }

    private Answer send(Delivery delivery) {
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = delivery.message().provider().equals("striga")
                ? post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json",
                        "signature", hmacHex(STRIGA_KEY, body)))
                : post("/webhooks/argos", body, Map.of("Content-Type", "application/json",
                        "X-Signature", hmacHex(ARGOS_WEBHOOK_SECRET, body)));
        JsonNode answer = response.statusCode() == 200 ? readJson(response.body()) : JSON.createObjectNode();
        return new Answer(delivery.message(), response.statusCode(), answer.path("status").asText(),
                answer.path("id").asLong());
    }

    /**
     * One case whose end the provider rules fix whatever the order: Striga with {@code ts} (the newest decides),
     * Striga without (a single protected verdict that nothing later may overwrite), ARGOS (submit's
     * {@code created_at}, the verdict's {@code kyc_result.updated_at}, a dashboard update's {@code update_time}).
     */
    private void addCase(int room) {
        String ref = "case-" + expected.size();
        long t = 1_764_000_000_000L + random.nextInt(86_400) * 1000L;
        List<String> reasons = List.of("SCREENSHOTS", "NOT_DOCUMENT", "UNSATISFACTORY_PHOTOS").subList(0,
                1 + random.nextInt(3));
        // The last cases fit the room left, so that there are exactly as many messages as asked.
        switch (room == 1 ? -1 : room == 2 ? 0 : random.nextInt(8)) {
            case -1 -> striga(ref, t, "APPROVED");
            case 0 -> argos(ref, t, random.nextBoolean(), false);
            case 1 -> argos(ref, t, true, true);
            case 2 -> striga(ref, t, "INITIATED", "PENDING_REVIEW", "APPROVED");
            case 3 -> striga(ref, t, "INITIATED", "PENDING_REVIEW", "REJECTED:" + String.join(",", reasons));
            case 4 -> striga(ref, t, "INITIATED", "PENDING_REVIEW", "REJECTED:" + String.join(",", reasons),
                    "INITIATED", "PENDING_REVIEW", "REJECTED:" + String.join(",", reasons));
            case 5 -> striga(ref, t, "PENDING_REVIEW", "APPROVED", "REJECTED_FINAL:" + String.join(",", reasons));
            case 6 -> striga(ref, null, "INITIATED", "PENDING_REVIEW", "APPROVED");
            default -> striga(ref, null, "INITIATED", "ON_HOLD", "REJECTED_FINAL:" + String.join(",", reasons));
        }
    }

    /** Statuses in the provider's order, "STATUS:REASON,REASON" with reasons; with a ts each, unless t is null. */
    private void striga(String ref, Long t, String... statuses) {
        String status = null;
        List<String> reasons = List.of();
        for (String spec : statuses) {
            String[] parts = spec.split(":");
            status = parts[0];
            reasons = parts.length > 1 ? List.of(parts[1].split(",")) : List.of();
            ObjectNode body = JSON.createObjectNode().put("userId", ref).put("status", status);
            if (!reasons.isEmpty()) {
                reasons.forEach(body.putArray("details")::add);
            }
            if (t != null) {
                t += 1000 + random.nextInt(60_000);
                body.put("ts", t);
            }
            messages.add(new Message("striga", ref, body.toString()));
        }
        // StrigaMapping's table.
        String[] canonical = switch (status) {
            case "APPROVED" -> new String[] {"APPROVED", "NONE"};
            case "REJECTED" -> new String[] {"REJECTED", "RESTART_KYC"};
            case "REJECTED_FINAL" -> new String[] {"REJECTED_FINAL", "NONE"};
            default -> throw new IllegalArgumentException("no scenario ends at " + status);
        };
        expected.add(new Expected("striga", ref, canonical[0], canonical[1], reasons, status));
    }

    private void argos(String ref, long t, boolean rejected, boolean approvedByUpdate) {
        messages.add(new Message("argos", ref, JSON.createObjectNode().put("webhook_trigger", "submit")
                .put("submission_id", ref).put("userid", "u-" + ref).put("created_at", argosTime(t)).toString()));
        ObjectNode verdict = JSON.createObjectNode().put("webhook_trigger", rejected ? "rejected" : "approved")
                .put("submission_id", ref).put("userid", "u-" + ref);
        ObjectNode result = verdict.putObject("kyc_result").put("status", rejected ? "rejected" : "approved")
                .put("updated_at", argosTime(t + 60_000));
        if (rejected) {
            result.putArray("commentCode").add("ID_BLUR");
            result.put("comment", "The photo is blurry.");
        }
        messages.add(new Message("argos", ref, verdict.toString()));
        if (approvedByUpdate) {
            ObjectNode update = JSON.createObjectNode().put("webhook_trigger", "updated").put("submission_id", ref)
                    .put("userid", "u-" + ref).put("update_time", argosTime(t + 120_000));
            update.putObject("data").put("kyc_result", "approved").putArray("update").add("kyc_result");
            messages.add(new Message("argos", ref, update.toString()));
        }
        boolean rejectedInTheEnd = rejected && !approvedByUpdate;
        // ArgosMapping: a rejection's reasons are its comment codes; the free-text comment is not a reason.
        expected.add(new Expected("argos", ref, rejectedInTheEnd ? "REJECTED" : "APPROVED",
                rejectedInTheEnd ? "RESTART_KYC" : "NONE",
                rejectedInTheEnd ? List.of("ID_BLUR") : List.of(),
                rejectedInTheEnd ? "rejected" : "approved"));
    }

    private static String argosTime(long epochMillis) {
        return LocalDateTime.ofEpochSecond(epochMillis / 1000, 0, ZoneOffset.UTC).format(ARGOS_TIME);
    }

    private static String pretty(String body) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(readJson(body));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private int count(String sql) {
        return jdbc.queryForObject(sql, Integer.class);
    }
}
