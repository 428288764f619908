package com.kychub;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of the hub, under {@code kyc.*}. Operators set them in {@code config/application.yml} or
 * through the environment variables that file maps them to; secrets only come from the environment.
 */
@ConfigurationProperties(prefix = "kyc")
public record KycProperties(
        @DefaultValue Db db,
        @DefaultValue Api api,
        @DefaultValue Inbox inbox,
        @DefaultValue Providers providers) {

    /**
     * Where the store lives. With {@code url} empty the hub picks an embedded default (see
     * {@code HubDataSourceConfiguration}). {@code connection-timeout} bounds the wait for a connection, so that while
     * the database is down a webhook is answered 503 in seconds rather than held.
     */
    public record Db(
            String url,
            String user,
            String password,
            @DefaultValue("kyc_hub") String localDatabase,
            @DefaultValue("127.0.0.1") String localHost,
            @DefaultValue("5432") int localPort,
            @DefaultValue("postgres") String localUser,
            String embeddedDataDirectory,
            @DefaultValue("54329") int embeddedPort,
            @DefaultValue("3s") Duration connectionTimeout) {
    }

    /**
     * The hub's own API: bearer keys of two scopes, each comma-separated. {@code keys} ({@code KYC_API_KEYS}) are
     * the integration keys (cases, customers, onboardings, data); {@code operator-keys}
     * ({@code KYC_OPERATOR_API_KEYS}) the operator keys (ops endpoints, raw messages, replay, erasure, the actuator
     * beyond health), which may call the integration endpoints too. Bodies carry documents.
     */
    public record Api(@DefaultValue List<String> keys, @DefaultValue List<String> operatorKeys,
                      @DefaultValue("10MB") DataSize maxBodySize) {
    }

    /**
     * The durable inbox every inbound message goes through. At the door, {@code writer-threads} writers store the
     * waiting webhooks, up to {@code writer-batch} per commit (group commit); a webhook waits at most
     * {@code ack-timeout} for its commit before it is answered 503, and at most {@code writer-queue} wait at once.
     * With {@code workers-give-way} (the default), the inbox workers give the door precedence while it is crowded
     * (its writers busy at least half the time, in several commits each): after each message they wait as long as it
     * took (at most 20 ms), so that a burst is acknowledged faster and processed later, never stopped.
     */
    public record Inbox(
            @DefaultValue("1MB") DataSize maxBodySize,
            @DefaultValue("2") int writerThreads,
            @DefaultValue("256") int writerBatch,
            @DefaultValue("4096") int writerQueue,
            @DefaultValue("10s") Duration ackTimeout,
            @DefaultValue("true") boolean processingEnabled,
            @DefaultValue("500ms") Duration pollPeriod,
            @DefaultValue("200") int batchSize,
            @DefaultValue("8") int maxAttempts,
            @DefaultValue("2s") Duration initialBackoff,
            @DefaultValue("10m") Duration maxBackoff,
            @DefaultValue("true") boolean workersGiveWay) {
    }

    /**
     * The providers. Every one the hub calls (connectfi, ondato, width) has its calls rate-limited
     * ({@code requests-per-second}) and behind a circuit breaker that opens when half of the last 20 calls (at least
     * 10) failed, or when {@code slow-call-rate-percent} of them took longer than {@code slow-call-seconds}; after
     * {@code circuit-open-seconds} it lets 3 calls through (HALF_OPEN) and closes again when they pass.
     */
    public record Providers(@DefaultValue Striga striga, @DefaultValue Connectfi connectfi,
                            @DefaultValue Argos argos, @DefaultValue Ondato ondato,
                            @DefaultValue Width width) {
    }

    /**
     * WIDTH: RPC-style POST methods at {@code base-url} + {@code path-template} ({@code {method}} replaced by the
     * method name), the API key ({@code KYC_WIDTH_API_KEY}) as {@code apiKey} query parameter of every URL, the domain
     * ({@code KYC_WIDTH_DOMAIN_ID}) in {@code x-domain}, every request signed with the API secret
     * ({@code KYC_WIDTH_API_SECRET}) by {@code signature-scheme} ({@code hmac-sha256}, an assumption: the algorithm is
     * not public; or {@code none}). Each execution is polled every {@code poll-every}, one COMPLETED for manual review
     * (or without a result yet) every {@code review-poll-every} until WIDTH decides; the poller claims due executions
     * as fast as {@code poll-threads} (at once) and {@code requests-per-second} let it, up to {@code poll-batch} per
     * claim, and when none is due waits for the earliest, at most {@code poll-tick-millis}.
     */
    public record Width(
            @DefaultValue("http://127.0.0.1:9998") String baseUrl,
            @DefaultValue("/api/{method}") String pathTemplate,
            String apiKey,
            String domainId,
            String apiSecret,
            @DefaultValue("hmac-sha256") String signatureScheme,
            @DefaultValue("3s") Duration pollEvery,
            @DefaultValue("2s") Duration ocrResultDelay,
            @DefaultValue("1m") Duration reviewPollEvery,
            @DefaultValue("1000") long pollTickMillis,
            @DefaultValue("200") int pollBatch,
            @DefaultValue("8") int pollThreads,
            @DefaultValue("50") int requestsPerSecond,
            @DefaultValue("30") int circuitOpenSeconds,
            @DefaultValue("5") int slowCallSeconds,
            @DefaultValue("50") int slowCallRatePercent) {
    }

    /**
     * Connect Financial: its API (base URL, API key from {@code KYC_CONNECTFI_API_KEY}), the integration strategy
     * ({@code standard}: identity verification in Connect Financial's SDK; {@code external}: the fintech's own KYC
     * provider, documents only), webhook authentication, the status poll, and which actions the hub takes itself.
     */
    public record Connectfi(
            @DefaultValue("http://127.0.0.1:9999") String baseUrl,
            String apiKey,
            @DefaultValue("standard") String strategy,
            @DefaultValue WebhookAuth webhookAuth,
            @DefaultValue("1m") Duration pollPeriod,
            @DefaultValue("5000") long pollTickMillis,
            @DefaultValue("100") int pollBatch,
            @DefaultValue("1") int pollThreads,
            @DefaultValue("10") int requestsPerSecond,
            @DefaultValue("30") int circuitOpenSeconds,
            @DefaultValue("5") int slowCallSeconds,
            @DefaultValue("50") int slowCallRatePercent,
            @DefaultValue Actions actions) {

        public boolean external() {
            return "external".equalsIgnoreCase(strategy);
        }
    }

    /** The calls the hub makes to a provider on its own, each on by default. */
    public record Actions(
            @DefaultValue("true") boolean createCustomer,
            @DefaultValue("true") boolean startKyc,
            @DefaultValue("true") boolean rerunKyc,
            @DefaultValue("true") boolean updateProfile,
            @DefaultValue("true") boolean uploadDocuments) {
    }

    /**
     * How a provider that documents no webhook signature authenticates its webhooks: {@code hmac-sha256} (a header
     * carrying the HMAC-SHA256 of the raw body, hex or base64), {@code bearer} (a shared token in
     * {@code Authorization: Bearer}) or {@code none}. Left empty, the provider's webhook route does not start.
     */
    public record WebhookAuth(
            String scheme,
            @DefaultValue("X-Signature") String header,
            @DefaultValue("hex") String encoding,
            String secret) {
    }

    /**
     * Striga signs every webhook with its API key ({@code KYC_STRIGA_API_KEY}). Its status API (Get KYC Status, at
     * {@code base-url}: {@code KYC_STRIGA_BASE_URL}, e.g. {@code https://www.sandbox.striga.com/api/v1}) takes the API
     * key in {@code api-key} and an HMAC of each request keyed with the API secret ({@code KYC_STRIGA_API_SECRET});
     * without all three the hub works from Striga's webhooks alone.
     */
    public record Striga(
            String apiKey,
            @DefaultValue("true") boolean webhookAuthentication,
            String baseUrl,
            String apiSecret,
            @DefaultValue("10") int requestsPerSecond,
            @DefaultValue("30") int circuitOpenSeconds,
            @DefaultValue("5") int slowCallSeconds,
            @DefaultValue("50") int slowCallRatePercent,
            @DefaultValue Reconcile reconcile) {

        public boolean statusApiConfigured() {
            return hasText(baseUrl) && hasText(apiKey) && hasText(apiSecret);
        }
    }

    /**
     * The repair of missed webhooks ({@code reconcile-sweep}): every {@code period}, each case the provider has said
     * nothing about for {@code after} (open, or decided within {@code recent}) has its status pulled, up to
     * {@code batch} cases a claim, {@code threads} pulls at a time, within the provider's requests-per-second.
     */
    public record Reconcile(
            @DefaultValue("15m") Duration period,
            @DefaultValue("1h") Duration after,
            @DefaultValue("24h") Duration recent,
            @DefaultValue("500") int batch,
            @DefaultValue("2") int threads) {
    }

    /**
     * ARGOS Identity documents no webhook signature: {@code webhook-auth} picks a scheme (secret
     * {@code KYC_ARGOS_WEBHOOK_SECRET}). With {@code encryption} {@code aes-256-ecb} or {@code aes-256-gcm} the body
     * is {@code {"data": "<base64>"}}, keyed with the SHA-256 of {@code secret-key} ({@code KYC_ARGOS_SECRET_KEY})
     * when set, else of {@code api-key} ({@code KYC_ARGOS_API_KEY}).
     */
    public record Argos(
            @DefaultValue WebhookAuth webhookAuth,
            @DefaultValue("none") String encryption,
            String apiKey,
            String secretKey,
            String baseUrl,
            @DefaultValue("10") int requestsPerSecond,
            @DefaultValue("30") int circuitOpenSeconds,
            @DefaultValue("5") int slowCallSeconds,
            @DefaultValue("50") int slowCallRatePercent,
            @DefaultValue Reconcile reconcile) {

        /** ARGOS's API ({@code GET /submission}) at {@code base-url} with the API key in {@code x-api-key}. */
        public boolean statusApiConfigured() {
            return hasText(baseUrl) && hasText(apiKey);
        }
    }

    /**
     * Ondato: the IDV API (starts verifications, {@code GET /v1/identity-verifications/{id}}) and the KYC ID API
     * ({@code GET /v1/identifications/{id}}), the setup the hub starts verifications with, the IDV URL given to the
     * customer ({@code {id}} is the verification id), how the hub authenticates to the APIs, and the HTTP Basic
     * credentials Ondato's webhooks carry ({@code KYC_ONDATO_WEBHOOK_USER} / {@code KYC_ONDATO_WEBHOOK_PASSWORD}).
     */
    public record Ondato(
            @DefaultValue("http://127.0.0.1:9999") String idvBaseUrl,
            @DefaultValue("http://127.0.0.1:9999") String kycBaseUrl,
            String setupId,
            @DefaultValue("https://idv.ondato.com/?id={id}") String idvUrlTemplate,
            @DefaultValue OndatoApiAuth apiAuth,
            String webhookUser,
            String webhookPassword,
            @DefaultValue("10") int requestsPerSecond,
            @DefaultValue("30") int circuitOpenSeconds,
            @DefaultValue("5") int slowCallSeconds,
            @DefaultValue("50") int slowCallRatePercent,
            @DefaultValue Reconcile reconcile) {

        /** The IDV and KYC ID APIs, with the credentials of the chosen scheme. */
        public boolean statusApiConfigured() {
            return "oauth2".equalsIgnoreCase(apiAuth.scheme().trim())
                    ? hasText(apiAuth.tokenUrl()) && hasText(apiAuth.clientId()) && hasText(apiAuth.clientSecret())
                    : hasText(apiAuth.apiKey());
        }
    }

    /**
     * How the hub authenticates its calls to Ondato: {@code api-key} (header {@code api-key-header} carrying
     * {@code KYC_ONDATO_API_KEY}) or {@code oauth2} (client credentials at {@code token-url} with
     * {@code KYC_ONDATO_CLIENT_ID} / {@code KYC_ONDATO_CLIENT_SECRET} and {@code scope}; the token is reused until
     * shortly before it expires).
     */
    public record OndatoApiAuth(
            @DefaultValue("api-key") String scheme,
            @DefaultValue("X-Api-Key") String apiKeyHeader,
            String apiKey,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope) {
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
