package com.kychub.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import com.kychub.database.StoreReading;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The outbound events' meters: {@code kyc.events.deliveries{endpoint, outcome}} (Prometheus:
 * {@code kyc_events_deliveries_total}), one count per attempt's outcome, and {@code kyc.events.lag}, the age in
 * seconds of the oldest event still pending for an enabled endpoint (0 when none is), read from the store at most once
 * a second however often it is scraped.
 */
@Component
public class EventMetrics {

    private static final Duration LAG_REFRESH = Duration.ofSeconds(1);

    /**
     * What an attempt came to: delivered; failed (due again later); dead (no attempt left); gone (410, the endpoint
     * disabled); disabled (it failed, and the endpoint has been failing for {@code kyc.events.disable-after}).
     */
    public enum Outcome { DELIVERED, FAILED, DEAD, GONE, DISABLED }

    private final MeterRegistry registry;
    private final StoreReading lag;

    public EventMetrics(MeterRegistry registry, EventDeliveries deliveries) {
        this.registry = registry;
        this.lag = new StoreReading("kyc.events.lag", LAG_REFRESH, () -> deliveries.oldestPending()
                .map(created -> Math.max(0, Duration.between(created, Instant.now()).toMillis() / 1000.0))
                .orElse(0.0));
        Gauge.builder("kyc.events.lag", lag::value)
                .description("Age of the oldest outbound event still pending for an enabled endpoint")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The endpoint id is the tag: endpoints are few and made by operators, not by outsiders. */
    public void count(UUID endpointId, Outcome outcome) {
        Counter.builder("kyc.events.deliveries")
                .description("Outbound event delivery attempts by outcome")
                .tag("endpoint", endpointId.toString())
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }
}
