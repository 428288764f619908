package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.kychub.support.HubIntegrationTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The inbox workers give way to a crowded door (kyc.inbox.workers-give-way, on by default): while webhooks keep
 * queueing at the door, the workers wait after each message (kyc.inbox.give.way counts the waits), yet they go on
 * processing, not held back until the burst ends; a door that is not busy is not waited for, even when webhooks
 * arrive a few at once.
 * How many more webhooks the door acknowledges is measured by bench/ingest.sh, not here.
 */
class WorkersGiveWayIntegrationTest extends HubIntegrationTest {

    private static final int SENDERS = 16;

    @Autowired
    private InboxWriter writer;

    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    private final AtomicBoolean flooding = new AtomicBoolean(true);

    @AfterEach
    void stopTheFlood() throws InterruptedException {
        flooding.set(false);
        senders.shutdown();
        senders.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void theWorkersWaitWhileTheDoorIsCrowdedButNeverStop() {
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.submit(() -> {
                for (int n = 0; flooding.get(); n++) {
                    postStriga("{\"userId\":\"u-flood-" + sender + "-" + n + "\",\"status\":\"ON_HOLD\"}");
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(writer::crowded);
        long waitsBefore = waitsForTheDoor();
        double processedBefore = processed();

        // While the flood goes on, the worker waits for the door and still processes: slower, never stopped. (How
        // far behind the flood a message is depends on the machine's speed: not asserted here.)
        await().atMost(Duration.ofSeconds(15)).until(() -> flooding.get()
                && processed() >= processedBefore + 20 && waitsForTheDoor() > waitsBefore);

        flooding.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !writer.crowded());
        awaitTheFloodProcessed();
    }

    @Test
    void aDoorTakingAFewWebhooksAtOnceNowAndThenIsNotWaitedFor() throws Exception {
        // A quiet hub: a backlog being processed makes the door's commits slow, and a slow door is one to give way to.
        awaitTheFloodProcessed();
        await().atMost(Duration.ofSeconds(5)).until(() -> !writer.crowded());
        long waitsBefore = waitsForTheDoor();
        DistributionSummary batches = meters.get("kyc.inbox.commit.batch").summary();
        double storedBefore = batches.totalAmount();
        long commitsBefore = batches.count();

        // Groups of a few webhooks sent together, a fraction of a second apart: commits of several, an idle door.
        for (int group = 0; group < 5; group++) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int n = 0; n < 8; n++) {
                String userId = "u-group-" + group + "-" + n;
                answers.add(senders.submit(() ->
                        postStriga("{\"userId\":\"" + userId + "\",\"status\":\"APPROVED\"}").statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
            Thread.sleep(300);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "APPROVED".equals(statusOf("u-group-4-7")));

        assertThat(batches.totalAmount() - storedBefore).as("webhooks stored in commits of several")
                .isGreaterThan(batches.count() - commitsBefore);
        assertThat(waitsForTheDoor() - waitsBefore).as("the striga worker's waits for the door").isZero();
    }

    private void awaitTheFloodProcessed() {
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("""
                select count(*) from inbound_message
                where provider = 'striga' and state = 'ACCEPTED' and body like '%"u-flood-%'""", Integer.class) == 0);
    }

    private String statusOf(String userId) {
        return jdbc.query("select status from kyc_case where provider = 'striga' and provider_ref = ?",
                rows -> rows.next() ? rows.getString(1) : null, userId);
    }

    private double processed() {
        Counter processed = meters.find("kyc.inbox.messages")
                .tags("provider", "striga", "outcome", "processed").counter();
        return processed == null ? 0 : processed.count();
    }

    private long waitsForTheDoor() {
        Timer waits = meters.find("kyc.inbox.give.way").tag("provider", "striga").timer();
        return waits == null ? 0 : waits.count();
    }
}
