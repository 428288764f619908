package com.kychub.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.kychub.support.ExtraHub;
import com.kychub.support.HubIntegrationTest;
import com.kychub.support.Store;
import com.kychub.support.TcpProxy;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The store goes away under a running hub and comes back: while it is gone every webhook, and every API call, is
 * answered 503 with Retry-After within seconds (the provider delivers again), nothing is answered 2xx that was not
 * stored, and once it is back the hub stores and processes again by itself. A hub of its own reaches PostgreSQL
 * through a TCP proxy the test cuts, on a database of this test's own, so the server the other tests use stays up.
 */
class StoreOutageIntegrationTest extends HubIntegrationTest {

    private static final String STRIGA_KEY = "outage-striga-key";
    private static final String OUTAGE_API_KEY = "outage-api-key";

    @Autowired
    private DataSource sharedDataSource;

    @Test
    void whileTheStoreIsDownWebhooksAndApiCallsAre503AndTheHubRecoversByItself() throws Exception {
        String database = System.getProperty("kyc.test.database", "kyc_hub_test") + "_store_outage";
        URI server = URI.create(ExtraHub.urlOf(sharedDataSource).substring("jdbc:".length()));
        if (jdbc.queryForList("select 1 from pg_database where datname = ?", Integer.class, database).isEmpty()) {
            jdbc.execute("create database " + database);
        }
        JdbcTemplate direct = new JdbcTemplate(new HikariDataSource(hikari(server.getPort(), database)));

        try (TcpProxy proxy = new TcpProxy(server.getPort());
             ExtraHub hub = start(proxy.port(), database)) {
            Store.reset(direct);
            String before = "{\"userId\":\"u-outage-before\",\"status\":\"APPROVED\"}";
            assertThat(post(hub, before).statusCode()).isEqualTo(200);

            proxy.cut();
            String during = "{\"userId\":\"u-outage-during\",\"status\":\"APPROVED\"}";
            for (int delivery = 1; delivery <= 3; delivery++) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = post(hub, during);
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                assertThat(readJson(answer.body()).get("status").asInt()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(8));
            }
            assertThat(direct.queryForObject("select count(*) from inbound_message where body = ?", Integer.class,
                    during)).as("a message answered 503 was not stored").isZero();
            long asked = System.nanoTime();
            HttpResponse<String> cases = hub.api("/api/v1/cases?provider=striga");
            assertThat(cases.statusCode()).as(cases.body()).isEqualTo(503);
            assertThat(cases.headers().firstValue("Retry-After")).isPresent();
            assertThat(readJson(cases.body()).get("status").asInt()).isEqualTo(503);
            assertThat(readJson(cases.body()).get("detail").asText()).contains("store is unavailable");
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(8));

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> post(hub, during).statusCode() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> direct.queryForList(
                    "select status from kyc_case where provider_ref in ('u-outage-before', 'u-outage-during')",
                    String.class).equals(List.of("APPROVED", "APPROVED")));
            assertThat(direct.queryForObject("select count(*) from inbound_message where state <> 'PROCESSED'",
                    Integer.class)).isZero();
        } finally {
            ((HikariDataSource) direct.getDataSource()).close();
        }
    }

    private static HikariConfig hikari(int port, String database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + database);
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        return config;
    }

    private static ExtraHub start(int proxyPort, String database) {
        return ExtraHub.builder()
                .name("kyc-hub-store-outage")
                .jdbcUrl("jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + database)
                .property("kyc.db.connection-timeout", "2s")
                .property("kyc.providers.striga.api-key", STRIGA_KEY)
                .apiKey(OUTAGE_API_KEY)
                .property("kyc.inbox.poll-period", "100ms")
                .property("kyc.inbox.initial-backoff", "100ms")
                .property("kyc.inbox.max-backoff", "500ms")
                .start();
    }

    private static HttpResponse<String> post(ExtraHub hub, String body) {
        return hub.post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json",
                "signature", hmacHex(STRIGA_KEY, body.getBytes(StandardCharsets.UTF_8))));
    }
}
