package com.kychub.outbound;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a delivery goes, as the dispatcher reads it from {@code event_endpoint}: the kind and URL, and the secrets that
 * sign (the previous one only until {@code previousSecretUntil}, during a rotation's grace period).
 */
public record Endpoint(UUID id, String kind, String url, String secret, String previousSecret,
                       Instant previousSecretUntil) {

    /** Whether the previous secret still signs at {@code now}. */
    public boolean previousSecretSigns(Instant now) {
        return previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil);
    }
}
