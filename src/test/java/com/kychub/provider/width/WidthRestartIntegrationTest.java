package com.kychub.provider.width;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.kychub.support.ExtraHub;
import com.kychub.support.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
    private final List<ExtraHub> hubs = new ArrayList<>();

    @AfterEach
    void stop() {
        for (ExtraHub hub : hubs) {
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

        ExtraHub first = start(hub());
        Store.reset(first.jdbc());
        assertThat(first.apiPost("/api/v1/customers", "{\"customerId\":\"c-r1\"}").statusCode()).isEqualTo(201);
        assertThat(first.apiPost("/api/v1/customers/c-r1/data/particulars",
                "{\"name\":\"Ada\",\"dateOfBirth\":\"1990-01-15\",\"nationality\":\"SG\"}").statusCode())
                .isEqualTo(201);
        assertThat(first.apiPost("/api/v1/customers/c-r1/data/liveness",
                "{\"status\":\"PASS\",\"scores\":{},\"images\":{\"faceFull\":\"s3://x/selfie.jpg\"}}")
                .statusCode()).isEqualTo(201);
        assertThat(first.apiPost("/api/v1/customers/c-r1/onboardings", "{\"provider\":\"width\"}").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> submissions("workflow.kyc.particular.data") == 1);

        // The hub stops while WIDTH still reports the node waiting; the next one polls on and does not resubmit.
        first.close();
        hubs.remove(first);
        ExtraHub second = start(hub());
        awaitPolls(6);
        assertThat(submissions("workflow.kyc.particular.data")).isEqualTo(1);

        // A second instance joins on the same database; WIDTH moves to liveness: both poll, one submission.
        // (It joins the first one's database: an embedded server belongs to the first.)
        start(hub().jdbcUrl(second.jdbcUrl()));
        stubWaiting("n-live", WidthMapping.LIVENESS);
        await().atMost(Duration.ofSeconds(30)).until(() -> submissions("workflow.kyc.liveness.data") == 1);
        awaitPolls(10);
        assertThat(submissions("workflow.kyc.liveness.data")).isEqualTo(1);
        assertThat(submissions("workflow.kyc.particular.data")).isEqualTo(1);
        assertThat(submissions("workflow.applicant.register")).isEqualTo(1);
        assertThat(submissions("workflow.apply.submit")).isEqualTo(1);
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

    /** A hub of this test: the ones running at once share a Camel name, so they are one Quartz cluster. */
    private ExtraHub.Builder hub() {
        return ExtraHub.builder()
                .name("kyc-hub-width-restart")
                .database("width_restart", 54331)
                .apiKey(API_KEY)
                .property("kyc.inbox.poll-period", "100ms")
                .property("kyc.providers.width.base-url", width.baseUrl())
                .property("kyc.providers.width.api-key", "restart-width-key")
                .property("kyc.providers.width.api-secret", "restart-width-secret")
                .property("kyc.providers.width.poll-every", "200ms")
                .property("kyc.providers.width.poll-tick-millis", 100)
                .property("kyc.providers.width.requests-per-second", 1000);
    }

    private ExtraHub start(ExtraHub.Builder hub) {
        ExtraHub started = hub.start();
        hubs.add(started);
        return started;
    }
}
