package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.kychub.support.ExtraHub;
import com.kychub.support.HubIntegrationTest;
import com.kychub.support.Store;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A message acknowledged by one hub that stopped before processing it is processed by the next hub that starts on
 * the same database. Two real application contexts, one after the other, on a database of this test's own.
 */
class InboxRestartIntegrationTest {

    private static final String STRIGA_KEY = "restart-striga-key";

    @Test
    void anAcceptedButUnprocessedMessageIsProcessedAfterARestart() throws Exception {
        String body = "{\"userId\":\"u-restart\",\"status\":\"APPROVED\"}";
        long id;
        try (ExtraHub first = start(false)) {
            JdbcTemplate jdbc = first.jdbc();
            Store.reset(jdbc);

            HttpResponse<String> answer = postSigned(first, body);
            assertThat(answer.statusCode()).isEqualTo(200);
            id = jdbc.queryForObject("select id from inbound_message", Long.class);
            assertThat(jdbc.queryForObject("select state from inbound_message", String.class)).isEqualTo("ACCEPTED");
            assertThat(jdbc.queryForObject("select count(*) from kyc_case", Integer.class)).isZero();
        }

        try (ExtraHub second = start(true)) {
            JdbcTemplate jdbc = second.jdbc();
            await().atMost(Duration.ofSeconds(30)).until(() -> "PROCESSED".equals(
                    jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id)));
            assertThat(jdbc.queryForObject("select status from kyc_case where provider = 'striga' and provider_ref = ?",
                    String.class, "u-restart")).isEqualTo("APPROVED");
            assertThat(jdbc.queryForObject("select count(*) from kyc_event where inbound_message_id = ?",
                    Integer.class, id)).isEqualTo(1);
        }
    }

    private static ExtraHub start(boolean processing) {
        return ExtraHub.builder()
                .database("restart", 54330)
                .property("kyc.providers.striga.api-key", STRIGA_KEY)
                .property("kyc.inbox.poll-period", "100ms")
                .processing(processing)
                .start();
    }

    private static HttpResponse<String> postSigned(ExtraHub hub, String body) throws Exception {
        return hub.post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json",
                "signature", HubIntegrationTest.hmacHex(STRIGA_KEY, body.getBytes(StandardCharsets.UTF_8))));
    }
}
