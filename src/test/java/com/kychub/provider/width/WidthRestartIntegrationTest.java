package com.kychub.provider.width;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.kychub.KycHubApplication;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A node is submitted once, never twice: not when the hub that submitted it stops and another starts on the same
 * database, nor when two hubs poll the same executions at once. Real application contexts on a database of this
 * test's own, against a WIDTH stub of its own; the two running at once share a Camel name, so they are one Quartz
 * cluster, as two instances of the hub would be.
 */
class WidthRestartIntegrationTest {

    private static final String API_KEY = "restart-api-key";
    private static final String EXEC = "exec-restart-1";

    private final WireMockServer width = new WireMockServer(
            WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    private final List<ConfigurableApplicationContext> hubs = new ArrayList<>();

    @AfterEach
    void stop() {
        for (ConfigurableApplicationContext hub : hubs) {
            hub.close();
        }
        width.stop();
    }

    @Test
    void aNodeIsSubmittedOnceAcrossARestartAndTwoInstances() {
        width.start();
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.applicant.register")).willReturn(okJson("{}")));
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.apply.submit"))
                .willReturn(okJson("{\"executionId\":\"" + EXEC + "\"}")));
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.kyc.particular.data")).willReturn(okJson("{}")));
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.kyc.liveness.data")).willReturn(okJson("{}")));
        stubWaiting("n-part", WidthMapping.PARTICULAR);

        ConfigurableApplicationContext first = start(null);
        emptyTheStore(first.getBean(JdbcTemplate.class));
        assertThat(send(first, "/api/v1/customers", "{\"customerId\":\"c-r1\"}")).isEqualTo(201);
        assertThat(send(first, "/api/v1/customers/c-r1/data/particulars",
                "{\"name\":\"Ada\",\"dateOfBirth\":\"1990-01-15\",\"nationality\":\"SG\"}")).isEqualTo(201);
        assertThat(send(first, "/api/v1/customers/c-r1/data/liveness",
                "{\"status\":\"PASS\",\"scores\":{},\"images\":{\"faceFull\":\"s3://x/selfie.jpg\"}}")).isEqualTo(201);
        assertThat(send(first, "/api/v1/customers/c-r1/onboardings", "{\"provider\":\"width\"}")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> submissions("workflow.kyc.particular.data") == 1);

        // The hub stops while WIDTH still reports the node waiting; the next one polls on and does not resubmit.
        first.close();
        hubs.remove(first);
        ConfigurableApplicationContext second = start(null);
        awaitPolls(6);
        assertThat(submissions("workflow.kyc.particular.data")).isEqualTo(1);

        // A second instance joins on the same database; WIDTH moves to liveness: both poll, one submission.
        start(((HikariDataSource) second.getBean(javax.sql.DataSource.class)).getJdbcUrl());
        stubWaiting("n-live", WidthMapping.LIVENESS);
        await().atMost(Duration.ofSeconds(30)).until(() -> submissions("workflow.kyc.liveness.data") == 1);
        awaitPolls(10);
        assertThat(submissions("workflow.kyc.liveness.data")).isEqualTo(1);
        assertThat(submissions("workflow.kyc.particular.data")).isEqualTo(1);
        assertThat(submissions("workflow.applicant.register")).isEqualTo(1);
        assertThat(submissions("workflow.apply.submit")).isEqualTo(1);
    }

    /** The hub's workers run meanwhile; PostgreSQL may pick the truncation as a deadlock's victim: try again. */
    private static void emptyTheStore(JdbcTemplate jdbc) {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute("truncate kyc_event, kyc_check, provider_action, inbound_message, provider_customer, "
                        + "customer_document, kyc_case, customer restart identity cascade");
                return;
            } catch (PessimisticLockingFailureException deadlock) {
                if (attempt == 5) {
                    throw deadlock;
                }
            }
        }
    }

    private void stubWaiting(String nodeId, String nodeType) {
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status"))
                .withRequestBody(matchingJsonPath("$.executionId", equalTo(EXEC)))
                .willReturn(okJson(WidthFlows.waiting(EXEC, nodeId, nodeType))));
    }

    private int submissions(String method) {
        return width.findAll(postRequestedFor(urlPathEqualTo("/api/" + method))).size();
    }

    private void awaitPolls(int more) {
        int before = submissions("workflow.execution.status");
        await().atMost(Duration.ofSeconds(30)).until(() -> submissions("workflow.execution.status") >= before + more);
    }

    private ConfigurableApplicationContext start(String jdbcUrl) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--camel.main.name=kyc-hub-width-restart",
                "--kyc.db.local-database="
                        + System.getProperty("kyc.test.database", "kyc_hub_test") + "_width_restart",
                "--kyc.db.embedded-port=54331",
                "--kyc.db.embedded-data-directory=target/embedded-postgres-width-restart",
                "--kyc.api.keys=" + API_KEY,
                "--kyc.inbox.poll-period=100ms",
                "--kyc.providers.width.base-url=" + width.baseUrl(),
                "--kyc.providers.width.api-key=restart-width-key",
                "--kyc.providers.width.api-secret=restart-width-secret",
                "--kyc.providers.width.poll-every=200ms",
                "--kyc.providers.width.poll-tick-millis=100",
                "--kyc.providers.width.requests-per-second=1000"));
        if (jdbcUrl != null) {
            // A second instance joins the first one's database (an embedded server belongs to the first).
            args.add("--kyc.db.url=" + jdbcUrl);
            args.add("--kyc.db.user=postgres");
        }
        ConfigurableApplicationContext hub = new SpringApplicationBuilder(KycHubApplication.class)
                .run(args.toArray(String[]::new));
        hubs.add(hub);
        return hub;
    }

    private static int send(ConfigurableApplicationContext hub, String path, String body) {
        int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
