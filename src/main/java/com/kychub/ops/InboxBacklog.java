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
 * <p>
 * The count still reads the whole backlog: during a burst of hundreds of thousands of messages it takes a second or
 * more of the database's time, on every instance, while the database is busiest ({@code bench/ingest.sh
 * STATEMENTS=1}). So the next count waits at least a hundred times as long as the last one took: the counting stays
 * under a hundredth of one of the database's cores, and the gauges read older meanwhile.
 */
@Component
public class InboxBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(InboxBacklog.class);
    private static final List<String> STATES = List.of("ACCEPTED", "FAILED", "DEAD");

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Duration period;
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
        this.period = refresh;
        KnownProviders.IDS.forEach(provider -> STATES.forEach(state -> gauge(provider, state)));
        timer.execute(this::refreshAndWait);
    }

    private void refreshAndWait() {
        long started = System.nanoTime();
        refresh();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!timer.isShutdown()) {
            timer.schedule(this::refreshAndWait, nextRefresh(period, took).toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** How long after a count the next one comes: the period, or a hundred times what the count took if longer. */
    static Duration nextRefresh(Duration period, Duration took) {
        Duration spaced = took.multipliedBy(100);
        return spaced.compareTo(period) > 0 ? spaced : period;
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
