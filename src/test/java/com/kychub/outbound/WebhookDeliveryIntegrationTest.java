package com.kychub.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery as a fintech's receiver sees it: signed per Standard Webhooks (checked with the library's own
 * verifier), retried with the same webhook-id, DEAD after the schedule, 410 and a long run of failures disabling the
 * endpoint, both signatures during a secret rotation.
 */
class WebhookDeliveryIntegrationTest extends DeliveryFixtures {

    @Test
    void theReceiverGetsTheStoredPayloadSignedAsTheStandardSays() throws Exception {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(204)
                .withHeader("Set-Cookie", "session=abc; Path=/")));
        String secret = newSecret();
        UUID endpoint = createEndpoint(receiverUrl("/hooks"), secret);

        UUID caseId = openCase("u-signed");
        String eventId = onlyEventId(caseId);
        awaitState(eventId, "DELIVERED");

        List<LoggedRequest> requests = received("/hooks");
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        verify(secret, request);
        assertThat(request.getHeader("webhook-id")).isEqualTo(eventId);
        assertThat(request.getHeader("webhook-signature")).startsWith("v1,").doesNotContain(" ");
        assertThat(Long.parseLong(request.getHeader("webhook-timestamp")))
                .isCloseTo(System.currentTimeMillis() / 1000, within(30L));
        assertThat(request.getHeader("User-Agent")).isEqualTo("KYC-Hub");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        // Nothing of the hub's own exchange leaks as a header.
        assertThat(request.getAllHeaderKeys()).noneMatch(name -> name.toLowerCase().startsWith("camel"));
        String stored = jdbc.queryForObject("select payload::text from outbound_event where event_id = ?",
                String.class, eventId);
        assertThat(readJson(request.getBodyAsString())).isEqualTo(readJson(stored));
        JsonNode body = readJson(request.getBodyAsString());
        assertThat(body.get("type").asText()).isEqualTo("kyc.case.opened");
        assertThat(body.at("/data/caseId").asText()).isEqualTo(caseId.toString());

        Map<String, Object> row = delivery(eventId);
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("last_status")).isEqualTo(204);
        assertThat(row.get("delivered_at")).isNotNull();
        assertThat(row.get("last_attempt_at")).isNotNull();
        assertThat(row.get("last_latency_ms")).isNotNull();

        // A second event: the receiver's cookie is not sent back.
        auditEvent(caseId, "IN_PROGRESS", "IN_REVIEW");
        await().atMost(Duration.ofSeconds(20)).until(() -> received("/hooks").size() == 2);
        assertThat(received("/hooks").get(1).getHeader("Cookie")).isNull();
        // Counted once the result is committed, after the receiver has answered.
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(endpoint, "delivered") >= 2);
    }

    @Test
    void aFailedAttemptIsRetriedWithTheSameWebhookIdAndSignedAgain() throws Exception {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("try later, here is my stack trace"))
                .willSetStateTo("up"));
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        String secret = newSecret();
        createEndpoint(receiverUrl("/flaky"), secret);

        String eventId = onlyEventId(openCase("u-flaky"));
        awaitState(eventId, "DELIVERED");

        List<LoggedRequest> requests = received("/flaky");
        assertThat(requests).hasSize(2);
        for (LoggedRequest request : requests) {
            assertThat(request.getHeader("webhook-id")).isEqualTo(eventId);
            verify(secret, request);
        }
        Map<String, Object> row = delivery(eventId);
        assertThat(row.get("attempts")).isEqualTo(2);
        assertThat(row.get("last_status")).isEqualTo(200);
        assertThat(row.get("last_error")).isNull();
    }

    @Test
    void aReceiverThatAlwaysFailsEndsDeadAfterTheScheduleWithAShortErrorCode() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/down")).willReturn(aResponse().withStatus(503)
                .withBody("{\"secret\":\"do not keep me\"}")));
        UUID endpoint = createEndpoint(receiverUrl("/down"), newSecret());
        double deadBefore = deliveries(endpoint, "dead");

        String eventId = onlyEventId(openCase("u-down"));
        awaitState(eventId, "DEAD");

        Map<String, Object> row = delivery(eventId);
        assertThat(row.get("attempts")).isEqualTo(3);
        assertThat(row.get("last_status")).isEqualTo(503);
        assertThat(row.get("last_error")).isEqualTo("HTTP_503");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(deliveries(endpoint, "failed")).isEqualTo(2);
            assertThat(deliveries(endpoint, "dead")).isEqualTo(deadBefore + 1);
        });
        // The endpoint is failing, but not for long enough to be disabled.
        assertThat(endpointRow(endpoint).get("failing_since")).isNotNull();
        assertThat(endpointRow(endpoint).get("enabled")).isEqualTo(true);
        afterAFewRounds(() -> assertThat(received("/down")).hasSize(3));
    }

    @Test
    void aCasesEventsQueuedBehindAFailingOneWaitAsLongAndGoOutTheMomentItIsDelivered() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/queue")).willReturn(aResponse().withStatus(204)));
        UUID endpoint = createEndpoint(receiverUrl("/queue"), newSecret());
        // The case's first event failed once and waits an hour for its retry (as after a receiver's outage).
        inOneTransaction(() -> {
            openCase("u-queue");
            jdbc.update("""
                    update event_delivery set attempts = 1, last_status = 503, last_error = 'HTTP_503',
                           next_attempt_at = now() + interval '1 hour'
                    where endpoint_id = ?""", endpoint);
        });
        UUID caseId = jdbc.queryForObject("select id from kyc_case where provider_ref = 'u-queue'", UUID.class);

        auditEvent(caseId, "IN_PROGRESS", "IN_REVIEW");
        auditEvent(caseId, "IN_REVIEW", "APPROVED");

        // Queued behind it, they wait as long: not due now, so a claim never walks past them.
        assertThat(jdbc.queryForObject("""
                select count(*) from event_delivery
                where endpoint_id = ? and state = 'PENDING' and next_attempt_at > now() + interval '50 minutes'""",
                Integer.class, endpoint)).isEqualTo(3);
        afterAFewRounds(() -> assertThat(received("/queue")).isEmpty());

        // Its retry comes (an operator's nudge here) and it is delivered: the two behind it follow at once, in order.
        jdbc.update("""
                update event_delivery set next_attempt_at = now()
                where endpoint_id = ? and event_id = (select min(event_id) from event_delivery where endpoint_id = ?)""",
                endpoint, endpoint);
        await().atMost(Duration.ofSeconds(20)).until(() -> received("/queue").size() == 3);
        assertThat(received("/queue").stream()
                .map(request -> readJson(request.getBodyAsString()).at("/data/sequence").asInt()).toList())
                .containsExactly(1, 2, 3);
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() {
        // A port nothing listens on: the receiver is down.
        createEndpoint("http://127.0.0.1:1/hooks", newSecret());

        String eventId = onlyEventId(openCase("u-refused"));
        awaitState(eventId, "DEAD");

        assertThat(delivery(eventId).get("last_error")).isEqualTo("CONNECT");
        assertThat(delivery(eventId).get("last_status")).isNull();
    }

    @Test
    void aRedirectIsNotFollowed() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/moved")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", receiverUrl("/elsewhere"))));
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/elsewhere")).willReturn(aResponse().withStatus(200)));
        createEndpoint(receiverUrl("/moved"), newSecret());

        String eventId = onlyEventId(openCase("u-moved"));
        awaitState(eventId, "DEAD");

        assertThat(delivery(eventId).get("last_error")).isEqualTo("HTTP_307");
        assertThat(received("/elsewhere")).isEmpty();
    }

    @Test
    void goneDisablesTheEndpointAtOnceAndTheDeliveryWaitsForItToBeEnabledAgain() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/gone")).willReturn(aResponse().withStatus(410)));
        UUID endpoint = createEndpoint(receiverUrl("/gone"), newSecret());

        String eventId = onlyEventId(openCase("u-gone"));
        await().atMost(Duration.ofSeconds(20)).until(() -> endpointRow(endpoint).get("enabled").equals(false));

        Map<String, Object> disabled = endpointRow(endpoint);
        assertThat(disabled.get("disabled_reason")).isEqualTo("GONE");
        assertThat(disabled.get("disabled_at")).isNotNull();
        Map<String, Object> row = delivery(eventId);
        assertThat(row.get("state")).isEqualTo("PENDING");
        assertThat(row.get("last_status")).isEqualTo(410);
        assertThat(row.get("last_error")).isEqualTo("HTTP_410");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(deliveries(endpoint, "gone")).isEqualTo(1));
        afterAFewRounds(() -> assertThat(received("/gone")).hasSize(1));

        // The operator finds the receiver back and enables the endpoint: the waiting delivery goes out.
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/gone")).willReturn(aResponse().withStatus(200)));
        jdbc.update("update event_endpoint set enabled = true, disabled_reason = null, disabled_at = null where id = ?",
                endpoint);
        awaitState(eventId, "DELIVERED");
        assertThat(received("/gone")).hasSize(2);
    }

    @Test
    void anEndpointFailingForDisableAfterIsDisabledAndOneFailingLessIsNot() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/failing")).willReturn(aResponse().withStatus(500)));
        UUID longFailing = createEndpoint(receiverUrl("/failing"), newSecret());
        UUID recentlyFailing = createEndpoint(receiverUrl("/failing"), newSecret());
        jdbc.update("update event_endpoint set failing_since = now() - interval '5 days 1 minute' where id = ?",
                longFailing);
        jdbc.update("update event_endpoint set failing_since = now() - interval '4 days' where id = ?",
                recentlyFailing);

        openCase("u-failing");
        await().atMost(Duration.ofSeconds(20)).until(() -> endpointRow(longFailing).get("enabled").equals(false));

        assertThat(endpointRow(longFailing).get("disabled_reason")).isEqualTo("FAILING");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(deliveries(longFailing, "disabled")).isEqualTo(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select state from event_delivery where endpoint_id = ?", String.class, recentlyFailing)
                .equals("DEAD"));
        assertThat(endpointRow(recentlyFailing).get("enabled")).isEqualTo(true);
        // The disabled endpoint's delivery waits, PENDING, for it to be enabled again.
        assertThat(jdbc.queryForObject("select state from event_delivery where endpoint_id = ?", String.class,
                longFailing)).isEqualTo("PENDING");
    }

    @Test
    void aSuccessEndsTheEndpointsRunOfFailures() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/back")).willReturn(aResponse().withStatus(200)));
        UUID endpoint = createEndpoint(receiverUrl("/back"), newSecret());
        jdbc.update("update event_endpoint set failing_since = now() - interval '1 day' where id = ?", endpoint);

        awaitState(onlyEventId(openCase("u-back")), "DELIVERED");

        assertThat(endpointRow(endpoint).get("failing_since")).isNull();
    }

    @Test
    void duringARotationsGraceBothSecretsSignAndAfterItOnlyTheNewOne() throws Exception {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/rotating")).willReturn(aResponse().withStatus(200)));
        String oldSecret = newSecret();
        String newSecret = newSecret();
        UUID endpoint = createEndpoint(receiverUrl("/rotating"), newSecret);
        jdbc.update("""
                update event_endpoint set previous_secret = ?, previous_secret_until = now() + interval '1 hour'
                where id = ?""", oldSecret, endpoint);

        UUID caseId = openCase("u-rotating");
        awaitState(onlyEventId(caseId), "DELIVERED");

        LoggedRequest duringGrace = received("/rotating").get(0);
        String[] signatures = duringGrace.getHeader("webhook-signature").split(" ");
        assertThat(signatures).hasSize(2).allMatch(signature -> signature.startsWith("v1,"));
        // A receiver that knows only one of the two secrets accepts the event.
        verify(newSecret, duringGrace);
        verify(oldSecret, duringGrace);
        assertThat(signatures[0]).isEqualTo(new Webhook(newSecret).sign(duringGrace.getHeader("webhook-id"),
                Long.parseLong(duringGrace.getHeader("webhook-timestamp")), duringGrace.getBodyAsString()));

        jdbc.update("update event_endpoint set previous_secret_until = now() - interval '1 second' where id = ?",
                endpoint);
        auditEvent(caseId, "IN_PROGRESS", "IN_REVIEW");
        await().atMost(Duration.ofSeconds(20)).until(() -> received("/rotating").size() == 2);

        LoggedRequest afterGrace = received("/rotating").get(1);
        assertThat(afterGrace.getHeader("webhook-signature")).doesNotContain(" ");
        verify(newSecret, afterGrace);
        assertThatThrownBy(() -> verify(oldSecret, afterGrace)).isInstanceOf(WebhookVerificationException.class);
    }
}
