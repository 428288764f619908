package com.kychub.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.Test;

/**
 * What operators have: the deliveries of an endpoint and how each went, replay of one delivery or of every DEAD one
 * since a time, and the metrics (deliveries by outcome, lag).
 */
class DeliveryOperationsIntegrationTest extends DeliveryFixtures {

    @Test
    void anEndpointsDeliveriesAreListedNewestFirstPageByPage() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/listed")).willReturn(aResponse().withStatus(202)));
        UUID endpoint = createEndpoint(receiverUrl("/listed"), newSecret());
        UUID caseId = openCase("u-listed");
        auditEvent(caseId, "IN_PROGRESS", "IN_REVIEW");
        auditEvent(caseId, "IN_REVIEW", "APPROVED");
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from event_delivery where state = 'DELIVERED'", Integer.class) == 3);

        JsonNode first = operatorJson("/api/v1/event-endpoints/" + endpoint + "/deliveries?limit=2");
        assertThat(first.get("items")).hasSize(2);
        JsonNode newest = first.get("items").get(0);
        assertThat(newest.get("sequence").asLong()).isEqualTo(3);
        assertThat(newest.get("type").asText()).isEqualTo("kyc.case.status_changed");
        assertThat(newest.get("caseId").asText()).isEqualTo(caseId.toString());
        assertThat(newest.get("eventId").asText()).startsWith("evt_");
        assertThat(newest.get("state").asText()).isEqualTo("DELIVERED");
        assertThat(newest.get("attempts").asInt()).isEqualTo(1);
        assertThat(newest.get("lastStatus").asInt()).isEqualTo(202);
        assertThat(newest.get("lastLatencyMs").isInt()).isTrue();
        assertThat(Instant.parse(newest.get("deliveredAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(Instant.parse(newest.get("lastAttemptAt").asText())).isNotNull();
        assertThat(newest.has("nextAttemptAt")).isTrue();
        assertThat(newest.has("lastError")).isFalse();
        // Nothing of the event's body is listed.
        assertThat(newest.has("payload")).isFalse();
        assertThat(first.get("items").get(1).get("sequence").asLong()).isEqualTo(2);

        assertThat(first.get("next").asText()).startsWith("/api/v1/event-endpoints/" + endpoint
                + "/deliveries?limit=2&after=");
        JsonNode second = operatorJson(first.get("next").asText());
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("items").get(0).get("sequence").asLong()).isEqualTo(1);
        assertThat(second.get("next").isNull()).isTrue();

        assertThat(operatorJson("/api/v1/event-endpoints/" + endpoint + "/deliveries?state=DEAD").get("items"))
                .isEmpty();
    }

    @Test
    void theDeliveriesApiRefusesWhatItCannotAnswer() {
        UUID endpoint = createEndpoint(receiverUrl("/refusing"), newSecret());

        assertError(operatorApi("/api/v1/event-endpoints/" + UUID.randomUUID() + "/deliveries"), 404);
        assertError(operatorApi("/api/v1/event-endpoints/not-a-uuid/deliveries"), 400);
        assertError(operatorApi("/api/v1/event-endpoints/" + endpoint + "/deliveries?state=LOST"), 400);
        assertError(operatorApi("/api/v1/event-endpoints/" + endpoint + "/deliveries?limit=0"), 400);
        assertError(operatorApi("/api/v1/event-endpoints/" + endpoint + "/deliveries?after=abc"), 400);
        assertError(operatorSend("POST", "/api/v1/event-endpoints/" + endpoint + "/replay?since=yesterday", ""), 400);
        assertError(operatorSend("POST", "/api/v1/event-endpoints/" + endpoint + "/replay", ""), 400);
        assertError(operatorSend("POST", "/api/v1/ops/deliveries/424242/replay", ""), 404);
        // Operator scope: an integration key is not enough.
        assertThat(api("/api/v1/event-endpoints/" + endpoint + "/deliveries").statusCode()).isEqualTo(403);
    }

    @Test
    void aDeadDeliveryIsReplayedOnceTheReceiverIsBackWithItsWebhookId() throws Exception {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/replayed")).willReturn(aResponse().withStatus(500)));
        String secret = newSecret();
        createEndpoint(receiverUrl("/replayed"), secret);
        String eventId = onlyEventId(openCase("u-replayed"));
        awaitState(eventId, "DEAD");
        long deliveryId = ((Number) delivery(eventId).get("id")).longValue();

        RECEIVER.stubFor(WireMock.post(urlEqualTo("/replayed")).willReturn(aResponse().withStatus(200)));
        HttpResponse<String> replayed = operatorSend("POST", "/api/v1/ops/deliveries/" + deliveryId + "/replay", "");

        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(readJson(replayed.body()).get("state").asText()).isEqualTo("PENDING");
        awaitState(eventId, "DELIVERED");
        assertThat(delivery(eventId).get("attempts")).isEqualTo(1);
        List<LoggedRequest> requests = received("/replayed");
        assertThat(requests).hasSize(4);
        assertThat(requests).allMatch(request -> request.getHeader("webhook-id").equals(eventId));
        verify(secret, requests.get(3));

        // A delivered one can be sent again too (the fintech lost it); a pending one is not replayed.
        assertThat(operatorSend("POST", "/api/v1/ops/deliveries/" + deliveryId + "/replay", "").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> received("/replayed").size() == 5);
        awaitState(eventId, "DELIVERED");
        // The case's next event, waiting for its next attempt.
        UUID caseId = jdbc.queryForObject("select case_id from outbound_event where event_id = ?", UUID.class, eventId);
        inOneTransaction(() -> {
            auditEvent(caseId, "IN_PROGRESS", "IN_REVIEW");
            jdbc.update("update event_delivery set next_attempt_at = now() + interval '1 hour' where state = 'PENDING'");
        });
        long pending = jdbc.queryForObject("select id from event_delivery where state = 'PENDING'", Long.class);
        HttpResponse<String> conflict = operatorSend("POST", "/api/v1/ops/deliveries/" + pending + "/replay", "");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(readJson(conflict.body()).get("detail").asText()).contains("PENDING");
    }

    @Test
    void everyDeadDeliveryOfAnEndpointSinceATimeIsReplayed() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/all-dead")).willReturn(aResponse().withStatus(503)));
        UUID endpoint = createEndpoint(receiverUrl("/all-dead"), newSecret());
        List<String> events = new ArrayList<>();
        for (String ref : List.of("u-dead-old", "u-dead-1", "u-dead-2")) {
            String eventId = onlyEventId(openCase(ref));
            events.add(eventId);
        }
        events.forEach(eventId -> awaitState(eventId, "DEAD"));
        // The first event is from yesterday: before the time the operator replays from.
        jdbc.update("update outbound_event set created_at = now() - interval '1 day' where event_id = ?",
                events.get(0));
        Instant since = Instant.now().minus(Duration.ofHours(1));

        RECEIVER.stubFor(WireMock.post(urlEqualTo("/all-dead")).willReturn(aResponse().withStatus(200)));
        HttpResponse<String> replayed = operatorSend("POST",
                "/api/v1/event-endpoints/" + endpoint + "/replay?since=" + since, "");

        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(readJson(replayed.body()).get("replayed").asInt()).isEqualTo(2);
        awaitState(events.get(1), "DELIVERED");
        awaitState(events.get(2), "DELIVERED");
        assertThat(deliveryState(events.get(0))).isEqualTo("DEAD");
        assertError(operatorSend("POST", "/api/v1/event-endpoints/" + UUID.randomUUID() + "/replay?since=" + since,
                ""), 404);
    }

    @Test
    void deliveriesAreCountedByEndpointAndOutcome() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/counted")).willReturn(aResponse().withStatus(200)));
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/uncounted")).willReturn(aResponse().withStatus(502)));
        UUID good = createEndpoint(receiverUrl("/counted"), newSecret());
        UUID bad = createEndpoint(receiverUrl("/uncounted"), newSecret());

        UUID caseId = openCase("u-counted");
        auditEvent(caseId, "IN_PROGRESS", "IN_REVIEW");
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from event_delivery where state = 'PENDING'", Integer.class) == 0);

        // Counted once a result is committed: the last one just after the rows read above.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(deliveries(good, "delivered")).isEqualTo(2);
            assertThat(deliveries(good, "failed")).isZero();
            // The bad endpoint's first event used its three attempts; the second waited for it, then used its own.
            assertThat(deliveries(bad, "failed")).isEqualTo(4);
            assertThat(deliveries(bad, "dead")).isEqualTo(2);
            assertThat(deliveries(bad, "delivered")).isZero();
        });
    }

    @Test
    void theLagIsTheAgeOfTheOldestEventStillPendingForAnEnabledEndpoint() {
        UUID waiting = createEndpoint(receiverUrl("/lagging"), newSecret());
        UUID disabled = createEndpoint(receiverUrl("/off"), newSecret());
        // One delivery waits for its next attempt, two minutes old; the disabled endpoint's is ten minutes old.
        inOneTransaction(() -> {
            openCase("u-lagging");
            jdbc.update("""
                    update event_delivery set created_at = now() - interval '2 minutes',
                           next_attempt_at = now() + interval '1 hour'
                    where endpoint_id = ?""", waiting);
            jdbc.update("update event_delivery set created_at = now() - interval '10 minutes' where endpoint_id = ?",
                    disabled);
            jdbc.update("update event_endpoint set enabled = false, disabled_reason = 'OPERATOR' where id = ?",
                    disabled);
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> lag() >= 120 && lag() < 300);

        jdbc.update("update event_delivery set state = 'DEAD' where endpoint_id = ?", waiting);
        await().atMost(Duration.ofSeconds(10)).until(() -> lag() == 0);
        assertThat(jdbc.queryForObject("select state from event_delivery where endpoint_id = ?", String.class,
                disabled)).isEqualTo("PENDING");
    }

    private double lag() {
        Gauge gauge = meters.find("kyc.events.lag").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static void assertError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = readJson(response.body());
        assertThat(error.get("title").asText()).isNotEmpty();
        assertThat(error.get("detail").asText()).isNotEmpty();
    }
}
