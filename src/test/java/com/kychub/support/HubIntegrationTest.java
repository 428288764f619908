package com.kychub.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The whole hub on a random port against a real PostgreSQL (database {@code kyc_hub_test}), one Spring context
 * shared by every subclass. Each test starts from an empty store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // -Dkyc.test.database=... lets two checkouts run their suites side by side on one server.
        "kyc.db.local-database=${kyc.test.database:kyc_hub_test}",
        "kyc.db.embedded-data-directory=target/embedded-postgres",
        "kyc.api.keys=" + HubIntegrationTest.API_KEY + ",second-key",
        "kyc.api.operator-keys=" + HubIntegrationTest.OPERATOR_API_KEY,
        "kyc.providers.striga.api-key=" + HubIntegrationTest.STRIGA_KEY,
        "kyc.providers.argos.webhook-auth.scheme=hmac-sha256",
        "kyc.providers.argos.webhook-auth.secret=" + HubIntegrationTest.ARGOS_WEBHOOK_SECRET,
        "kyc.providers.argos.api-key=" + HubIntegrationTest.ARGOS_API_KEY,
        "kyc.providers.argos.requests-per-second=1000",
        "kyc.providers.argos.circuit-open-seconds=1",
        "kyc.providers.argos.slow-call-seconds=1",
        // Reconciliation sweeps often, but time does not pass in tests: a test makes a case quiet with makeQuiet().
        "kyc.providers.argos.reconcile.period=300ms",
        "kyc.providers.ondato.reconcile.period=300ms",
        "kyc.providers.striga.reconcile.period=300ms",
        "kyc.inbox.max-body-size=64KB",
        // Retention sweeps every second (its ages stay the defaults): a test ages rows to see them go.
        "kyc.retention.period=1s",
        "kyc.inbox.poll-period=100ms",
        "kyc.inbox.max-attempts=3",
        "kyc.inbox.initial-backoff=50ms",
        "kyc.inbox.max-backoff=200ms",
        "kyc.providers.connectfi.api-key=" + HubIntegrationTest.CONNECTFI_API_KEY,
        "kyc.providers.connectfi.webhook-auth.scheme=hmac-sha256",
        "kyc.providers.connectfi.webhook-auth.header=X-Signature",
        "kyc.providers.connectfi.webhook-auth.secret=" + HubIntegrationTest.CONNECTFI_SECRET,
        "kyc.providers.connectfi.poll-tick-millis=200",
        // Time does not pass in tests: a test makes a case due with pollNow().
        "kyc.providers.connectfi.poll-period=1h",
        // A call is slow after 1 s (slow-call-seconds) and has failed after 2 s: the outage tests' slow provider
        // answers in 1.3 s, with room to spare on a busy machine.
        "camel.component.http.response-timeout=2000",
        "kyc.providers.connectfi.requests-per-second=1000",
        "kyc.providers.connectfi.circuit-open-seconds=1",
        "kyc.providers.connectfi.slow-call-seconds=1",
        "kyc.providers.ondato.setup-id=" + HubIntegrationTest.ONDATO_SETUP_ID,
        "kyc.providers.ondato.api-auth.scheme=api-key",
        "kyc.providers.ondato.api-auth.api-key-header=X-Api-Key",
        "kyc.providers.ondato.api-auth.api-key=" + HubIntegrationTest.ONDATO_API_KEY,
        "kyc.providers.ondato.webhook-user=" + HubIntegrationTest.ONDATO_WEBHOOK_USER,
        "kyc.providers.ondato.webhook-password=" + HubIntegrationTest.ONDATO_WEBHOOK_PASSWORD,
        "kyc.providers.ondato.requests-per-second=1000",
        "kyc.providers.ondato.circuit-open-seconds=1",
        "kyc.providers.ondato.slow-call-seconds=1",
        "kyc.providers.width.api-key=" + HubIntegrationTest.WIDTH_API_KEY,
        "kyc.providers.width.domain-id=" + HubIntegrationTest.WIDTH_DOMAIN,
        "kyc.providers.width.api-secret=" + HubIntegrationTest.WIDTH_SECRET,
        // WIDTH executions are polled for real in tests, fast: a few polls pass in a second.
        "kyc.providers.width.poll-every=250ms",
        "kyc.providers.width.ocr-result-delay=250ms",
        "kyc.providers.width.poll-tick-millis=100",
        "kyc.providers.width.requests-per-second=1000",
        "kyc.providers.width.circuit-open-seconds=1",
        "kyc.providers.width.slow-call-seconds=1",
        // Outbound events: receivers on loopback are http; three attempts, close together, then DEAD.
        "kyc.events.allow-http=true",
        "kyc.events.retry-schedule=0s,300ms,300ms",
        "kyc.events.dispatch-period=50ms"})
public abstract class HubIntegrationTest {

    /** An integration key: cases, customers, onboardings, data. */
    public static final String API_KEY = "test-api-key";
    /** An operator key: ops endpoints, raw messages, replay, erasure, the actuator; the integration endpoints too. */
    public static final String OPERATOR_API_KEY = "test-operator-key";
    public static final String STRIGA_KEY = "test-striga-key";
    public static final String CONNECTFI_API_KEY = "test-connectfi-api-key";
    public static final String CONNECTFI_SECRET = "test-connectfi-secret";
    public static final String ARGOS_WEBHOOK_SECRET = "test-argos-webhook-secret";
    public static final String ARGOS_API_KEY = "test-argos-api-key";
    public static final String ONDATO_SETUP_ID = "test-ondato-setup";
    public static final String ONDATO_API_KEY = "test-ondato-api-key";
    public static final String ONDATO_WEBHOOK_USER = "ondato-hook";
    public static final String ONDATO_WEBHOOK_PASSWORD = "test-ondato-password";
    public static final String WIDTH_API_KEY = "test-width-api-key";
    public static final String WIDTH_DOMAIN = "test-width-domain";
    public static final String WIDTH_SECRET = "test-width-secret";

    /** The providers' APIs, stubbed on loopback; every test starts with no stubs and no recorded requests. */
    protected static final WireMockServer PROVIDERS = new WireMockServer(
            WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

    static {
        PROVIDERS.start();
    }

    @DynamicPropertySource
    static void providerUrls(DynamicPropertyRegistry registry) {
        registry.add("kyc.providers.connectfi.base-url", PROVIDERS::baseUrl);
        // Ondato's two APIs on distinct prefixes, so a call to the wrong one finds no stub.
        registry.add("kyc.providers.ondato.idv-base-url", () -> PROVIDERS.baseUrl() + "/ondato-idv");
        registry.add("kyc.providers.ondato.kyc-base-url", () -> PROVIDERS.baseUrl() + "/ondato-kyc");
        registry.add("kyc.providers.width.base-url", PROVIDERS::baseUrl);
        registry.add("kyc.providers.argos.base-url", () -> PROVIDERS.baseUrl() + "/argos");
    }

    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected CamelContext camel;

    @Autowired
    protected MeterRegistry meters;

    @Autowired
    protected TransactionTemplate transactions;

    @BeforeEach
    void emptyTheStore() {
        PROVIDERS.resetAll();
        closeTheCircuits();
        Store.reset(jdbc);
    }

    /**
     * Closes every provider's circuit with an empty window: the failures an earlier test provoked (on purpose, or a
     * 4xx) must not open a circuit in this one, where a message would then wait instead of failing.
     */
    protected void closeTheCircuits() {
        for (String provider : List.of("connectfi", "ondato", "width", "argos", "striga")) {
            ResilienceProcessor circuit = camel.getProcessor(provider + "-circuit", ResilienceProcessor.class);
            if (circuit != null && circuit.getCircuitBreaker() != null) {
                circuit.getCircuitBreaker().reset();
            }
        }
    }

    /** POSTs a Connect Financial webhook, signed with the configured HMAC header. */
    protected HttpResponse<String> postConnectfi(String body) {
        return post("/webhooks/connectfi", body, Map.of("Content-Type", "application/json",
                "X-Signature", hmacHex(CONNECTFI_SECRET, body.getBytes(StandardCharsets.UTF_8))));
    }

    /** Makes every polled case due now, as if its poll period had passed. */
    protected void pollNow() {
        jdbc.update("update kyc_case set next_poll_at = now() where next_poll_at is not null");
    }

    /**
     * Makes the case quiet, as if its provider had said nothing about it (and the hub had not pulled it) for two
     * hours: the next reconciliation sweep pulls its status.
     */
    protected void makeQuiet(String provider, String providerRef) {
        awaitInboxDrained();
        jdbc.update("""
                update kyc_case set heard_at = now() - interval '2 hours', reconciled_at = null
                where provider = ? and provider_ref = ?""", provider, providerRef);
    }

    /** How many status pulls of reconciliation had that outcome so far ({@code kyc.reconcile.pulls}). */
    protected double reconcilePulls(String provider, String outcome) {
        Counter counter = meters.find("kyc.reconcile.pulls").tags("provider", provider, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits until reconciliation has counted one more pull of that outcome, and the inbox has processed it. */
    protected void awaitPull(String provider, String outcome, double before) {
        await().atMost(Duration.ofSeconds(20)).until(() -> reconcilePulls(provider, outcome) > before);
        awaitInboxDrained();
    }

    /** Sends a JSON body to the hub API with the test API key. */
    protected HttpResponse<String> apiSend(String method, String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json").build());
    }

    /** POSTs a body to a webhook path, signed as Striga signs it. */
    protected HttpResponse<String> postStriga(String body) {
        return post("/webhooks/striga/kyc", body, Map.of("Content-Type", "application/json",
                "signature", hmacHex(STRIGA_KEY, body.getBytes(StandardCharsets.UTF_8))));
    }

    protected HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    protected HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** GETs a hub API path with the test API key. */
    protected HttpResponse<String> api(String path) {
        return get(path, Map.of("Authorization", "Bearer " + API_KEY));
    }

    protected JsonNode apiJson(String path) {
        HttpResponse<String> response = api(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return readJson(response.body());
    }

    protected HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    protected HttpResponse<String> apiPost(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + API_KEY).build());
    }

    /** Sends a JSON body to an operator endpoint (ops, raw messages, replay, erasure) with the operator key. */
    protected HttpResponse<String> operatorSend(String method, String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + OPERATOR_API_KEY).header("Content-Type", "application/json")
                .build());
    }

    /** GETs an operator endpoint with the operator key. */
    protected HttpResponse<String> operatorApi(String path) {
        return get(path, Map.of("Authorization", "Bearer " + OPERATOR_API_KEY));
    }

    /** GETs an operator endpoint with the operator key and reads its 200 answer. */
    protected JsonNode operatorJson(String path) {
        HttpResponse<String> response = operatorApi(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return readJson(response.body());
    }

    /** Waits until the provider's one case with that reference satisfies the condition, and answers it. */
    protected JsonNode awaitCase(String provider, String providerRef, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode cases = apiJson("/api/v1/cases?provider=" + provider + "&providerRef=" + providerRef).get("items");
            if (cases.size() == 1 && condition.test(cases.get(0))) {
                found[0] = cases.get(0);
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** Waits until the provider's one case with that reference has that status (and next action, if given). */
    protected JsonNode awaitCase(String provider, String providerRef, String status, String nextAction) {
        return awaitCase(provider, providerRef, c -> status.equals(c.get("status").asText())
                && (nextAction == null || nextAction.equals(c.get("nextAction").asText())));
    }

    /**
     * Waits for the message's first failed attempt, then runs {@code change} (the test clears the fault) with the
     * message locked, so that no attempt runs meanwhile: the worker skips a locked message, and the lock waits for an
     * attempt under way. The tests' back-off (50 ms, then 100 ms, three attempts) leaves a failing message DEAD within
     * a few hundred milliseconds, which a change made without the lock would race on a slow machine.
     */
    protected void afterFirstAttempt(long messageId, Runnable change) {
        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select attempts from inbound_message where id = ?", Integer.class, messageId) >= 1);
        transactions.executeWithoutResult(held -> {
            jdbc.queryForObject("select id from inbound_message where id = ? for update", Long.class, messageId);
            change.run();
        });
    }

    /**
     * Runs {@code claim} in a transaction whose sorts spill to a temporary file past 64 kB of memory, and counts the
     * files at once: with {@link #tempFiles} before and after, a test tells a claim that sorted its queue's backlog
     * from one that read the due index in order.
     */
    protected <T> T claimWithSortsSpilling(Supplier<T> claim) {
        return transactions.execute(status -> {
            jdbc.execute("set local work_mem = '64kB'");
            T claimed = claim.get();
            // Counted at once when this session goes idle, not up to a second later.
            jdbc.queryForList("select pg_stat_force_next_flush()");
            return claimed;
        });
    }

    /** The temporary files sorts (and hashes) have written in the test database so far. */
    protected long tempFiles() {
        return jdbc.queryForObject("select temp_files from pg_stat_database where datname = current_database()",
                Long.class);
    }

    /** Waits until the inbox has no message left to process. */
    protected void awaitInboxDrained() {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                jdbc.queryForObject("select count(*) from inbound_message where state = 'ACCEPTED'", Integer.class) == 0);
    }

    protected static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    protected static String fixture(String path) {
        try (InputStream in = HubIntegrationTest.class.getResourceAsStream("/fixtures/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("no fixture " + path, e);
        }
    }

    /** The HMAC computed independently of the hub's own code. */
    public static String hmacHex(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + (path.startsWith("/webhooks/") ? webhookPort() : port) + path);
    }

    /** Where the webhook doors listen: the hub's port, unless a test serves them on a port of their own. */
    protected int webhookPort() {
        return port;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
