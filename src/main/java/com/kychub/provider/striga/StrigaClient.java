package com.kychub.provider.striga;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;

import com.kychub.KycProperties;
import com.kychub.canonical.UnmappableMessageException;
import com.kychub.inbound.HmacSignatures;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The hub's calls to Striga's API, for {@code routes/striga-kyc.camel.yaml}: each sets the body and the variables
 * {@code httpMethod} and {@code path} (below {@code base-url}, which ends in {@code /api/v1}).
 * <p>
 * Striga authenticates every request with two headers: {@code api-key} (the API key) and
 * {@code Authorization: HMAC <time>:<signature>}, where time is the current epoch milliseconds and signature the hex
 * HMAC-SHA256, keyed with the API secret, of time + HTTP method + the path below {@code /api/v1} + the hex MD5 of the
 * JSON body ({@code {}} when there is none), as Striga's API documentation describes it.
 */
@Component
public class StrigaClient {

    /** Ids go into request paths: they must be plain. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private static final String EMPTY_BODY = "{}";

    private final KycProperties.Striga settings;
    private final Clock clock;

    @Autowired
    public StrigaClient(KycProperties properties) {
        this(properties.providers().striga(), Clock.systemUTC());
    }

    StrigaClient(KycProperties.Striga settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Signs the outgoing request (headers were cleared before, so nothing else steers it). */
    public void authorize(Exchange exchange) {
        if (!settings.statusApiConfigured()) {
            throw new IllegalStateException("Striga's API is not configured (KYC_STRIGA_BASE_URL, KYC_STRIGA_API_KEY, "
                    + "KYC_STRIGA_API_SECRET)");
        }
        String body = exchange.getIn().getBody(String.class);
        String time = Long.toString(clock.millis());
        exchange.getIn().setHeader("api-key", settings.apiKey());
        exchange.getIn().setHeader("Authorization", "HMAC " + time + ":" + signature(settings.apiSecret(), time,
                exchange.getVariable("httpMethod", HttpMethods.class).name(),
                exchange.getVariable("path", String.class),
                body == null || body.isEmpty() ? EMPTY_BODY : body));
    }

    /** {@code GET /user/kyc/{userId}} (Get KYC Status) for the user in the variable {@code subject}. */
    public void kycStatus(Exchange exchange) {
        String userId = id(exchange.getVariable("subject", String.class));
        exchange.getIn().setBody(null);
        exchange.setVariable("httpMethod", HttpMethods.GET);
        exchange.setVariable("path", "/user/kyc/" + userId);
    }

    static String signature(String secret, String time, String method, String path, String body) {
        String signed = time + method + path + md5Hex(body);
        return HmacSignatures.hexHmacSha256(secret, signed.getBytes(StandardCharsets.UTF_8));
    }

    static String id(String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new UnmappableMessageException("not a Striga user id");
        }
        return value;
    }

    private static String md5Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
