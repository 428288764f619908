package com.kychub.ops;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.kychub.canonical.CaseQueries;
import com.kychub.canonical.CaseStatus;
import com.kychub.canonical.KnownProviders;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code kyc.cases.stalled{provider, status}}: the cases of a provider in a status that are not finished and
 * have not changed for {@code kyc.ops.stalled-after} (a day by default), counted in one query every
 * {@code kyc.ops.stalled-refresh} (a minute) rather than on every scrape, as {@link InboxBacklog} counts the inbox.
 * {@code GET /api/v1/ops/cases?stalledFor=} lists them.
 */
@Component
public class StalledCases {

    private static final Logger LOG = LoggerFactory.getLogger(StalledCases.class);
    private static final List<CaseStatus> UNFINISHED = Arrays.stream(CaseStatus.values())
            .filter(status -> !status.isFinished()).toList();

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final CaseQueries cases;
    private final MeterRegistry registry;
    private final Duration stalledAfter;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stalled-cases");
        thread.setDaemon(true);
        return thread;
    });

    public StalledCases(CaseQueries cases, MeterRegistry registry, OpsProperties settings) {
        this.cases = cases;
        this.registry = registry;
        this.stalledAfter = settings.stalledAfter();
        // Every pair reads 0 from the start, so that an alert on the gauge sees a value, not an absent series.
        KnownProviders.IDS.forEach(provider -> UNFINISHED.forEach(status -> gauge(provider, status.name())));
        long every = settings.stalledRefresh().toMillis();
        timer.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Counts the stalled cases per provider and status now; a pair with none reads 0. */
    public void refresh() {
        try {
            Map<String, Long> now = new ConcurrentHashMap<>();
            for (CaseQueries.StalledCount count : cases.countStalled(stalledAfter)) {
                now.put(key(count.provider(), count.status().name()), count.cases());
                gauge(count.provider(), count.status().name());
            }
            counts.forEach((key, value) -> value.set(now.getOrDefault(key, 0L)));
        } catch (RuntimeException e) {
            LOG.warn("Stalled cases not counted: {}", e.getClass().getSimpleName());
        }
    }

    private void gauge(String provider, String status) {
        counts.computeIfAbsent(key(provider, status), key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("kyc.cases.stalled", value, AtomicLong::get)
                    .description("Cases not finished and unchanged for kyc.ops.stalled-after, per provider and status")
                    .tag("provider", provider)
                    .tag("status", status)
                    .register(registry);
            return value;
        });
    }

    private static String key(String provider, String status) {
        return provider + '\u0000' + status;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
