package com.kychub.scheduling;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.kychub.support.ExtraHub;
import com.kychub.support.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * WIDTH's continuous poller when little is due: it waits for the earliest next look rather than spinning (few runs a
 * second with nothing due), and rather than for its longest idle wait (poll-tick-millis, set here far above
 * poll-every): each execution is still polled once a poll-every. A hub of this test's own, one WIDTH stub.
 */
class PollLoopIntegrationTest {

    private static final long POLL_EVERY_MILLIS = 700;
    private static final long IDLE_MILLIS = 3000;
    private static final int EXECUTIONS = 2;

    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final WireMockServer width = new WireMockServer(
            WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    private ExtraHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        width.stop();
    }

    @Test
    void waitsForTheEarliestDueExecutionWithoutSpinning() {
        width.start();
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.applicant.register")).willReturn(okJson("{}")));
        width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status"))
                .willReturn(okJson("{\"status\":\"RUNNING\"}")));
        for (int i = 1; i <= EXECUTIONS; i++) {
            width.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.apply.submit"))
                    .withRequestBody(matchingJsonPath("$.data.customerId", equalTo(customer(i))))
                    .willReturn(okJson("{\"executionId\":\"" + execution(i) + "\",\"status\":\"CREATED\"}")));
        }
        hub = ExtraHub.builder()
                .database("pollloop", 54340)
                .apiKey("pollloop-api-key")
                .property("kyc.inbox.poll-period", "100ms")
                .property("kyc.providers.width.base-url", width.baseUrl())
                .property("kyc.providers.width.api-key", "pollloop-width-key")
                .property("kyc.providers.width.api-secret", "pollloop-width-secret")
                .property("kyc.providers.width.poll-every", POLL_EVERY_MILLIS + "ms")
                .property("kyc.providers.width.poll-tick-millis", IDLE_MILLIS)
                .property("kyc.providers.width.requests-per-second", 1000)
                .start();
        Store.reset(hub.jdbc());

        // Nothing to poll: the loop waits its idle wait between claims.
        long before = loopRuns();
        await().pollDelay(Duration.ofMillis(2 * IDLE_MILLIS)).until(() -> true);
        assertThat(loopRuns() - before).as("poller runs in %d ms with nothing due", 2 * IDLE_MILLIS)
                .isLessThanOrEqualTo(4);

        for (int i = 1; i <= EXECUTIONS; i++) {
            String customer = customer(i);
            assertThat(hub.apiPost("/api/v1/customers", "{\"customerId\":\"" + customer + "\"}").statusCode())
                    .isEqualTo(201);
            assertThat(hub.apiPost("/api/v1/customers/" + customer + "/onboardings", "{\"provider\":\"width\"}")
                    .statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> polls(execution(1)).size() >= 2
                && polls(execution(EXECUTIONS)).size() >= 2);

        // Executions due every poll-every, far less than the idle wait: each polled on its cadence, woken for.
        Instant since = Instant.now();
        long runsBefore = loopRuns();
        await().pollDelay(Duration.ofMillis(10 * POLL_EVERY_MILLIS)).until(() -> true);
        long runs = loopRuns() - runsBefore;
        for (int i = 1; i <= EXECUTIONS; i++) {
            List<Instant> polls = polls(execution(i)).stream().filter(at -> at.isAfter(since)).toList();
            assertThat(polls).as("polls of " + execution(i) + " in 10 poll periods").hasSizeBetween(7, 11);
            List<Long> gaps = new ArrayList<>();
            for (int p = 1; p < polls.size(); p++) {
                gaps.add(Duration.between(polls.get(p - 1), polls.get(p)).toMillis());
            }
            assertThat(gaps).as("time between two polls of " + execution(i))
                    .allSatisfy(gap -> assertThat(gap).isBetween(POLL_EVERY_MILLIS * 3 / 4, IDLE_MILLIS - 1));
        }
        // A claim for each due execution and a wait for the next: a handful of runs per poll-every, not a spin.
        assertThat(runs).as("poller runs in 10 poll periods").isLessThanOrEqualTo(10 * (2 * EXECUTIONS + 2));
    }

    /** Runs of the poller's route (each: one claim, then a hand-out or a wait). */
    private long loopRuns() {
        Timer timer = hub.bean(MeterRegistry.class).find("camel.route.policy")
                .tag("routeId", "width-poll-executions").timer();
        return timer == null ? 0 : timer.count();
    }

    private List<Instant> polls(String executionId) {
        return width.findAll(postRequestedFor(urlPathEqualTo("/api/workflow.execution.status"))
                        .withRequestBody(matchingJsonPath("$.executionId", equalTo(executionId)))).stream()
                .map(r -> r.getLoggedDate().toInstant()).sorted().toList();
    }

    private String customer(int i) {
        return "c-pollloop-" + run + "-" + i;
    }

    private String execution(int i) {
        return "exec-pollloop-" + run + "-" + i;
    }
}
