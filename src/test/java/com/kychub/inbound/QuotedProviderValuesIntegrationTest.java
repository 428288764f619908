package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.kychub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A provider value the hub quotes in an error reaches {@code last_error} and the log cut to a bounded length, without
 * the line breaks that would let a provider write log lines of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuotedProviderValuesIntegrationTest extends HubIntegrationTest {

    private static final String FORGED = "2026-12-06T14:00:00.000Z ERROR 1 --- [main] forged line";
    private static final String TAIL = "Ada Lovelace 1815-12-10 ".repeat(40);

    @Test
    void anUnknownStatusIsQuotedBoundedAndOnOneLine(CapturedOutput log) {
        String status = "SUSPENDED\\r\\n" + FORGED + "\\n" + TAIL;
        HttpResponse<String> answer = postStriga("{\"userId\":\"u-forger\",\"status\":\"" + status + "\"}");
        assertThat(answer.statusCode()).isEqualTo(200);
        long id = readJson(answer.body()).get("id").asLong();

        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(
                jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id)));
        String lastError = jdbc.queryForObject("select last_error from inbound_message where id = ?", String.class,
                id);

        assertThat(lastError).startsWith("unknown Striga status 'SUSPENDED" + FORGED).endsWith("...'")
                .doesNotContain("\r", "\n").hasSizeLessThan(120);
        await().atMost(Duration.ofSeconds(5)).until(() -> log.getAll().contains("Inbox message " + id + " from"));
        assertThat(log.getAll()).contains("Inbox message " + id + " from striga cannot be mapped and is kept as "
                + "FAILED: " + lastError);
        assertThat(log.getAll().lines()).noneMatch(line -> line.startsWith(FORGED));
        assertThat(log.getAll()).doesNotContain(TAIL.substring(0, 100));
    }
}
