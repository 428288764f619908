package com.kychub.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PollLoop} on its own: what it reserves, gives back and hands out, and its rate limit. */
class PollLoopTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<Object> polled = new CopyOnWriteArrayList<>();
    /** A case whose look waits for {@link #slowCaseAnswers}: a provider answering slowly. */
    private static final Map<String, Object> SLOW = Map.of("id", "slow");
    private final CountDownLatch slowCaseAnswers = new CountDownLatch(1);

    @AfterEach
    void stop() {
        slowCaseAnswers.countDown();
        camel.stop();
        pool.shutdownNow();
    }

    @Test
    void reservesTheFreeRoomUpToTheBatchAndGivesItBackWhenTheClaimFails() throws Exception {
        PollLoop loop = start(new PollLoop(camel, pool, "direct:poll-case", 4, 3, 1000, 100));
        Exchange claim = camel.createProducerTemplate().send("direct:claim", e -> e.setVariable("fail", true));

        assertThat(claim.getException()).hasMessage("claim failed");
        assertThat(claim.getVariable("pollBatch", Integer.class)).isEqualTo(3);
        assertThat(claim.getProperty(PollLoop.POLLED, Boolean.class)).as("the scheduler waits its delay").isFalse();
        assertThat(loop.freeRoom()).isEqualTo(8);
    }

    @Test
    void handsEachClaimedCaseOutAndGivesItsRoomBackOnceLookedAt() throws Exception {
        PollLoop loop = start(new PollLoop(camel, pool, "direct:poll-case", 4, 200, 1000, 100));
        Exchange claim = camel.createProducerTemplate().send("direct:claim",
                e -> e.setVariable("claimed", List.of(Map.of("id", 1), Map.of("id", 2))));

        assertThat(claim.getException()).isNull();
        // Four polling and four waiting for a thread.
        assertThat(claim.getVariable("pollBatch", Integer.class)).isEqualTo(8);
        assertThat(claim.getProperty(PollLoop.POLLED, Boolean.class)).as("the scheduler runs again at once").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> polled.size() == 2 && loop.freeRoom() == 8);
        assertThat(polled).containsExactlyInAnyOrder(Map.of("id", 1), Map.of("id", 2));
    }

    @Test
    void aCaseClaimedAgainWhileStillLookedAtIsNotHandedOutTwice() throws Exception {
        PollLoop loop = start(new PollLoop(camel, pool, "direct:poll-case", 4, 200, 1000, 100));
        claim(List.of(SLOW));
        await().atMost(Duration.ofSeconds(5)).until(() -> polled.size() == 1);

        // Its look outlasts poll-every: claimed again, with another case.
        claim(List.of(SLOW, Map.of("id", 2)));
        await().atMost(Duration.ofSeconds(5)).until(() -> polled.contains(Map.of("id", 2)));
        assertThat(polled).containsExactly(SLOW, Map.of("id", 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.freeRoom() == 7);

        // Once answered, the next claim hands it out again.
        slowCaseAnswers.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.freeRoom() == 8);
        claim(List.of(SLOW));
        await().atMost(Duration.ofSeconds(5)).until(() -> polled.size() == 3 && loop.freeRoom() == 8);
        assertThat(polled).containsExactly(SLOW, Map.of("id", 2), SLOW);
    }

    @Test
    void paceLetsNoMoreThanTheRateThrough() throws Exception {
        PollLoop.Pace pace = new PollLoop.Pace(200);
        long start = System.nanoTime();
        int taken = 0;
        while (System.nanoTime() - start < 500_000_000L) {
            taken += pace.take(7);
        }
        // Half a second at 200 a second, plus the bucket's tenth of a second it starts with.
        assertThat(taken).isBetween(90, 100 + 20 + 7);
    }

    private void claim(List<Map<String, Object>> cases) {
        assertThat(camel.createProducerTemplate().send("direct:claim", e -> e.setVariable("claimed", cases))
                .getException()).isNull();
    }

    private PollLoop start(PollLoop loop) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:claim")
                        .bean(loop, "reserve")
                        .process(e -> {
                            if (e.getVariable("fail") != null) {
                                throw new IllegalStateException("claim failed");
                            }
                            e.getMessage().setBody(e.getVariable("claimed"));
                        })
                        .bean(loop, "handOut");
                from("direct:poll-case").process(e -> {
                    polled.add(e.getMessage().getBody());
                    if (SLOW.equals(e.getMessage().getBody())) {
                        slowCaseAnswers.await();
                    }
                });
            }
        });
        camel.start();
        return loop;
    }
}
