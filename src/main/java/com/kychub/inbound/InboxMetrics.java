package com.kychub.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counts inbound messages per provider and outcome as {@code kyc.inbox.messages} (Prometheus:
 * {@code kyc_inbox_messages_total}): accepted, duplicate and rejected at the door; processed, failed and dead
 * by the worker.
 */
@Component
public class InboxMetrics {

    private final MeterRegistry registry;

    public InboxMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String provider) {
        count(provider, "accepted");
    }

    public void duplicate(String provider) {
        count(provider, "duplicate");
    }

    public void rejected(String provider) {
        count(provider, "rejected");
    }

    public void processed(String provider) {
        count(provider, "processed");
    }

    public void failed(String provider) {
        count(provider, "failed");
    }

    public void dead(String provider) {
        count(provider, "dead");
    }

    private void count(String provider, String outcome) {
        Counter.builder("kyc.inbox.messages")
                .description("Inbound provider messages by outcome")
                .tag("provider", provider == null ? "unknown" : provider)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
