package com.kychub.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WIDTH (polled) goes down three ways while eight executions are being polled: it answers 500, it hangs (answers after
 * 4 s, past the 2 s response timeout), or it answers but slowly (1.3 s, past the 1 s slow-call threshold). Each
 * time the circuit opens, no call reaches WIDTH while it is open, work arriving meanwhile waits, Striga and Connect
 * Financial (webhooks, pulls and poller) go on, and once WIDTH recovers the circuit closes and the work completes.
 */
class WidthOutageIntegrationTest extends OutageFlows {

    private static final Logger log = LoggerFactory.getLogger(WidthOutageIntegrationTest.class);
    private static final String WIDTH_CALLS = "/api/.*";
    /** As many as the poller has threads: one round calls WIDTH for all of them at once. */
    private static final int EXECUTIONS = WIDTH_POLL_THREADS;

    enum Fault { ANSWERS_500, HANGS, SLOW }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void theCircuitOpensTheOthersGoOnAndItClosesOnceWidthRecovers(Fault fault) {
        Instant start = Instant.now();
        String tag = fault.name().toLowerCase().replace('_', '-');
        List<String> executions = IntStream.rangeClosed(1, EXECUTIONS).mapToObj(i -> "exec-" + tag + "-" + i).toList();
        for (int i = 0; i < EXECUTIONS; i++) {
            startWidth("w-" + tag + "-" + (i + 1), executions.get(i));
        }
        executions.forEach(this::awaitWidthRunning);
        connectfiCaseInReview("cf-" + tag, "onb-" + tag);
        awaitCase("connectfi", "onb-" + tag, "IN_REVIEW", "WAIT");
        Map<String, Double> before = transitionCounts("width");
        assertThat(circuitHealth("width").path("state").asText()).isEqualTo("CLOSED");
        Duration setup = Duration.between(start, Instant.now());

        // WIDTH goes down; meanwhile its first execution completes, which the hub learns once WIDTH is back.
        Instant faultAt = Instant.now();
        List<StubMapping> faults = inject(fault, executions);
        stubWidthStatus(executions.get(0), "{\"executionId\":\"" + executions.get(0)
                + "\",\"status\":\"COMPLETED\",\"result\":\"APPROVED\"}");

        // The circuit opens, and while it is open no call reaches WIDTH; the poller keeps ticking all the same.
        Instant openedAt = awaitOpened("width", before, Duration.ofSeconds(15));
        Duration openedAfter = Duration.between(faultAt, openedAt);
        if (fault == Fault.SLOW) {
            // Every call answered: the circuit opened on slowness alone.
            JsonNode circuit = circuitHealth("width");
            assertThat(circuit.path("failedCalls").asInt()).as(circuit.toString()).isZero();
            assertThat(circuit.path("slowCalls").asInt()).as(circuit.toString()).isGreaterThanOrEqualTo(3);
        }
        int reached = assertNoCallsWhileOpen(openedAt, WIDTH_CALLS);
        // The poller's round ends at the latest when the calls let through before the circuit opened time out; its
        // next rounds claim the due executions at every tick and fail fast.
        Timestamp claimed = latestWidthClaim();
        await().atMost(RESPONSE_TIMEOUT.plusSeconds(1)).until(() -> latestWidthClaim().after(claimed));
        if (fault == Fault.HANGS) {
            assertThat(mostCallsInFlight(faults.get(0)))
                    .as("WIDTH calls hanging at once: the poll threads, the inbox and the action worker at most")
                    .isLessThanOrEqualTo(WIDTH_POLL_THREADS + 2);
        }

        // The other providers go on: Striga's webhooks, Connect Financial's poller and its webhook-triggered pulls;
        // the hub stays ready.
        Duration strigaAnswer = strigaGoesOn("s-" + tag);
        Duration connectfiFirstPull = connectfiPollerGoesOn("cf-" + tag, "onb-" + tag);
        Duration connectfiSecondPull = connectfiPollerGoesOn("cf-" + tag, "onb-" + tag);
        stubConnectfiStatus("cf-" + tag, connectfiStatus(null, true));
        sendConnectfi("CUSTOMER_KYC_FINISHED", "cf-" + tag, "onb-" + tag);
        awaitCase("connectfi", "onb-" + tag, "APPROVED", "NONE");
        assertTheHubStaysReady();

        // An onboarding started now waits for WIDTH without spending its attempts.
        startWidth("w-" + tag + "-late", "exec-" + tag + "-late");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                select count(*) from provider_action where customer_id = ? and state = 'PENDING' and attempts = 0
                and last_error like '%does not permit further calls%'""", Integer.class, "w-" + tag + "-late") == 1);

        // WIDTH recovers: the circuit lets a few calls through (HALF_OPEN), they pass, and it closes.
        faults.forEach(PROVIDERS::removeStub);
        Instant recoveredAt = Instant.now();
        awaitCircuit("width", "CLOSED", Duration.ofSeconds(15));
        Duration closedAfter = Duration.between(recoveredAt, Instant.now());
        assertThat(since(before, "width", "OPEN_TO_HALF_OPEN")).isGreaterThanOrEqualTo(1);
        assertThat(since(before, "width", "HALF_OPEN_TO_CLOSED")).isEqualTo(1);

        awaitCase("width", executions.get(0), "APPROVED", "NONE");
        awaitWidthRunning("exec-" + tag + "-late");
        assertThat(jdbc.queryForList("select attempts from provider_action where customer_id = ?", Integer.class,
                "w-" + tag + "-late")).as("done at their first attempt: the outage cost none").containsOnly(1);
        assertThat(jdbc.queryForObject("select count(*) from provider_action where state in ('DEAD', 'FAILED')",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state in ('DEAD', 'FAILED')",
                Integer.class)).isZero();

        log.info("WIDTH {}: setup {} ms; OPEN seen from {} ms after the fault ({} calls reached WIDTH before, {} at "
                        + "once at most; {} by the end of the checked open span); Striga answered in {} ms, Connect "
                        + "Financial's poller pulled in {} / {} ms; CLOSED {} ms after WIDTH recovered; whole test {} ms; "
                        + "transitions {}", fault, setup.toMillis(), openedAfter.toMillis(),
                callsBefore(openedAt, WIDTH_CALLS) - callsBefore(faultAt, WIDTH_CALLS),
                fault == Fault.HANGS ? mostCallsInFlight(faults.get(0)) : "-",
                reached - callsBefore(faultAt, WIDTH_CALLS), strigaAnswer.toMillis(), connectfiFirstPull.toMillis(),
                connectfiSecondPull.toMillis(), closedAfter.toMillis(), Duration.between(start, Instant.now()).toMillis(),
                delta(before));
    }

    /** The fault, on every WIDTH method, or (slow) on the status polls of the executions, which still answer. */
    private List<StubMapping> inject(Fault fault, List<String> executions) {
        if (fault == Fault.SLOW) {
            List<StubMapping> slow = new ArrayList<>();
            for (String execution : executions) {
                slow.add(PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status"))
                        .atPriority(1)
                        .withRequestBody(matchingJsonPath("$.executionId", equalTo(execution)))
                        .willReturn(okJson("{\"executionId\":\"" + execution + "\",\"status\":\"RUNNING\"}")
                                .withFixedDelay(1300))));
            }
            return slow;
        }
        return List.of(PROVIDERS.stubFor(WireMock.post(urlPathMatching(WIDTH_CALLS)).atPriority(1)
                .willReturn(fault == Fault.HANGS ? aResponse().withStatus(200).withFixedDelay(4000)
                        : aResponse().withStatus(500))));
    }

    /** The latest claim of the WIDTH poller: it moves an execution's next poll on by poll-every when it claims it. */
    private Timestamp latestWidthClaim() {
        return jdbc.queryForObject("select max(next_poll_at) from kyc_case where provider = 'width'", Timestamp.class);
    }

    /**
     * The most calls the hanging stub held from the hub at once: each hangs past the response timeout, so a hub thread
     * makes at most one of them per response timeout, and the calls arriving within a shorter window are at most as
     * many as the hub's threads calling WIDTH.
     */
    private static int mostCallsInFlight(StubMapping hang) {
        List<Instant> arrivals = PROVIDERS.getAllServeEvents().stream()
                .filter(event -> event.getStubMapping() != null && hang.getId().equals(event.getStubMapping().getId()))
                .map(ServeEvent::getRequest)
                .map(request -> request.getLoggedDate().toInstant())
                .sorted().toList();
        Duration window = RESPONSE_TIMEOUT.minusMillis(100);
        int most = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            Instant end = arrivals.get(i).plus(window);
            int inWindow = 0;
            for (int j = i; j < arrivals.size() && arrivals.get(j).isBefore(end); j++) {
                inWindow++;
            }
            most = Math.max(most, inWindow);
        }
        return most;
    }

    private Map<String, Double> delta(Map<String, Double> before) {
        Map<String, Double> delta = new java.util.TreeMap<>();
        before.keySet().forEach(transition -> delta.put(transition, since(before, "width", transition)));
        return delta;
    }
}
