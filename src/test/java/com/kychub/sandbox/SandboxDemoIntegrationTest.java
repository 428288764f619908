package com.kychub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kychub.support.SandboxHubTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The demo end to end: the hub with the sandbox profile and the demo on, on a database and a Camel context of its
 * own. Every demo customer reaches the status their sandbox provider leads them to, through real HTTP calls and
 * webhooks between the hub and its simulators (with duplicates and late deliveries, and every webhook after the first
 * of each flow lost: Striga's, ARGOS's and Ondato's verdicts come from reconciliation, Connect Financial's from its
 * status poll), each case's audit trail runs
 * from CASE_OPENED to that status, and nothing the hub accepted is FAILED or DEAD. WIDTH customers go through the OCR
 * node (asked for their identity document, OCR submitted once) and the particulars; the Connect Financial
 * {@code expire} customer has two cases: the expired onboarding CANCELLED, the rerun's APPROVED.
 * <p>
 * The whole log of the run (the hub's own lines down to DEBUG) and every {@code last_error} hold none of the personal
 * values the demo put through the hub: its customers' names, dates of birth, emails, document numbers and addresses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}_sandbox",
        "camel.main.name=kyc-hub-sandbox-test",
        "kyc.demo.enabled=true",
        "kyc.sandbox.step-min-delay=100ms",
        "kyc.sandbox.step-max-delay=300ms",
        "kyc.sandbox.review-min-delay=200ms",
        "kyc.sandbox.review-max-delay=500ms",
        "kyc.sandbox.ocr-min-delay=500ms",
        "kyc.sandbox.ocr-max-delay=1s",
        "kyc.sandbox.duplicate-probability=0.3",
        "kyc.sandbox.late-probability=0.3",
        // Every webhook but the first of each flow is lost: every verdict must come from a status API.
        "kyc.sandbox.drop-probability=1",
        "kyc.providers.striga.reconcile.period=500ms",
        "kyc.providers.striga.reconcile.after=2s",
        "kyc.providers.argos.reconcile.period=500ms",
        "kyc.providers.argos.reconcile.after=2s",
        "kyc.providers.ondato.reconcile.period=500ms",
        "kyc.providers.ondato.reconcile.after=2s",
        "kyc.inbox.poll-period=100ms",
        "kyc.providers.connectfi.poll-tick-millis=200",
        "kyc.providers.width.poll-every=250ms",
        "kyc.providers.width.poll-tick-millis=100",
        // The log scanned for personal data holds every line the hub writes.
        "logging.level.com.kychub=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class SandboxDemoIntegrationTest extends SandboxHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** When the class started, before its hub: rows older than this are not this run's. */
    private static final Instant STARTED = Instant.now();

    @Autowired
    SandboxDemo demo;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SandboxWidth width;

    @Autowired
    Sandbox sandbox;

    @Autowired
    MeterRegistry meters;

    @Test
    void everyDemoCustomerReachesTheirFinalStatusWithACompleteAuditTrailAndNoPersonalDataIsLogged(
            CapturedOutput log) {
        List<SandboxDemo.DemoCustomer> customers = demo.customers();
        assertThat(customers).extracting(SandboxDemo.DemoCustomer::provider)
                .contains("striga", "connectfi", "argos", "ondato", "width");

        for (SandboxDemo.DemoCustomer customer : customers) {
            await().alias(customer.customerId() + " at " + customer.provider() + " ends " + customer.expected())
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                        JsonNode cases = api("/api/v1/customers/" + customer.customerId() + "/kyc").path("cases");
                        if (rerun(customer)) {
                            return cases.size() == 2 && statuses(cases).containsAll(
                                    List.of(customer.expected().name(), "CANCELLED"));
                        }
                        return cases.size() == 1 && cases.get(0).get("status").asText()
                                .equals(customer.expected().name());
                    });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from inbound_message where state = 'ACCEPTED' and received_at >= ?",
                Integer.class, Timestamp.from(STARTED)) == 0);

        for (SandboxDemo.DemoCustomer customer : customers) {
            JsonNode cases = api("/api/v1/customers/" + customer.customerId() + "/kyc").path("cases");
            for (JsonNode kycCase : cases) {
                String status = kycCase.get("status").asText();
                assertThat(kycCase.get("provider").asText()).isEqualTo(customer.provider());
                if (!rerun(customer) || !status.equals("CANCELLED")) {
                    assertThat(status).as(customer.customerId()).isEqualTo(customer.expected().name());
                }
                JsonNode events = api("/api/v1/cases/" + kycCase.get("id").asText() + "/events").get("items");
                assertThat(events.get(0).get("type").asText()).as(customer.customerId()).isEqualTo("CASE_OPENED");
                assertThat(events.get(events.size() - 1).get("toStatus").asText()).as(customer.customerId())
                        .isEqualTo(status);
                if (customer.provider().equals("width")) {
                    assertWentThroughTheOcrNode(customer, events);
                }
            }
            if (rerun(customer)) {
                JsonNode approved = cases.get(0).get("status").asText().equals("CANCELLED") ? cases.get(1) : cases.get(0);
                JsonNode cancelled = approved == cases.get(0) ? cases.get(1) : cases.get(0);
                assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
                assertThat(cancelled.at("/providerDetails/restartedAs").asText()).as(customer.customerId())
                        .isEqualTo(approved.get("providerRef").asText());
            }
        }
        assertThat(sandbox.dropped()).isPositive();
        for (String provider : List.of("striga", "argos")) {
            Counter repaired = meters.find("kyc.reconcile.pulls").tags("provider", provider, "outcome", "repaired")
                    .counter();
            assertThat(repaired).as(provider + " reconciled").isNotNull();
            assertThat(repaired.count()).as(provider + " reconciled").isPositive();
        }
        // Ondato's verdict comes from a status API either way, but not always the sweep's: a late re-delivery of the
        // first webhook (late-probability) makes the worker pull the verification, verdict included, before the case
        // is quiet. So the sweep is only asserted to have pulled Ondato's cases, whatever it found.
        assertThat(meters.find("kyc.reconcile.pulls").tag("provider", "ondato").counters())
                .as("ondato reconciled").anyMatch(pulls -> pulls.count() > 0);
        assertThat(jdbc.queryForList("select provider || ' ' || state || ' ' || coalesce(last_error, '') "
                + "from inbound_message where state in ('FAILED', 'DEAD') and received_at >= ?", String.class,
                Timestamp.from(STARTED))).isEmpty();

        assertNoPersonalValueIn(log.getAll());
    }

    /**
     * Each personal value the demo used ({@link SandboxDemo#personalValues}) is looked for in the log and in every
     * {@code last_error}. They did reach the hub: the providers' answers it stored carry them.
     */
    private void assertNoPersonalValueIn(String log) {
        List<String> values = demo.personalValues();
        assertThat(log).as("the captured log is the hub's").contains("Demo: " + demo.customers().get(0).customerId());
        assertThat(values.stream().filter(value -> jdbc.queryForObject(
                "select count(*) from inbound_message where strpos(body, ?) > 0", Integer.class, value) > 0))
                .as("personal values in the providers' stored answers").isNotEmpty();

        List<String> errors = jdbc.queryForList("select last_error from inbound_message where last_error is not null "
                + "union all select last_error from provider_action where last_error is not null", String.class);
        List<String> found = new ArrayList<>();
        for (String value : values) {
            log.lines().filter(line -> line.contains(value)).findFirst()
                    .ifPresent(line -> found.add(value + " in the log: " + line));
            errors.stream().filter(error -> error.contains(value)).findFirst()
                    .ifPresent(error -> found.add(value + " in a last_error: " + error));
        }
        assertThat(found).as("personal values found").isEmpty();
    }

    /** The Connect Financial customer whose SDK link expires: its first onboarding is rerun. */
    private static boolean rerun(SandboxDemo.DemoCustomer customer) {
        return customer.customerId().startsWith("demo-cf-expire-");
    }

    private static List<String> statuses(JsonNode cases) {
        List<String> statuses = new ArrayList<>();
        cases.forEach(kycCase -> statuses.add(kycCase.get("status").asText()));
        return statuses;
    }

    /**
     * A WIDTH case waited for the identity document (ACTION_REQUIRED, PROVIDE_DOCUMENT) until the demo handed it over,
     * was IN_PROGRESS after that, and the hub submitted the OCR node and the particulars once each.
     */
    private void assertWentThroughTheOcrNode(SandboxDemo.DemoCustomer customer, JsonNode events) {
        int asked = -1;
        int inProgress = -1;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (asked < 0 && "ACTION_REQUIRED".equals(event.path("toStatus").asText())
                    && "PROVIDE_DOCUMENT".equals(event.path("toNextAction").asText())) {
                asked = i;
            }
            if (asked >= 0 && inProgress < 0 && "IN_PROGRESS".equals(event.path("toStatus").asText())) {
                inProgress = i;
            }
        }
        assertThat(asked).as(customer.customerId() + " asked for the identity document").isNotNegative();
        assertThat(inProgress).as(customer.customerId() + " in progress after the OCR node").isGreaterThan(asked);
        assertThat(width.submissions(customer.customerId(), SandboxWidth.OCR_METHOD)).as(customer.customerId())
                .isEqualTo(1);
        assertThat(width.submissions(customer.customerId(), SandboxWidth.PARTICULAR_METHOD))
                .as(customer.customerId()).isEqualTo(1);
        assertThat(width.submissions(customer.customerId(), SandboxWidth.OCR_DATA_METHOD))
                .as(customer.customerId()).isPositive();
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
