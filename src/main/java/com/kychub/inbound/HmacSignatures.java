package com.kychub.inbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures as webhook senders compute them, compared in constant time. */
public final class HmacSignatures {

    private HmacSignatures() {
    }

    public static byte[] hmacSha256(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static String hexHmacSha256(String key, byte[] data) {
        return HexFormat.of().formatHex(hmacSha256(key, data));
    }

    /** True when {@code providedHex} (either case) is the HMAC of {@code data}; never short-circuits on content. */
    public static boolean matchesHex(String key, byte[] data, String providedHex) {
        byte[] provided;
        try {
            provided = HexFormat.of().parseHex(providedHex.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(key, data), provided);
    }
}
