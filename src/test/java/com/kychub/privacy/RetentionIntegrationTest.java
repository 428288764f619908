package com.kychub.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.kychub.support.HubIntegrationTest;
import io.micrometer.core.instrument.Counter;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Retention with the real clustered Quartz job ({@code retention-sweep}, every second in tests, ages at their
 * defaults): a processed message older than {@code raw-bodies} is redacted (ids, statuses and codes stay), a younger
 * one and one never processed keep their bodies; a document older than {@code documents} loses its content, a younger
 * one keeps it; an outbound event older than {@code events} goes unless it is still pending; the metrics count them.
 */
class RetentionIntegrationTest extends HubIntegrationTest {

    private static final String USER_COMMENT = "The full name on the profile is either missing or incorrect.";

    @Test
    void processedBodiesAndDocumentsPastTheirAgeAreRedactedTheRestKept() {
        String old = fixture("striga/rejected.json");
        String young = old.replace("9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e", "0d9a1b4e-young-4fc9-8cc1-e1d9f6076c5e");
        long oldId = stored(postStriga(old));
        long youngId = stored(postStriga(young));
        // Never processed: an ARGOS trigger the hub does not know waits FAILED for a fix and a replay.
        String unmappable = fixture("argos/approved.json").replace("\"webhook_trigger\": \"approved\"",
                "\"webhook_trigger\": \"approved_v2\"");
        long failedId = stored(post("/webhooks/argos", unmappable, Map.of("Content-Type", "application/json",
                "X-Signature", hmacHex(ARGOS_WEBHOOK_SECRET, unmappable.getBytes(StandardCharsets.UTF_8)))));
        awaitInboxDrained();
        assertThat(state(oldId)).isEqualTo("PROCESSED");
        assertThat(state(failedId)).isEqualTo("FAILED");

        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"c-retained\"}").statusCode())
                .isEqualTo(201);
        long oldDocument = document("old-passport-scan.pdf", "%PDF-old-content");
        long youngDocument = document("young-passport-scan.pdf", "%PDF-young-content");

        double bodiesBefore = counted("raw-bodies");
        double documentsBefore = counted("documents");
        // 91 days pass for the old message and the old document, and for the failed message too.
        jdbc.update("update inbound_message set processed_at = now() - interval '91 days' where id in (?, ?)", oldId,
                failedId);
        jdbc.update("update inbound_message set received_at = now() - interval '91 days' where id = ?", failedId);
        jdbc.update("update customer_document set created_at = now() - interval '91 days' where id = ?", oldDocument);

        await().atMost(Duration.ofSeconds(40)).until(() -> jdbc.queryForObject(
                "select redacted_at is not null from inbound_message where id = ?", Boolean.class, oldId)
                && jdbc.queryForObject("select erased_at is not null from customer_document where id = ?",
                        Boolean.class, oldDocument));

        JsonNode redacted = readJson(body(oldId));
        assertThat(redacted.get("userId").asText()).isEqualTo("9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e");
        assertThat(redacted.get("status").asText()).isEqualTo("REJECTED");
        assertThat(redacted.get("details").get(0).asText()).isEqualTo("UNSATISFACTORY_PHOTOS");
        assertThat(redacted.at("/rejectionComments/userComment").asText()).isEqualTo(Redaction.MARK);
        assertThat(body(oldId)).doesNotContain(USER_COMMENT);
        assertThat(jdbc.queryForObject("select headers ->> 'signature' from inbound_message where id = ?",
                String.class, oldId)).isEqualTo(Redaction.MARK);

        assertThat(body(youngId)).isEqualTo(young);
        assertThat(body(failedId)).isEqualTo(unmappable);
        assertThat(content(oldDocument)).isEmpty();
        assertThat(jdbc.queryForObject("select file_name from customer_document where id = ?", String.class,
                oldDocument)).isEqualTo(Redaction.MARK);
        assertThat(new String(content(youngDocument), StandardCharsets.UTF_8)).isEqualTo("%PDF-young-content");

        assertThat(counted("raw-bodies") - bodiesBefore).isEqualTo(1);
        assertThat(counted("documents") - documentsBefore).isEqualTo(1);
    }

    @Test
    void outboundEventsPastTheirAgeAreDeletedUnlessStillPendingSomewhere() {
        // Three audit events, each with its outbound event: a Striga case opened and changed, another case opened.
        // An endpoint that no longer takes them (disabled) had taken the first and keeps the last PENDING; the middle
        // one was never due anywhere.
        String rejected = fixture("striga/rejected.json");
        postStriga(rejected);
        awaitInboxDrained();
        postStriga(fixture("striga/rejected-final.json"));
        postStriga(rejected.replace("9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e", "0d9a1b4e-other-4fc9-8cc1-e1d9f6076c5e"));
        awaitInboxDrained();
        String endpoint = jdbc.queryForObject("insert into event_endpoint (url, secret, enabled) "
                + "values ('http://127.0.0.1:9/off', 'whsec_x', false) returning id::text", String.class);
        List<Long> events = jdbc.queryForList("select e.id from outbound_event e join kyc_case k on k.id = e.case_id "
                + "where k.provider = 'striga' and k.provider_ref in (?, ?) order by e.id", Long.class,
                "9541f4cf-b71b-4fc9-8cc1-e1d9f6076c5e", "0d9a1b4e-other-4fc9-8cc1-e1d9f6076c5e");
        assertThat(events).hasSize(3);
        Long[] ours = events.toArray(Long[]::new);
        List<Long> audit = jdbc.queryForList("select kyc_event_id from outbound_event where id = any (?)", Long.class,
                (Object) ours);
        long delivered = events.get(0);
        long pending = events.get(2);
        jdbc.update("insert into event_delivery (event_id, endpoint_id, order_key, state) "
                + "select id, ?::uuid, order_key, case when id = ? then 'DELIVERED' else 'PENDING' end "
                + "from outbound_event where id in (?, ?)", endpoint, delivered, delivered, pending);
        double before = counted("events");
        // Only these events age: an event the hub writes meanwhile (work an earlier test left going, which the
        // store's reset does not stop) is young, and stays.
        jdbc.update("update outbound_event set created_at = now() - interval '31 days' where id = any (?)",
                (Object) ours);

        // The sweep may already have run: wait for the settled ones to be gone, then see the pending one stayed.
        try {
            await().atMost(Duration.ofSeconds(40)).until(() -> jdbc.queryForObject(
                    "select count(*) from outbound_event where id = any (?) and id <> ?", Integer.class,
                    (Object) ours, pending) == 0);
        } catch (ConditionTimeoutException stillThere) {
            throw new AssertionError("the aged, settled events were not swept: " + sweepState(ours), stillThere);
        }

        assertThat(jdbc.queryForList("select id from outbound_event where id = any (?)", Long.class, (Object) ours))
                .containsExactly(pending);
        assertThat(jdbc.queryForList("select event_id from event_delivery where endpoint_id = ?::uuid", Long.class,
                endpoint)).containsExactly(pending);
        assertThat(jdbc.queryForObject("select count(*) from kyc_event where id = any (?)", Integer.class,
                (Object) audit.toArray(Long[]::new))).isEqualTo(3);
        assertThat(counted("events") - before).isEqualTo(2);
    }

    /** What a failed wait for the sweep needs said: the rows left and the sweep's clustered Quartz trigger. */
    private String sweepState(Long[] events) {
        return "rows left " + jdbc.queryForList("select e.id, e.created_at, array(select d.state from event_delivery d "
                + "where d.event_id = e.id) as deliveries from outbound_event e where e.id = any (?) order by e.id",
                (Object) events)
                + "; retention triggers " + jdbc.queryForList("select trigger_name, trigger_state, "
                + "to_timestamp(prev_fire_time / 1000.0) as previous, to_timestamp(next_fire_time / 1000.0) as next "
                + "from qrtz_triggers where trigger_name like 'retention-%'")
                + "; firing " + jdbc.queryForList("select trigger_name, instance_name, state, "
                + "to_timestamp(fired_time / 1000.0) as fired from qrtz_fired_triggers")
                + "; instances " + jdbc.queryForList("select instance_name, to_timestamp(last_checkin_time / 1000.0) "
                + "as checked_in from qrtz_scheduler_state");
    }

    private long stored(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return readJson(answer.body()).get("id").asLong();
    }

    private long document(String fileName, String content) {
        HttpResponse<String> answer = apiSend("POST", "/api/v1/customers/c-retained/documents",
                "{\"type\":\"PROOF_OF_ADDRESS\",\"fileName\":\"" + fileName + "\",\"contentType\":\"application/pdf\","
                        + "\"content\":\"" + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))
                        + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return readJson(answer.body()).get("id").asLong();
    }

    private String state(long id) {
        return jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id);
    }

    private String body(long id) {
        return jdbc.queryForObject("select body from inbound_message where id = ?", String.class, id);
    }

    private byte[] content(long documentId) {
        return jdbc.queryForObject("select content from customer_document where id = ?", byte[].class, documentId);
    }

    private double counted(String what) {
        Counter counter = meters.find("kyc.retention.redacted").tag("what", what).counter();
        return counter == null ? 0 : counter.count();
    }
}
