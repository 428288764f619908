package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The inbox workers give way to a crowded door (kyc.inbox.workers-give-way, on by default): while webhooks keep
 * queueing at the door, a webhook is still processed, not held back until the burst ends; once it ends, the door is
 * no longer crowded. How much faster the door acknowledges is measured by bench/ingest.sh, not here.
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
    void aWebhookIsProcessedWhileTheDoorIsCrowded() {
        AtomicInteger sent = new AtomicInteger();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.submit(() -> {
                for (int n = 0; flooding.get(); n++) {
                    postStriga("{\"userId\":\"u-flood-" + sender + "-" + n + "\",\"status\":\"ON_HOLD\"}");
                    sent.incrementAndGet();
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(writer::crowded);

        assertThat(postStriga("{\"userId\":\"u-amid-the-flood\",\"status\":\"APPROVED\"}").statusCode())
                .isEqualTo(200);
        // Behind about a second of the flood, at half speed at worst: seconds, while the flood goes on.
        await().atMost(Duration.ofSeconds(15)).until(() -> "APPROVED".equals(jdbc.query(
                "select status from kyc_case where provider = 'striga' and provider_ref = 'u-amid-the-flood'",
                rows -> rows.next() ? rows.getString(1) : null)));
        int sentWhileProcessed = sent.get();

        flooding.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !writer.crowded());
        assertThat(sentWhileProcessed).as("webhooks sent during the test").isGreaterThan(SENDERS);
    }
}
