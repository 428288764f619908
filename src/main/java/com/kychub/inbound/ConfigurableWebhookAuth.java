package com.kychub.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import com.kychub.KycProperties;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.util.StringUtils;

/**
 * Webhook authentication for providers whose docs name no scheme (Connect Financial, ARGOS): the operator picks
 * one in configuration. Comparisons are constant-time; a missing or malformed credential is a 401. Such a provider's
 * {@code <P>WebhookAuth} extends this class; without a chosen scheme its webhook route {@code <provider>-webhook}
 * does not start ({@link WebhookRouteGate}).
 */
public class ConfigurableWebhookAuth {

    public enum Scheme { HMAC_SHA256, BEARER, NONE }

    private final String provider;
    private final Scheme scheme;
    private final String header;
    private final boolean base64;
    private final String secret;

    public ConfigurableWebhookAuth(String provider, KycProperties.WebhookAuth settings) {
        this.provider = provider;
        this.scheme = parse(provider, settings.scheme());
        this.header = settings.header().toLowerCase(Locale.ROOT);
        this.base64 = switch (settings.encoding().toLowerCase(Locale.ROOT)) {
            case "hex" -> false;
            case "base64" -> true;
            default -> throw new IllegalStateException("kyc.providers." + provider
                    + ".webhook-auth.encoding must be hex or base64");
        };
        this.secret = settings.secret();
        if (scheme != null && scheme != Scheme.NONE && !StringUtils.hasText(secret)) {
            throw new IllegalStateException("kyc.providers." + provider + ".webhook-auth.scheme is " + settings.scheme()
                    + " but its secret is not set (environment variable KYC_" + provider.toUpperCase(Locale.ROOT)
                    + "_WEBHOOK_SECRET)");
        }
    }

    /** The provider's webhook route, which stays stopped while no scheme is chosen. */
    public String webhookRouteId() {
        return provider + "-webhook";
    }

    /** False when the operator chose no scheme: the provider's webhook route must then stay stopped. */
    public boolean isConfigured() {
        return scheme != null;
    }

    public Scheme scheme() {
        return scheme;
    }

    /** @param headers the request's headers, names in lower case */
    public void authenticate(@Body byte[] body, @Variable(WebhookDoor.HTTP_HEADERS) Map<String, String> headers) {
        if (scheme == null) {
            throw WebhookRejectedException.unauthorized(provider + " webhook authentication is not configured");
        }
        switch (scheme) {
            case NONE -> { }
            case BEARER -> {
                String authorization = headers.get("authorization");
                if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                        || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                                authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
                    throw WebhookRejectedException.unauthorized("missing or invalid bearer token");
                }
            }
            case HMAC_SHA256 -> {
                String signature = headers.get(header);
                if (!StringUtils.hasText(signature)) {
                    throw WebhookRejectedException.unauthorized("missing " + header + " header");
                }
                byte[] provided = decode(signature.trim());
                if (provided == null
                        || !MessageDigest.isEqual(HmacSignatures.hmacSha256(secret, body), provided)) {
                    throw WebhookRejectedException.unauthorized("invalid signature");
                }
            }
        }
    }

    private byte[] decode(String signature) {
        // Senders often prefix the algorithm, as in "sha256=<signature>".
        String value = signature.regionMatches(true, 0, "sha256=", 0, 7) ? signature.substring(7) : signature;
        try {
            return base64 ? Base64.getDecoder().decode(value) : HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Scheme parse(String provider, String scheme) {
        if (!StringUtils.hasText(scheme)) {
            return null;
        }
        return switch (scheme.trim().toLowerCase(Locale.ROOT)) {
            case "hmac-sha256" -> Scheme.HMAC_SHA256;
            case "bearer" -> Scheme.BEARER;
            case "none" -> Scheme.NONE;
            default -> throw new IllegalStateException("kyc.providers." + provider
                    + ".webhook-auth.scheme must be hmac-sha256, bearer or none, not '" + scheme + "'");
        };
    }
}
