package com.kychub.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect Financial's status API goes down (answers 500, or resets the connection) while twelve of its cases are
 * followed: its poller and the webhooks that trigger pulls open the circuit; while it is open no call reaches
 * Connect Financial and the webhooks wait in the inbox, ACCEPTED, their attempts unspent; Striga and the WIDTH poller
 * go on; once Connect Financial recovers the circuit closes and every webhook is processed into its case.
 */
class ConnectfiOutageIntegrationTest extends OutageFlows {

    private static final Logger log = LoggerFactory.getLogger(ConnectfiOutageIntegrationTest.class);
    private static final String STATUS_CALLS = "/v1/compliance/status/.*";
    private static final int CASES = 12;

    enum Outage { ANSWERS_500, RESETS_CONNECTIONS }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void theCircuitOpensTheWebhooksWaitAndAllIsProcessedOnceConnectfiRecovers(Outage outage) {
        String tag = outage.name().toLowerCase().replace('_', '-');
        List<String> customers = IntStream.rangeClosed(1, CASES).mapToObj(i -> "cf-" + tag + "-" + i).toList();
        startWidth("w-" + tag, "exec-" + tag);
        customers.forEach(customer -> connectfiCaseInReview(customer, "onb-" + customer));
        customers.forEach(customer -> awaitCase("connectfi", "onb-" + customer, "IN_REVIEW", "WAIT"));
        awaitWidthRunning("exec-" + tag);
        Map<String, Double> before = transitionCounts("connectfi");

        // Connect Financial goes down; meanwhile it approves every case, which the hub learns once it is back.
        Instant faultAt = Instant.now();
        StubMapping fault = PROVIDERS.stubFor(WireMock.get(urlPathMatching(STATUS_CALLS)).atPriority(1)
                .willReturn(outage == Outage.ANSWERS_500 ? aResponse().withStatus(500)
                        : aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        customers.forEach(customer -> stubConnectfiStatus(customer, connectfiStatus(null, true)));

        // The poller's pulls fail and the circuit opens; while it is open, no pull reaches Connect Financial.
        pollNow();
        Instant openedAt = awaitOpened("connectfi", before, Duration.ofSeconds(15));
        Duration openedAfter = Duration.between(faultAt, openedAt);
        pollNow();
        assertNoCallsWhileOpen(openedAt, STATUS_CALLS);

        // Webhooks are still taken (200); the pulls they trigger wait in the inbox without spending attempts.
        Instant webhooksAt = Instant.now();
        customers.forEach(customer -> sendConnectfi("CUSTOMER_KYC_FINISHED", customer, "onb-" + customer));
        Duration webhooksTook = Duration.between(webhooksAt, Instant.now());
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject("""
                select count(*) from inbound_message where provider = 'connectfi' and message_type = 'webhook'
                and state = 'ACCEPTED' and last_error is not null""", Integer.class) == CASES);
        assertThat(jdbc.queryForList("""
                select attempts from inbound_message where provider = 'connectfi' and message_type = 'webhook'
                and state = 'ACCEPTED'""", Integer.class)).hasSize(CASES).containsOnly(0);
        assertThat(jdbc.queryForObject("""
                select count(*) from inbound_message where provider = 'connectfi' and state = 'ACCEPTED'
                and last_error like '%is OPEN and does not permit further calls%'""", Integer.class)).isPositive();
        Duration strigaAnswer = strigaGoesOn("s-" + tag);
        assertTheHubStaysReady();

        // The WIDTH poller kept its schedule (a poll every 250 ms per execution in tests) throughout.
        Instant recoveredAt = Instant.now();
        Duration widthGap = longestWidthPollGap("exec-" + tag, faultAt, recoveredAt);
        assertThat(widthGap).isLessThan(Duration.ofSeconds(1));

        // Connect Financial recovers: the circuit closes and every webhook is processed, none spent or dead.
        PROVIDERS.removeStub(fault);
        awaitCircuit("connectfi", "CLOSED", Duration.ofSeconds(15));
        Duration closedAfter = Duration.between(recoveredAt, Instant.now());
        assertThat(since(before, "connectfi", "CLOSED_TO_OPEN")).isEqualTo(1);
        assertThat(since(before, "connectfi", "OPEN_TO_HALF_OPEN")).isGreaterThanOrEqualTo(1);
        assertThat(since(before, "connectfi", "HALF_OPEN_TO_CLOSED")).isEqualTo(1);
        customers.forEach(customer -> awaitCase("connectfi", "onb-" + customer, "APPROVED", "NONE"));
        awaitInboxDrained();
        assertThat(jdbc.queryForList("""
                select attempts from inbound_message where provider = 'connectfi' and message_type = 'webhook'
                and state = 'PROCESSED'""", Integer.class)).as("processed at their first attempt: the outage cost none")
                .hasSize(2 * CASES).containsOnly(1);
        assertThat(jdbc.queryForObject("select count(*) from inbound_message where state in ('DEAD', 'FAILED')",
                Integer.class)).isZero();

        log.info("Connect Financial {}: OPEN seen from {} ms after the fault ({} requests reached it before); {} "
                        + "webhooks taken in {} ms while open; Striga answered in {} ms; longest WIDTH poll gap {} ms "
                        + "over {} ms; CLOSED {} ms after it recovered", outage, openedAfter.toMillis(),
                callsBefore(openedAt, STATUS_CALLS) - callsBefore(faultAt, STATUS_CALLS),
                CASES, webhooksTook.toMillis(), strigaAnswer.toMillis(), widthGap.toMillis(),
                Duration.between(faultAt, recoveredAt).toMillis(), closedAfter.toMillis());
    }
}
