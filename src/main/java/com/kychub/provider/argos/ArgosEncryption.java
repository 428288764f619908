package com.kychub.provider.argos;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.kychub.canonical.StorableJson;

/**
 * ARGOS's encryption option (provider doc 002, "When using the encryption option ..."): the body is
 * {@code {"data": "<base64>"}}, the base64 being AES-256 over the JSON webhook, keyed with the SHA-256 digest (32 raw
 * bytes) of the ARGOS API key or of a separately issued secret key.
 * <ul>
 * <li>{@code aes-256-ecb}: ECB with PKCS#7 padding (Java's {@code AES/ECB/PKCS5Padding}), as ARGOS documents it.</li>
 * <li>{@code aes-256-gcm}: ARGOS names a GCM-256 mode but gives no layout; the hub assumes base64 of
 * {@code IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes)}.</li>
 * </ul>
 */
public final class ArgosEncryption {

    public enum Mode { NONE, AES_256_ECB, AES_256_GCM }

    /** A body that is not what the configured mode and key produce. The message names no content. */
    public static final class UndecryptableException extends Exception {
        UndecryptableException(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;

    private final Mode mode;
    private final SecretKeySpec key;

    /** @param secret the key material (the secret key, else the API key); required unless mode is NONE */
    public ArgosEncryption(Mode mode, String secret) {
        this.mode = mode;
        this.key = mode == Mode.NONE ? null : new SecretKeySpec(sha256(secret), "AES");
    }

    public static Mode parse(String mode) {
        String value = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "none" -> Mode.NONE;
            case "aes-256-ecb" -> Mode.AES_256_ECB;
            case "aes-256-gcm" -> Mode.AES_256_GCM;
            default -> throw new IllegalStateException(
                    "kyc.providers.argos.encryption must be none, aes-256-ecb or aes-256-gcm, not '" + mode + "'");
        };
    }

    public Mode mode() {
        return mode;
    }

    public boolean enabled() {
        return mode != Mode.NONE;
    }

    /** Decrypts the base64 text of {@code data} into the UTF-8 JSON it carries. */
    public byte[] decrypt(String base64) throws UndecryptableException {
        if (!enabled()) {
            throw new UndecryptableException("ARGOS encryption is not configured");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new UndecryptableException("'data' is not base64");
        }
        byte[] plain;
        try {
            if (mode == Mode.AES_256_ECB) {
                Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
                cipher.init(Cipher.DECRYPT_MODE, key);
                plain = cipher.doFinal(sealed);
            } else {
                if (sealed.length < GCM_IV_BYTES + GCM_TAG_BITS / 8) {
                    throw new UndecryptableException("'data' is too short for AES-256-GCM (IV, ciphertext, tag)");
                }
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BITS, sealed, 0, GCM_IV_BYTES));
                plain = cipher.doFinal(sealed, GCM_IV_BYTES, sealed.length - GCM_IV_BYTES);
            }
        } catch (GeneralSecurityException e) {
            // Wrong key, wrong mode or a damaged body: the cipher cannot tell which, and neither can we.
            throw new UndecryptableException("'data' does not decrypt with the configured ARGOS key ("
                    + mode.name().toLowerCase(Locale.ROOT).replace('_', '-') + ")");
        }
        if (!StorableJson.isUtf8(plain)) {
            throw new UndecryptableException("'data' decrypts to something that is not UTF-8 text");
        }
        return plain;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
