package com.kychub.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.kychub.canonical.KnownProviders;
import com.kychub.inbound.Inbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Gauges of the inbox: {@code kyc.inbox.backlog{provider, state}} is the number of inbound messages of a provider
 * still waiting (ACCEPTED) or stopped (FAILED, DEAD), counted in one query every {@code kyc.inbox.backlog-refresh}
 * (15 s by default) rather than on every scrape, so a busy scraper costs the database nothing more.
 * <p>
 * PROCESSED messages are not counted: they are nearly the whole table (90 days of raw bodies are kept by default), so
 * their count grew with it on every instance (329 ms at 500,000 rows), while the others are read from the partial
 * index {@code inbound_message_unsettled}. {@code kyc.inbox.messages{outcome=processed}} counts processing.
 */
@Component
public class InboxBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(InboxBacklog.class);
    private static final List<String> STATES = List.of("ACCEPTED", "FAILED", "DEAD");

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Inbox inbox;
    private final MeterRegistry registry;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "inbox-backlog");
        thread.setDaemon(true);
        return thread;
    });

    public InboxBacklog(Inbox inbox, MeterRegistry registry,
                        @Value("${kyc.inbox.backlog-refresh:15s}") Duration refresh) {
        this.inbox = inbox;
        this.registry = registry;
        KnownProviders.IDS.forEach(provider -> STATES.forEach(state -> gauge(provider, state)));
        timer.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts every provider's unsettled messages per state now; a pair with no message reads 0. */
    public void refresh() {
        try {
            Map<String, Long> now = new ConcurrentHashMap<>();
            for (Inbox.Count count : inbox.countsUnsettled()) {
                now.put(key(count.provider(), count.state()), count.messages());
                gauge(count.provider(), count.state());
            }
            counts.forEach((key, value) -> value.set(now.getOrDefault(key, 0L)));
        } catch (RuntimeException e) {
            LOG.warn("Inbox backlog not counted: {}", e.getClass().getSimpleName());
        }
    }

    private void gauge(String provider, String state) {
        counts.computeIfAbsent(key(provider, state), key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("kyc.inbox.backlog", value, AtomicLong::get)
                    .description("Inbound messages per provider and state")
                    .tag("provider", provider)
                    .tag("state", state)
                    .register(registry);
            return value;
        });
    }

    private static String key(String provider, String state) {
        return provider + '\u0000' + state;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
