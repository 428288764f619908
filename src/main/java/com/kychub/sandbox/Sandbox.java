package com.kychub.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kychub.KycProperties;
import com.kychub.inbound.HmacSignatures;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * What the sandbox providers share: their clock (delays drawn from {@link SandboxProperties}), the hub's settings and
 * its JSON mapper, the building and delivery of their webhooks to the hub's own {@code /webhooks/*} endpoints on the
 * port the hub actually listens on, with the occasional duplicate and late re-delivery, and scripts of timed steps.
 */
@Component
@ConditionalOnProperty(prefix = "kyc.sandbox", name = "enabled", havingValue = "true")
public class Sandbox {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    /** One webhook as a provider would send it. */
    public record Delivery(String provider, String path, byte[] body, Map<String, String> headers) {
    }

    private final SandboxProperties settings;
    private final KycProperties.Providers providers;
    private final Environment environment;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger dropped = new AtomicInteger();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "sandbox-provider");
        thread.setDaemon(true);
        return thread;
    });

    public Sandbox(SandboxProperties settings, KycProperties properties, Environment environment, ObjectMapper json) {
        this.settings = settings;
        this.providers = properties.providers();
        this.environment = environment;
        this.json = json;
    }

    public KycProperties.Providers providers() {
        return providers;
    }

    /** The hub's one {@code ObjectMapper}, for reading what the hub sends a simulator. */
    public ObjectMapper json() {
        return json;
    }

    /** A new, empty JSON object: a webhook body or a simulator's answer. */
    public ObjectNode jsonObject() {
        return json.createObjectNode();
    }

    /** A delay for something the customer does (SDK flow, capture). */
    public Duration step() {
        return between(settings.stepMinDelay(), settings.stepMaxDelay());
    }

    /** A delay for the provider's own review. */
    public Duration review() {
        return between(settings.reviewMinDelay(), settings.reviewMaxDelay());
    }

    /** How long WIDTH's OCR of an identity document takes. */
    public Duration ocr() {
        return between(settings.ocrMinDelay(), settings.ocrMaxDelay());
    }

    private static Duration between(Duration min, Duration max) {
        long low = min.toMillis();
        long high = Math.max(low, max.toMillis());
        return Duration.ofMillis(low == high ? low : ThreadLocalRandom.current().nextLong(low, high + 1));
    }

    public Script script() {
        return new Script();
    }

    /** How many webhooks the sandbox lost on purpose ({@code drop-probability}) since it started. */
    public int dropped() {
        return dropped.get();
    }

    /** The hub's own base URL, read when called: under a random test port it is known only once the server runs. */
    public String hubUrl() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://127.0.0.1:" + port;
    }

    /**
     * A provider's webhook: the body as compact UTF-8 JSON, and the headers that authenticate exactly those bytes
     * (a signature is computed over what is sent, so the two are made together).
     */
    public static Delivery webhook(String provider, String path, JsonNode body,
                                   Function<byte[], Map<String, String>> authentication) {
        byte[] bytes = utf8(body.toString());
        return new Delivery(provider, path, bytes, authentication.apply(bytes));
    }

    /**
     * Delivers a webhook, and with {@code duplicate-probability} delivers it a second time; when it may be lost, with
     * {@code drop-probability} it is lost instead, as a webhook the provider gave up on.
     */
    private void deliver(Delivery delivery, boolean mayBeLost) {
        if (mayBeLost && ThreadLocalRandom.current().nextDouble() < settings.dropProbability()) {
            dropped.incrementAndGet();
            LOG.info("Sandbox {} lost a webhook to {} (kyc.sandbox.drop-probability): the hub must find out itself",
                    delivery.provider(), delivery.path());
            return;
        }
        send(delivery);
        if (ThreadLocalRandom.current().nextDouble() < settings.duplicateProbability()) {
            send(delivery);
        }
    }

    private void send(Delivery delivery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hubUrl() + delivery.path()))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()))
                .header("Content-Type", "application/json");
        delivery.headers().forEach(request::header);
        try {
            HttpResponse<Void> answer = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            LOG.info("Sandbox {} delivered a webhook to {}: HTTP {}", delivery.provider(), delivery.path(),
                    answer.statusCode());
        } catch (Exception e) {
            LOG.warn("Sandbox {} could not deliver a webhook to {}: {}", delivery.provider(), delivery.path(),
                    e.getClass().getSimpleName());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Headers authenticating a body under a configurable scheme ({@code hmac-sha256}, {@code bearer}, none). */
    public static Map<String, String> authenticate(KycProperties.WebhookAuth auth, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        String scheme = auth == null || auth.scheme() == null ? "" : auth.scheme().trim().toLowerCase();
        switch (scheme) {
            case "hmac-sha256" -> {
                byte[] mac = HmacSignatures.hmacSha256(auth.secret(), body);
                headers.put(auth.header(), "base64".equalsIgnoreCase(auth.encoding())
                        ? Base64.getEncoder().encodeToString(mac) : HexFormat.of().formatHex(mac));
            }
            case "bearer" -> headers.put("Authorization", "Bearer " + auth.secret());
            default -> { }
        }
        return headers;
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void stop() {
        clock.shutdownNow();
    }

    /**
     * Timed steps run one after the other; a step may change the provider's state and deliver a webhook. After the
     * last one, with {@code late-probability}, one earlier webhook is delivered again, out of order. The first webhook
     * of a script is never lost: until one arrives, the hub has no case to reconcile (in real life the fintech would
     * have told it, creating the user at the provider).
     */
    public final class Script {

        private record Step(Supplier<Duration> delay, Runnable change, Supplier<Delivery> webhook) {
        }

        private final List<Step> steps = new ArrayList<>();
        private final List<Delivery> delivered = new ArrayList<>();

        /** After the delay, the change (if any) to the provider's state, then the webhook (if any). */
        public Script then(Supplier<Duration> delay, Runnable change, Supplier<Delivery> webhook) {
            steps.add(new Step(delay, change, webhook));
            return this;
        }

        /** After the delay, a webhook that changes nothing in the provider's state. */
        public Script then(Supplier<Duration> delay, Supplier<Delivery> webhook) {
            return then(delay, null, webhook);
        }

        public void start() {
            schedule(0);
        }

        private void schedule(int index) {
            if (index == steps.size()) {
                if (delivered.size() > 1 && ThreadLocalRandom.current().nextDouble() < settings.lateProbability()) {
                    Delivery late = delivered.get(ThreadLocalRandom.current().nextInt(delivered.size() - 1));
                    clock.schedule(() -> send(late), step().toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            Step step = steps.get(index);
            clock.schedule(() -> {
                try {
                    if (step.change() != null) {
                        step.change().run();
                    }
                    if (step.webhook() != null) {
                        Delivery delivery = step.webhook().get();
                        deliver(delivery, !delivered.isEmpty());
                        delivered.add(delivery);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Sandbox step failed: {}", e.getClass().getSimpleName());
                }
                schedule(index + 1);
            }, step.delay().get().toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
