package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.kychub.KycHubApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
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
        try (ConfigurableApplicationContext first = start(false)) {
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            jdbc.execute("truncate kyc_event, kyc_check, inbound_message, kyc_case, customer restart identity cascade");

            HttpResponse<String> answer = postSigned(first, body);
            assertThat(answer.statusCode()).isEqualTo(200);
            id = jdbc.queryForObject("select id from inbound_message", Long.class);
            assertThat(jdbc.queryForObject("select state from inbound_message", String.class)).isEqualTo("ACCEPTED");
            assertThat(jdbc.queryForObject("select count(*) from kyc_case", Integer.class)).isZero();
        }

        try (ConfigurableApplicationContext second = start(true)) {
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> "PROCESSED".equals(
                    jdbc.queryForObject("select state from inbound_message where id = ?", String.class, id)));
            assertThat(jdbc.queryForObject("select status from kyc_case where provider = 'striga' and provider_ref = ?",
                    String.class, "u-restart")).isEqualTo("APPROVED");
            assertThat(jdbc.queryForObject("select count(*) from kyc_event where inbound_message_id = ?",
                    Integer.class, id)).isEqualTo(1);
        }
    }

    private static ConfigurableApplicationContext start(boolean processing) {
        return new SpringApplicationBuilder(KycHubApplication.class).run(
                "--server.port=0",
                "--kyc.db.local-database=" + System.getProperty("kyc.test.database", "kyc_hub_test") + "_restart",
                "--kyc.db.embedded-port=54330",
                "--kyc.db.embedded-data-directory=target/embedded-postgres-restart",
                "--kyc.providers.striga.api-key=" + STRIGA_KEY,
                "--kyc.inbox.poll-period=100ms",
                "--kyc.inbox.processing-enabled=" + processing);
    }

    private static HttpResponse<String> postSigned(ConfigurableApplicationContext hub, String body) throws Exception {
        int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(STRIGA_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/striga/kyc"))
                .header("Content-Type", "application/json")
                .header("signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
