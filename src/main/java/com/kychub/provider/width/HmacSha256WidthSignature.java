package com.kychub.provider.width;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The assumed signature: {@code x-timestamp} (epoch milliseconds) and {@code x-signature}, the hex HMAC-SHA256 of
 * {@code <x-timestamp>.<body>} keyed with the API secret.
 */
public class HmacSha256WidthSignature implements WidthSignature {

    private final byte[] secret;

    public HmacSha256WidthSignature(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalStateException("kyc.providers.width.api-secret (KYC_WIDTH_API_SECRET) is not set");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, String> headers(String body, Instant now) {
        String timestamp = Long.toString(now.toEpochMilli());
        return Map.of("x-timestamp", timestamp, "x-signature", sign(timestamp + "." + (body == null ? "" : body)));
    }

    String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
