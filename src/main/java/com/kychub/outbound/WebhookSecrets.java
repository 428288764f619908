package com.kychub.outbound;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The endpoints' signing secrets, in the Standard Webhooks format: {@code whsec_} and the base64 of 32 random bytes,
 * what {@code new com.standardwebhooks.Webhook(secret)} takes. A secret is shown to operators only (the answer that
 * creates or rotates it, and {@code GET /api/v1/event-endpoints/{id}/secret}); never logged.
 */
public final class WebhookSecrets {

    public static final String PREFIX = "whsec_";
    private static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    public static String newSecret() {
        byte[] key = new byte[BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }
}
