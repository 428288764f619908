package com.kychub.inbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Dedup keys for messages that carry no id of their own: the SHA-256 of the compact JSON (key order kept, no
 * whitespace), so a redelivery re-formatted on the way is still the same message.
 */
public final class DedupKeys {

    private DedupKeys() {
    }

    public static String ofContent(ObjectMapper json, JsonNode message) {
        try {
            return "sha256:" + sha256Hex(json.writeValueAsString(message).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed message", e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
