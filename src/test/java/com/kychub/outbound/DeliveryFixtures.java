package com.kychub.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.kychub.support.HubIntegrationTest;
import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the delivery tests share: a receiver on loopback (WireMock), endpoints and events made in the store the way the
 * hub makes them (an endpoint row; audit events, which the outbox trigger turns into outbound events and deliveries),
 * and the checks a fintech would make on what it received.
 */
abstract class DeliveryFixtures extends HubIntegrationTest {

    protected static final WireMockServer RECEIVER = new WireMockServer(
            WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort().containerThreads(48));

    static {
        RECEIVER.start();
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeEach
    void emptyTheReceiver() {
        RECEIVER.resetAll();
    }

    /** A fresh Standard Webhooks secret, {@code whsec_<base64 of 24 random bytes>}. */
    protected static String newSecret() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * A webhook endpoint for every event type and provider, as the endpoints API would store it (written with SQL
     * here: the delivery tests do not depend on that API).
     */
    protected UUID createEndpoint(String url, String secret) {
        return jdbc.queryForObject("insert into event_endpoint (kind, url, secret) values ('WEBHOOK', ?, ?) returning id",
                UUID.class, url, secret);
    }

    protected String receiverUrl(String path) {
        return RECEIVER.baseUrl() + path;
    }

    /** A case at a provider, opened: its first audit event (CASE_OPENED) becomes its first outbound event. */
    protected UUID openCase(String providerRef) {
        String customer = "cust-" + providerRef;
        jdbc.update("insert into customer (customer_id) values (?) on conflict do nothing", customer);
        UUID caseId = jdbc.queryForObject("""
                insert into kyc_case (customer_id, provider, provider_ref, status, next_action)
                values (?, 'striga', ?, 'IN_PROGRESS', 'COMPLETE_VERIFICATION') returning id""", UUID.class,
                customer, providerRef);
        jdbc.update("""
                insert into kyc_event (case_id, type, to_status, to_next_action)
                values (?, 'CASE_OPENED', 'IN_PROGRESS', 'COMPLETE_VERIFICATION')""", caseId);
        return caseId;
    }

    /** An audit event of the case, in its own transaction: one more outbound event, next in the case's sequence. */
    protected void auditEvent(UUID caseId, String fromStatus, String toStatus) {
        jdbc.update("""
                insert into kyc_event (case_id, type, from_status, to_status, from_next_action, to_next_action)
                values (?, 'STATUS_CHANGED', ?, ?, 'WAIT', 'WAIT')""", caseId, fromStatus, toStatus);
    }

    /** Runs the writes in one transaction: the dispatcher sees none of them before all of them. */
    protected void inOneTransaction(Runnable writes) {
        transactions.executeWithoutResult(status -> writes.run());
    }

    protected Map<String, Object> delivery(String eventId) {
        return jdbc.queryForMap("""
                select d.* from event_delivery d join outbound_event o on o.id = d.event_id
                where o.event_id = ?""", eventId);
    }

    protected String onlyEventId(UUID caseId) {
        return jdbc.queryForObject("select event_id from outbound_event where case_id = ?", String.class, caseId);
    }

    protected String deliveryState(String eventId) {
        return (String) delivery(eventId).get("state");
    }

    protected void awaitState(String eventId, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> state.equals(deliveryState(eventId)));
    }

    protected List<LoggedRequest> received(String path) {
        return RECEIVER.findAll(postRequestedFor(urlEqualTo(path)));
    }

    /** Verifies the request as a fintech would, with the Standard Webhooks library's own verifier; throws if not. */
    protected static void verify(String secret, LoggedRequest request) throws Exception {
        new Webhook(secret).verify(request.getBodyAsString(), Map.of(
                "webhook-id", List.of(request.getHeader("webhook-id")),
                "webhook-timestamp", List.of(request.getHeader("webhook-timestamp")),
                "webhook-signature", List.of(request.getHeader("webhook-signature"))));
    }

    protected double deliveries(UUID endpoint, String outcome) {
        Counter counter = meters.find("kyc.events.deliveries").tags("endpoint", endpoint.toString(), "outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    protected Map<String, Object> endpointRow(UUID endpoint) {
        return jdbc.queryForMap("select * from event_endpoint where id = ?", endpoint);
    }

    /** Lets the dispatcher run a few rounds (every 50 ms in tests, retries 300 ms apart), to see what it does not do. */
    protected static void afterAFewRounds(Runnable check) {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        check.run();
    }
}
