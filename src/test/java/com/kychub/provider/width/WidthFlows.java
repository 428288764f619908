package com.kychub.provider.width;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.kychub.support.HubIntegrationTest;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * WIDTH against a stub on loopback whose state the test moves on, as WIDTH's would move on: each test stubs
 * the execution's status as the workflow goes from node to node, and reads what the hub sent.
 */
abstract class WidthFlows extends HubIntegrationTest {

    /**
     * Stops WIDTH polling and lets what is in flight (polls, inbox messages, due actions) finish, so that the next
     * test's TRUNCATE never meets a WIDTH statement half-way through the shared store.
     */
    @AfterEach
    void quiesceWidth() {
        jdbc.update("update kyc_case set next_poll_at = null where provider = 'width'");
        int[] last = {-1};
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                int served = PROVIDERS.getAllServeEvents().size();
                boolean quiet = served == last[0] && jdbc.queryForObject("""
                        select (select count(*) from inbound_message where provider = 'width' and state = 'ACCEPTED'
                                  and next_attempt_at <= now())
                             + (select count(*) from provider_action where provider = 'width' and state = 'PENDING'
                                  and next_attempt_at <= now())""", Integer.class) == 0;
                last[0] = served;
                return quiet;
            });
        } catch (ConditionTimeoutException e) {
            // Something keeps retrying: the next test's store reset copes as it does for the other providers.
        }
    }

    /** An execution WAITING on a node; its callbackKey is {@code kyc:<nodeId>:cb}. */
    static String waiting(String executionId, String nodeId, String nodeType) {
        return ("{\"executionId\":\"%s\",\"status\":\"WAITING\",\"currentNode\":{\"nodeId\":\"%s\","
                + "\"nodeType\":\"%s\",\"callbackKey\":\"kyc:%s:cb\"}}")
                .formatted(executionId, nodeId, nodeType, nodeId);
    }

    static String status(String executionId, String status) {
        return "{\"executionId\":\"%s\",\"status\":\"%s\"}".formatted(executionId, status);
    }

    /** WIDTH answers this to {@code workflow.execution.status} for the execution, from now on. */
    void stubStatus(String executionId, String body) {
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.execution.status"))
                .withRequestBody(matchingJsonPath("$.executionId", equalTo(executionId)))
                .willReturn(okJson(body)));
    }

    void stubMethod(String method, String answer) {
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/" + method)).willReturn(okJson(answer)));
    }

    /** A customer onboarding at WIDTH whose workflow.apply.submit answers this executionId. */
    void startOnboarding(String customerId, String email, String executionId) {
        stubMethod("workflow.applicant.register", "{\"success\":true}");
        PROVIDERS.stubFor(WireMock.post(urlPathEqualTo("/api/workflow.apply.submit"))
                .withRequestBody(matchingJsonPath("$.data.customerId", equalTo(customerId)))
                .willReturn(okJson("{\"executionId\":\"" + executionId + "\",\"status\":\"CREATED\"}")));
        String customer = email == null ? "{\"customerId\":\"" + customerId + "\"}"
                : "{\"customerId\":\"" + customerId + "\",\"email\":\"" + email + "\"}";
        assertThat(apiSend("POST", "/api/v1/customers", customer).statusCode()).isEqualTo(201);
        var started = apiSend("POST", "/api/v1/customers/" + customerId + "/onboardings", "{\"provider\":\"width\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(readJson(started.body()).get("providerRef").asText()).isEqualTo("customer:" + customerId);
    }

    List<LoggedRequest> requests(String method) {
        return PROVIDERS.findAll(postRequestedFor(urlPathEqualTo("/api/" + method)));
    }

    List<LoggedRequest> requests(String method, String executionId) {
        return PROVIDERS.findAll(postRequestedFor(urlPathEqualTo("/api/" + method))
                .withRequestBody(matchingJsonPath("$.executionId", equalTo(executionId))));
    }

    JsonNode awaitRequest(String method) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !requests(method).isEmpty());
        return readJson(requests(method).get(0).getBodyAsString());
    }

    JsonNode awaitCase(String providerRef, String status, String nextAction) {
        return awaitCase("width", providerRef, status, nextAction);
    }

    JsonNode awaitCase(String providerRef, Predicate<JsonNode> condition) {
        return awaitCase("width", providerRef, condition);
    }

    /** Waits until WIDTH has been polled for the execution n more times. */
    void awaitMorePolls(String executionId, int n) {
        int before = requests("workflow.execution.status", executionId).size();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                requests("workflow.execution.status", executionId).size() >= before + n);
    }

    Map<String, Integer> submissionsPerNode(String executionId, String... methods) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String method : methods) {
            counts.put(method, requests(method, executionId).size());
        }
        return counts;
    }

    static JsonNode parse(String text) {
        return readJson(text);
    }
}
