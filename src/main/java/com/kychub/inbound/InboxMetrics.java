package com.kychub.inbound;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import com.kychub.canonical.KnownProviders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Counts inbound messages per provider and outcome as {@code kyc.inbox.messages} (Prometheus:
 * {@code kyc_inbox_messages_total}): accepted, duplicate and rejected at the door; processed, failed and dead
 * by the worker; and times the workers' waits while they give way to a crowded door as {@code kyc.inbox.give.way}
 * (Prometheus: {@code kyc_inbox_give_way_seconds_count}, {@code _sum}).
 */
@Component
public class InboxMetrics {

    /** Tag values are bounded: a path an outsider made up must not add meters to the registry. */
    private static final Set<String> PROVIDERS = Set.copyOf(KnownProviders.IDS);

    private final MeterRegistry registry;

    public InboxMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** What happened to a message: at the door (accepted, duplicate, rejected) or in the worker. */
    public enum Outcome { ACCEPTED, DUPLICATE, REJECTED, PROCESSED, FAILED, DEAD }

    public void count(String provider, Outcome outcome) {
        count(provider, outcome.name().toLowerCase(Locale.ROOT));
    }

    /** A webhook refused by a servlet filter, before any route knew its provider: counted by its path. */
    public void rejectedWebhook(String path) {
        String[] segments = path.split("/");
        count(segments.length > 2 && segments[1].equals("webhooks") ? segments[2] : null, Outcome.REJECTED);
    }

    /** A worker of {@code provider} waited {@code waited} after a message, to give way to a crowded door. */
    public void gaveWay(String provider, Duration waited) {
        Timer.builder("kyc.inbox.give.way")
                .description("Time the inbox workers waited for a crowded door (kyc.inbox.workers-give-way)")
                .tag("provider", PROVIDERS.contains(provider) ? provider : "unknown")
                .register(registry)
                .record(waited);
    }

    private void count(String provider, String outcome) {
        Counter.builder("kyc.inbox.messages")
                .description("Inbound provider messages by outcome")
                .tag("provider", provider != null && PROVIDERS.contains(provider) ? provider : "unknown")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
