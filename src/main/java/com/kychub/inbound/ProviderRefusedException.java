package com.kychub.inbound;

/**
 * A provider refused a request in its answer rather than with its HTTP status (WIDTH's {@code success: false} under a
 * 200): permanent, like a 4xx ({@link Failures#permanentReason}), so the action is FAILED, not retried. The message is
 * what operators read as the action's or message's last error: the provider's error code, never personal data.
 */
public class ProviderRefusedException extends RuntimeException {

    private final String code;

    /** @param code the provider's error code (one word, no free text), or null when it gave none */
    public ProviderRefusedException(String message, String code) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
