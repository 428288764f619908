package com.kychub.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.kychub.support.HubIntegrationTest;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the provider outage tests share: the circuit as an operator reads it ({@code /actuator/health} and the
 * {@code kyc.provider.circuit} metrics), the stubs' request journal, and the healthy providers the tests keep
 * working during an outage (Striga webhooks, a WIDTH execution polled on its schedule, a Connect Financial case).
 */
abstract class OutageFlows extends HubIntegrationTest {

    /** The WIDTH poller's threads ({@code kyc.providers.width.poll-threads}, default). */
    static final int WIDTH_POLL_THREADS = 8;
    /** {@code camel.component.http.response-timeout} in the tests. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(2000);

    /** The circuits exist, with the ids the operators' view finds them by. */
    @BeforeEach
    void theCircuitsExist() {
        for (String provider : List.of("connectfi", "ondato", "width")) {
            assertThat(camel.getProcessor(provider + "-circuit", ResilienceProcessor.class)).as(provider).isNotNull();
        }
    }

    /**
     * Stops polling and lets what is in flight finish (as {@code WidthFlows} does), so that the next test's TRUNCATE
     * meets no statement half-way; then closes the circuits, so that a failed test cannot leave one open.
     */
    @AfterEach
    void quiesce() {
        jdbc.update("update kyc_case set next_poll_at = null where next_poll_at is not null");
        int[] last = {-1};
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                int served = PROVIDERS.getAllServeEvents().size();
                boolean quiet = served == last[0] && jdbc.queryForObject("""
                        select (select count(*) from inbound_message where state = 'ACCEPTED' and next_attempt_at <= now())
                             + (select count(*) from provider_action where state = 'PENDING' and next_attempt_at <= now())""",
                        Integer.class) == 0;
                last[0] = served;
                return quiet;
            });
        } catch (ConditionTimeoutException e) {
            // Something keeps retrying: the next test's store reset copes, as for the other tests.
        }
        closeTheCircuits();
    }

    // --- The circuit, as an operator reads it

    /** Health with its details, which only an operator sees. */
    JsonNode health() {
        HttpResponse<String> health = operatorApi("/actuator/health");
        assertThat(health.statusCode()).as("/actuator/health answers 200 (UP)").isEqualTo(200);
        return readJson(health.body());
    }

    JsonNode circuitHealth(String provider) {
        return health().at("/components/providerCircuits/details/" + provider);
    }

    double gauge(String provider, String state) {
        HttpResponse<String> metric = operatorApi("/actuator/metrics/kyc.provider.circuit?tag=provider:" + provider
                + "&tag=state:" + state);
        assertThat(metric.statusCode()).isEqualTo(200);
        return readJson(metric.body()).at("/measurements/0/value").asDouble();
    }

    /** How often the provider's circuit made that transition (CLOSED_TO_OPEN, HALF_OPEN_TO_CLOSED, ...). */
    double transitions(String provider, String transition) {
        HttpResponse<String> metric = operatorApi("/actuator/metrics/kyc.provider.circuit.transitions?tag=provider:"
                + provider + "&tag=transition:" + transition);
        return metric.statusCode() == 404 ? 0 : readJson(metric.body()).at("/measurements/0/value").asDouble();
    }

    /** Waits until health and gauge both say the provider's circuit is in that state. */
    void awaitCircuit(String provider, String state, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(25)).until(() ->
                state.equals(circuitHealth(provider).path("state").asText()) && gauge(provider, state) == 1);
    }

    /** How often the provider's circuit has made each transition so far, to compare with later. */
    Map<String, Double> transitionCounts(String provider) {
        return Map.of("CLOSED_TO_OPEN", transitions(provider, "CLOSED_TO_OPEN"),
                "OPEN_TO_HALF_OPEN", transitions(provider, "OPEN_TO_HALF_OPEN"),
                "HALF_OPEN_TO_OPEN", transitions(provider, "HALF_OPEN_TO_OPEN"),
                "HALF_OPEN_TO_CLOSED", transitions(provider, "HALF_OPEN_TO_CLOSED"));
    }

    /** The transitions counted since {@code before} (taken with {@link #transitionCounts}). */
    double since(Map<String, Double> before, String provider, String transition) {
        return transitions(provider, transition) - before.get(transition);
    }

    /**
     * Waits until the circuit has opened since {@code before}, as health and gauge say, and answers when it opened (the
     * state's {@code since} in health). One health read per look: the open state lasts a second in the tests.
     */
    Instant awaitOpened(String provider, Map<String, Double> before, Duration atMost) {
        Instant[] openedAt = new Instant[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(25)).until(() -> {
            JsonNode circuit = circuitHealth(provider);
            if ("OPEN".equals(circuit.path("state").asText())) {
                openedAt[0] = Instant.parse(circuit.path("since").asText());
            }
            return openedAt[0] != null;
        });
        assertThat(since(before, provider, "CLOSED_TO_OPEN")).isEqualTo(1);
        await().atMost(atMost).pollInterval(Duration.ofMillis(25)).until(() -> gauge(provider, "OPEN") == 1);
        return openedAt[0];
    }

    /** The readiness probe a load balancer reads stays UP whatever the providers do. */
    void assertTheHubStaysReady() {
        HttpResponse<String> readiness = get("/actuator/health/readiness", Map.of());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readJson(readiness.body()).get("status").asText()).isEqualTo("UP");
        assertThat(health().get("status").asText()).isEqualTo("UP");
    }

    // --- The stubs' request journal

    static int calls(String urlPathRegex) {
        return PROVIDERS.findAll(anyRequestedFor(urlPathMatching(urlPathRegex))).size();
    }

    /** When the stubs received the calls, in order. */
    static List<Instant> arrivals(String urlPathRegex) {
        return PROVIDERS.findAll(anyRequestedFor(urlPathMatching(urlPathRegex))).stream()
                .map(request -> request.getLoggedDate().toInstant()).sorted().toList();
    }

    /**
     * While the circuit is open nothing reaches the provider: no call arrives from 200 ms after it opened (a call let
     * through just before may still be on its way) to 900 ms after (it stays open 1 s in the tests). Waits for the
     * end of that span and answers the calls that had arrived by then.
     */
    int assertNoCallsWhileOpen(Instant openedAt, String urlPathRegex) {
        Instant from = openedAt.plusMillis(200);
        Instant to = openedAt.plusMillis(900);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> Instant.now().isAfter(to));
        List<Instant> arrivals = arrivals(urlPathRegex);
        assertThat(arrivals).as("calls arriving while the circuit was open").noneMatch(at -> at.isAfter(from)
                && at.isBefore(to));
        return (int) arrivals.stream().filter(at -> at.isBefore(to)).count();
    }

    static int callsBefore(Instant at, String urlPathRegex) {
        return (int) arrivals(urlPathRegex).stream().filter(arrival -> arrival.isBefore(at)).count();
    }

    // --- The healthy providers

    /** A Striga webhook: answered 200 at once and processed into its case. Answers the webhook's round trip. */
    Duration strigaGoesOn(String userId) {
        Instant start = Instant.now();
        HttpResponse<String> answer = postStriga("{\"userId\":\"" + userId + "\",\"status\":\"APPROVED\"}");
        Duration took = Duration.between(start, Instant.now());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(readJson(answer.body()).get("status").asText()).isEqualTo("accepted");
        awaitCase("striga", userId, "APPROVED", "NONE");
        return took;
    }

    /** Starts a WIDTH onboarding through the hub API whose workflow.apply.submit answers that execution. */
    void startWidth(String customerId, String executionId) {
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.applicant.register"))
                .willReturn(okJson("{\"success\":true}")));
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.apply.submit"))
                .withRequestBody(matchingJsonPath("$.data.customerId", equalTo(customerId)))
                .willReturn(okJson("{\"executionId\":\"" + executionId + "\",\"status\":\"CREATED\"}")));
        stubWidthStatus(executionId, "{\"executionId\":\"" + executionId + "\",\"status\":\"RUNNING\"}");
        assertThat(apiSend("POST", "/api/v1/customers", "{\"customerId\":\"" + customerId + "\"}").statusCode())
                .isEqualTo(201);
        assertThat(apiSend("POST", "/api/v1/customers/" + customerId + "/onboardings", "{\"provider\":\"width\"}")
                .statusCode()).isEqualTo(202);
    }

    static void stubWidthStatus(String executionId, String body) {
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status"))
                .withRequestBody(matchingJsonPath("$.executionId", equalTo(executionId)))
                .willReturn(okJson(body)));
    }

    void awaitWidthRunning(String executionId) {
        awaitCase("width", executionId, c -> "RUNNING".equals(c.path("providerStatus").asText()));
    }

    /** When WIDTH was polled for the execution, in order. */
    static List<Instant> widthPolls(String executionId) {
        return PROVIDERS.findAll(postRequestedFor(urlPathEqualTo("/api/workflow.execution.status"))
                        .withRequestBody(matchingJsonPath("$.executionId", equalTo(executionId)))).stream()
                .map(request -> request.getLoggedDate().toInstant()).sorted().toList();
    }

    /** The longest wait between two polls of the execution within [from, to], the edges included. */
    static Duration longestWidthPollGap(String executionId, Instant from, Instant to) {
        Instant previous = from;
        Duration longest = Duration.ZERO;
        for (Instant poll : widthPolls(executionId)) {
            if (poll.isAfter(from) && poll.isBefore(to)) {
                longest = max(longest, Duration.between(previous, poll));
                previous = poll;
            }
        }
        return max(longest, Duration.between(previous, to));
    }

    static String connectfiStatus(String nextAction, boolean compliant) {
        return "{\"isCompliant\":" + compliant + ",\"onboardingStatus\":\"" + (compliant ? "APPROVED" : "PROCESSING")
                + "\",\"nextAction\":" + (nextAction == null ? "null" : "\"" + nextAction + "\"")
                + ",\"checks\":[{\"type\":\"KYC_STATUS\",\"passed\":" + compliant + ",\"required\":true}]}";
    }

    static void stubConnectfiStatus(String connectfiCustomerId, String body) {
        PROVIDERS.stubFor(WireMock.get(urlEqualTo("/v1/compliance/status/" + connectfiCustomerId))
                .willReturn(okJson(body)));
    }

    void sendConnectfi(String eventType, String connectfiCustomerId, String onboardingId) {
        HttpResponse<String> answer = postConnectfi("{\"eventType\":\"" + eventType + "\",\"data\":{\"customerId\":\""
                + connectfiCustomerId + "\",\"onboardingId\":\"" + onboardingId + "\"}}");
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    /** A Connect Financial case in review: its webhook pulled the status, which says WAIT. */
    void connectfiCaseInReview(String connectfiCustomerId, String onboardingId) {
        stubConnectfiStatus(connectfiCustomerId, connectfiStatus("WAIT", false));
        sendConnectfi("CUSTOMER_KYC_SDK_FLOW_COMPLETED", connectfiCustomerId, onboardingId);
    }

    /**
     * The Connect Financial poller pulls a case as soon as it is due (its tick is 200 ms in tests): made due, the case
     * is pulled within a second. Answers how long the pull took to come.
     */
    Duration connectfiPollerGoesOn(String connectfiCustomerId, String onboardingId) {
        String path = "/v1/compliance/status/" + connectfiCustomerId;
        int before = calls(path);
        Instant due = Instant.now();
        jdbc.update("update kyc_case set next_poll_at = now() where provider = 'connectfi' and provider_ref = ?",
                onboardingId);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> calls(path) > before);
        return Duration.between(due, Instant.now());
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
