package com.kychub.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/**
 * Order per case and independence between cases and endpoints: a case's events reach the receiver in sequence order,
 * none before the one before it was taken, however many writers change the case at once and whatever the receiver
 * refuses at first; another case's events, and a fast endpoint, are not held back meanwhile.
 */
class DeliveryOrderIntegrationTest extends DeliveryFixtures {

    /** One request a receiver got, in the order it got them, and what it answered. */
    record Attempt(String caseId, long sequence, String webhookId, int status) {
    }

    @Test
    void aCasesEventsArriveInSequenceOrderWhileAnotherCaseGoesOn() throws Exception {
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(16);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/ordered", exchange -> answer(exchange, attempts, refusedOnce));
        receiver.start();
        try {
            createEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/ordered", newSecret());
            UUID busy = openCase("u-busy");
            UUID other = openCase("u-other");

            // Forty changes of one case by eight writers at once, and a few of another case meanwhile.
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 40; i++) {
                writers.submit(() -> auditEvent(busy, "IN_PROGRESS", "IN_REVIEW"));
            }
            for (int i = 0; i < 3; i++) {
                auditEvent(other, "IN_PROGRESS", "IN_REVIEW");
            }
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "select count(*) from event_delivery where state = 'DELIVERED'", Integer.class) == 45);

            List<Attempt> seen = List.copyOf(attempts);
            assertInSequence(seen, busy, 41);
            assertInSequence(seen, other, 4);
            // Every third event was refused once (a 300 ms wait each): the other case was done long before the busy one.
            assertThat(lastAccepted(seen, other)).isLessThan(lastAccepted(seen, busy));
            assertThat(seen).filteredOn(attempt -> attempt.status() == 503).hasSizeGreaterThanOrEqualTo(14);
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
    }

    @Test
    void aSlowEndpointDelaysOnlyItself() {
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(2000)));
        RECEIVER.stubFor(WireMock.post(urlEqualTo("/fast")).willReturn(aResponse().withStatus(200)));
        UUID slow = createEndpoint(receiverUrl("/slow"), newSecret());
        UUID fast = createEndpoint(receiverUrl("/fast"), newSecret());

        for (int i = 0; i < 24; i++) {
            openCase("u-speed-" + i);
        }

        // The slow endpoint takes 2 s an event, 8 at a time (kyc.events.endpoint-threads): 6 s for all 24.
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(fast) == 24);
        assertThat(delivered(slow)).isLessThan(24);
        assertThat(received("/fast")).hasSize(24);
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered(slow) == 24);
    }

    private int delivered(UUID endpoint) {
        return jdbc.queryForObject("select count(*) from event_delivery where endpoint_id = ? and state = 'DELIVERED'",
                Integer.class, endpoint);
    }

    /** Answers 503 to the first attempt of every third event of a case, 200 otherwise, and notes each request. */
    private static void answer(HttpExchange exchange, List<Attempt> attempts, Set<String> refusedOnce)
            throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            JsonNode event = readJson(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
            long sequence = event.at("/data/sequence").asLong();
            int status = sequence % 3 == 0 && refusedOnce.add(webhookId) ? 503 : 200;
            attempts.add(new Attempt(event.at("/data/caseId").asText(), sequence, webhookId, status));
            exchange.sendResponseHeaders(status, -1);
        } finally {
            exchange.close();
        }
    }

    /**
     * Each request about the case was for the event right after the last one the receiver took (a first attempt or
     * a retry of it), never one further on; all of them were taken in the end.
     */
    private static void assertInSequence(List<Attempt> seen, UUID caseId, long events) {
        long taken = 0;
        for (Attempt attempt : seen) {
            if (!attempt.caseId().equals(caseId.toString())) {
                continue;
            }
            assertThat(attempt.sequence()).as("event of case %s sent after %d was taken", caseId, taken)
                    .isEqualTo(taken + 1);
            if (attempt.status() == 200) {
                taken = attempt.sequence();
            }
        }
        assertThat(taken).isEqualTo(events);
    }

    private static int lastAccepted(List<Attempt> seen, UUID caseId) {
        for (int i = seen.size() - 1; i >= 0; i--) {
            if (seen.get(i).caseId().equals(caseId.toString()) && seen.get(i).status() == 200) {
                return i;
            }
        }
        return -1;
    }
}
