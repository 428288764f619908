package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The demo end to end: the hub with the sandbox profile and the demo on, on a database and a Camel context of its
 * own. Every demo customer reaches the status their sandbox provider leads them to, through real HTTP calls and
 * webhooks between the hub and its simulators (with duplicates and late deliveries), each case's audit trail runs
 * from CASE_OPENED to that status, and nothing the hub accepted is FAILED or DEAD.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}_sandbox",
        "kyc.db.embedded-data-directory=target/embedded-postgres",
        "camel.main.name=kyc-hub-sandbox-test",
        "kyc.demo.enabled=true",
        "kyc.sandbox.step-min-delay=100ms",
        "kyc.sandbox.step-max-delay=300ms",
        "kyc.sandbox.review-min-delay=200ms",
        "kyc.sandbox.review-max-delay=500ms",
        "kyc.sandbox.duplicate-probability=0.3",
        "kyc.sandbox.late-probability=0.3",
        "kyc.inbox.poll-period=100ms",
        "kyc.providers.connectfi.poll-tick-millis=200",
        "kyc.providers.width.poll-every=250ms",
        "kyc.providers.width.poll-tick-millis=100"})
@ActiveProfiles("sandbox")
class SandboxDemoIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Instant started;
    private static int port;

    /** A free port chosen now, so that the sandbox base URLs (built from server.port) name the port the hub gets. */
    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) throws IOException {
        started = Instant.now();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry.add("server.port", () -> port);
    }

    @Autowired
    SandboxDemo demo;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyDemoCustomerReachesTheirFinalStatusWithACompleteAuditTrail() {
        List<SandboxDemo.DemoCustomer> customers = demo.customers();
        assertThat(customers).extracting(SandboxDemo.DemoCustomer::provider)
                .contains("striga", "connectfi", "argos", "ondato", "width");

        for (SandboxDemo.DemoCustomer customer : customers) {
            await().alias(customer.customerId() + " at " + customer.provider() + " ends " + customer.expected())
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                        JsonNode cases = api("/api/v1/customers/" + customer.customerId() + "/kyc").path("cases");
                        return cases.size() == 1 && cases.get(0).get("status").asText()
                                .equals(customer.expected().name());
                    });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from inbound_message where state = 'ACCEPTED' and received_at >= ?",
                Integer.class, Timestamp.from(started)) == 0);

        for (SandboxDemo.DemoCustomer customer : customers) {
            JsonNode kycCase = api("/api/v1/customers/" + customer.customerId() + "/kyc").path("cases").get(0);
            assertThat(kycCase.get("provider").asText()).isEqualTo(customer.provider());
            assertThat(kycCase.get("status").asText()).as(customer.customerId()).isEqualTo(customer.expected().name());
            JsonNode events = api("/api/v1/cases/" + kycCase.get("id").asText() + "/events");
            assertThat(events.get(0).get("type").asText()).as(customer.customerId()).isEqualTo("CASE_OPENED");
            assertThat(events.get(events.size() - 1).get("toStatus").asText()).as(customer.customerId())
                    .isEqualTo(customer.expected().name());
        }
        assertThat(jdbc.queryForList("select provider || ' ' || state || ' ' || coalesce(last_error, '') "
                + "from inbound_message where state in ('FAILED', 'DEAD') and received_at >= ?", String.class,
                Timestamp.from(started))).isEmpty();
    }

    private static JsonNode api(String path) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer sandbox-api-key")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET " + path).isEqualTo(200);
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
